//! Visit statistics as Glasnost runs it: its tables, strings, pages, counter and counting.

use axum::Router;
use axum::http::Method;
use axum::routing::get;
use kernel::staff::Access;
use shell::mechanism::{Desk, Service, SitemapSource};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

use crate::http;

const STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/visits/",
        access: Access::ReadAll,
        handler: || get(http::staff_portal),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/visits/",
        access: Access::BodyRead,
        handler: || get(http::staff_body),
    },
];

fn routes() -> Router<AppState> {
    Router::new()
        .route("/visits/", get(http::portal))
        .route("/visits/days.csv", get(http::portal_csv))
        .route("/o/{slug}/visits/", get(http::of_body))
        .route("/o/{slug}/visits/days.csv", get(http::body_csv))
}

/// This node's counts, written every few seconds.
fn start(state: AppState) -> anyhow::Result<AppState> {
    http::counting(state.with_part(crate::count::Counter::default()))
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "visits",
    schema: &crate::SCHEMA,
    strings: crate::strings::STRINGS,
    routes,
    query: &[],
    staff: STAFF,
    start,
    tasks: Mechanism::no_tasks,
    flush: Some(http::flush),
    figures: None,
    metrics: None,
    services: &[Service {
        name: "service_visits",
        hint: "service_visits_hint",
        rank: 95,
        portal: Some("/visits/"),
        menu: false,
        body: Some("/o/{slug}/visits/"),
        shown: None,
    }],
    desks: &[
        Desk { name: "desk_visits", path: "/staff/visits/" },
        Desk { name: "desk_visits", path: "/staff/o/{slug}/visits/" },
    ],
    todo: None,
    sitemap: Some(SitemapSource { portal: &["/visits/"], per_body: &["/o/{slug}/visits/"], kept: None }),
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
