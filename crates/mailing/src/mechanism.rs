//! Mailing as Glasnost runs it: its tables, strings, pages, webhook and the worker's task that
//! starts campaigns, settles their ledgers and reads bounce reports.

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::mechanism::{Desk, Service, SitemapSource};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

use crate::http::{api, public, staff};

const STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/mailing/",
        access: Access::BodyWrite(staff::OPERATORS),
        handler: || get(staff::desk),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/mailing/",
        access: Access::BodyWrite(staff::OPERATORS),
        handler: || post(staff::create),
    },
    // Subscribers' addresses are personal data: the mailing's operators only (§40 з).
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/mailing/subscribers",
        access: Access::BodyWrite(staff::OPERATORS),
        handler: || get(staff::subscribers),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/mailing/subscribers.csv",
        access: Access::BodyWrite(staff::OPERATORS),
        handler: || post(staff::export),
    },
    // Counts only, no addresses: anyone of the body's staff.
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/mailing/stats",
        access: Access::BodyRead,
        handler: || get(staff::stats),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/mailing/{id}",
        access: Access::BodyWrite(staff::OPERATORS),
        handler: || get(staff::campaign),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/mailing/{id}",
        access: Access::BodyWrite(staff::OPERATORS),
        handler: || post(staff::update),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/mailing/{id}/test",
        access: Access::BodyWrite(staff::OPERATORS),
        handler: || post(staff::test),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/mailing/{id}/schedule",
        access: Access::BodyWrite(staff::OPERATORS),
        handler: || post(staff::schedule),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/mailing/{id}/cancel",
        access: Access::BodyWrite(staff::OPERATORS),
        handler: || post(staff::cancel),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/mailing/{id}/ledger.csv",
        access: Access::BodyWrite(staff::OPERATORS),
        handler: || get(staff::ledger_csv),
    },
];

fn routes() -> Router<AppState> {
    Router::new()
        .route("/mailing/", get(public::page).post(public::subscribe))
        .route("/mailing/confirm/{token}", get(public::confirm_view).post(public::confirm))
        .route("/mailing/preferences/{token}", get(public::preferences).post(public::save_preferences))
        .route("/mailing/unsubscribe/{token}", get(public::unsubscribe_view).post(public::unsubscribe))
        .route("/api/mailing/bounces", post(api::bounces))
}

/// How often the worker starts due campaigns, settles ledgers and reads the bounce folder (ms).
const EVERY_MS: i64 = 2_000;

fn tasks(_cfg: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let mailing: kernel::outbox::Task = std::sync::Arc::new(|db, cfg, now| {
        Box::pin(async move {
            let mut done = crate::campaigns::dispatch(&db, &cfg, now).await?;
            done += crate::campaigns::settle(&db, now).await?;
            if let Some(dir) = &cfg.mailing_bounce_dir {
                done += crate::bounces::read_folder(&db, &cfg, now, dir).await?;
            }
            Ok(done)
        })
    });
    vec![("mailing", EVERY_MS, mailing)]
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "mailing",
    schema: &crate::SCHEMA,
    strings: crate::http::strings::STRINGS,
    routes,
    query: &["sent", "body", "topic", "done", "state", "page"],
    staff: STAFF,
    start: crate::digests::start,
    tasks,
    flush: None,
    figures: None,
    metrics: None,
    services: &[Service {
        name: "service_mailing",
        hint: "service_mailing_hint",
        rank: 90,
        portal: Some("/mailing/"),
        menu: false,
        body: Some("/mailing/?body={slug}"),
        shown: None,
    }],
    desks: &[Desk { name: "desk_mailing", path: "/staff/o/{slug}/mailing/" }],
    todo: None,
    sitemap: Some(SitemapSource { portal: &["/mailing/"], per_body: &[], kept: None }),
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
