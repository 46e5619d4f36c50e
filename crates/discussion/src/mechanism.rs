//! The engine as Glasnost runs it: its interface strings. It has no tables, pages or tasks of its
//! own — each mechanism that discusses something owns its comments and its pages.

use axum::Router;
use kernel::db::Schema;
use shell::{AppState, Mechanism};

const SCHEMA: Schema = Schema { mechanism: "discussion", migrations: &[], tables: &[] };

fn routes() -> Router<AppState> {
    Router::new()
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "discussion",
    schema: &SCHEMA,
    strings: crate::strings::STRINGS,
    routes,
    query: &[],
    staff: &[],
    start: Mechanism::keeps_nothing,
    tasks: Mechanism::no_tasks,
    flush: None,
    figures: None,
    metrics: None,
    services: &[],
    desks: &[],
    todo: None,
    sitemap: None,
    feed: None,
    search: &[],
    obligations: None,
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_used_in_the_templates_exists() {
        let strings = shell::i18n::Strings::new(&[super::MECHANISM.strings]).expect("strings");
        let missing =
            strings.missing_in_templates(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates")));
        assert!(missing.is_empty(), "{missing:?}");
    }
}
