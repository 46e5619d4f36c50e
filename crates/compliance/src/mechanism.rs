//! The compliance engine as Glasnost runs it: its tables, strings, pages and the cycle that
//! evaluates the obligations.

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::mechanism::{Desk, Service};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

use crate::http::{public, staff};

const STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/compliance/",
        access: Access::ReadAll,
        handler: || get(staff::board),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/compliance/bodies.csv",
        access: Access::ReadAll,
        handler: || get(staff::board_csv),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/compliance/report.docx",
        access: Access::ReadAll,
        handler: || get(staff::board_docx),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/compliance/methodology",
        access: Access::AnyStaff,
        handler: || get(staff::methodology),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/compliance/methodology.json",
        access: Access::AnyStaff,
        handler: || get(staff::methodology_json),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/compliance/methodology",
        access: Access::Coordinate,
        handler: || post(staff::load),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/compliance/",
        access: Access::BodyRead,
        handler: || get(staff::body_page),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/compliance/obligations.csv",
        access: Access::BodyRead,
        handler: || get(staff::body_csv),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/compliance/decide",
        access: Access::BodyWrite(staff::DECIDERS),
        handler: || get(staff::decide_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/compliance/decide",
        access: Access::BodyWrite(staff::DECIDERS),
        handler: || post(staff::decide),
    },
];

fn routes() -> Router<AppState> {
    Router::new().route("/openness/", get(public::page))
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "compliance",
    schema: &crate::SCHEMA,
    strings: crate::http::strings::STRINGS,
    routes,
    query: &["done", "o"],
    staff: STAFF,
    start: crate::evaluate::start,
    tasks: Mechanism::no_tasks,
    flush: None,
    figures: None,
    metrics: None,
    services: &[Service {
        name: "service_compliance",
        hint: "service_compliance_hint",
        rank: 96,
        portal: Some("/openness/"),
        menu: false,
        body: None,
        shown: Some(|cfg| cfg.compliance_public),
    }],
    desks: &[
        Desk { name: "desk_compliance", path: "/staff/compliance/" },
        Desk { name: "desk_compliance_body", path: "/staff/o/{slug}/compliance/" },
    ],
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
