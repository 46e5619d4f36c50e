//! Search as Glasnost runs it: the index of this node, followed from the change log, and its pages.

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::mechanism::{Desk, Service, SitemapSource};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

use crate::{http, staff};

const STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/search/",
        access: Access::Coordinate,
        handler: || get(staff::show),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/search/synonyms",
        access: Access::Coordinate,
        handler: || post(staff::add),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/search/synonyms/{id}/remove",
        access: Access::Coordinate,
        handler: || post(staff::remove),
    },
];

fn routes() -> Router<AppState> {
    Router::new()
        .route("/search", get(http::page))
        .route("/search.json", get(http::json))
        .route("/search/suggest", get(http::suggest))
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "search",
    schema: &crate::SCHEMA,
    strings: crate::strings::STRINGS,
    routes,
    query: &[],
    staff: STAFF,
    start: crate::follow::start,
    tasks: Mechanism::no_tasks,
    flush: Some(http::flush),
    figures: None,
    metrics: Some(metrics),
    services: &[Service {
        name: "service_search",
        hint: "service_search_hint",
        rank: 85,
        portal: Some("/search"),
        // The header's search box is on every public page.
        menu: false,
        body: None,
        shown: None,
    }],
    desks: &[Desk { name: "desk_search", path: "/staff/search/" }],
    todo: None,
    sitemap: Some(SitemapSource { portal: &["/search"], per_body: &[], kept: None }),
    feed: None,
    search: &[],
    obligations: None,
};

/// The node's index: the last change of the log it holds and how many things it holds.
fn metrics(state: &AppState, out: &mut String) {
    let Ok(search) = crate::follow::of(state) else { return };
    out.push_str(&format!(
        "# HELP glasnost_search_applied_change The last change of the search log this node's index holds.\n\
         # TYPE glasnost_search_applied_change gauge\nglasnost_search_applied_change {}\n\
         # HELP glasnost_search_documents Things this node's search index holds.\n\
         # TYPE glasnost_search_documents gauge\nglasnost_search_documents {}\n",
        search.index.applied().unwrap_or(-1),
        search.index.len()
    ));
}

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
