//! The site as Glasnost runs it: its tables, strings and pages, in one description.

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::mechanism::{Desk, Service, SitemapSource};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

use crate::http;

const STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/",
        access: Access::BodyRead,
        handler: || get(http::staff::list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/kind",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::staff::set_kind),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/items/{code}",
        access: Access::BodyRead,
        handler: || get(http::staff::item),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/items/{code}",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::staff::record),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/site/catalogue",
        access: Access::PortalAdmin,
        handler: || get(http::admin::show),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/site/catalogue.csv",
        access: Access::PortalAdmin,
        handler: || get(http::admin::download),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/site/catalogue",
        access: Access::PortalAdmin,
        handler: || {
            post(http::admin::load).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/site/catalogue/reset",
        access: Access::PortalAdmin,
        handler: || post(http::admin::reset),
    },
];

fn routes() -> Router<AppState> {
    Router::new().route("/o/{slug}/info/", get(http::public::info))
}

fn tasks(cfg: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let reminders: kernel::outbox::Task =
        std::sync::Arc::new(|db, cfg, now| Box::pin(async move { crate::reminders::plan(&db, &cfg, now).await }));
    vec![("site reminders", cfg.reminder_interval_secs * 1000, reminders)]
}

fn start(state: AppState) -> anyhow::Result<AppState> {
    Ok(state)
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "site",
    schema: &crate::SCHEMA,
    strings: http::strings::STRINGS,
    routes,
    query: &[],
    staff: STAFF,
    start,
    tasks,
    around: None,
    figures: Some(http::region_figures),
    metrics: None,
    services: &[Service {
        name: "service_site_info",
        hint: "service_site_info_hint",
        rank: 10,
        portal: None,
        menu: false,
        body: Some("/o/{slug}/info/"),
    }],
    desks: &[
        Desk { name: "desk_site", path: "/staff/o/{slug}/site/" },
        Desk { name: "site_catalogue", path: "/staff/site/catalogue" },
    ],
    todo: Some(http::todo),
    sitemap: Some(SitemapSource { portal: &[], per_body: &["/o/{slug}/info/"], kept: None }),
    feed: None,
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
