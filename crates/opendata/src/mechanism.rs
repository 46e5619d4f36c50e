//! Open data as Glasnost runs it: its tables, strings, pages, APIs, in-memory catalogue, demand
//! counting and reminders, in one description.

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use futures::future::BoxFuture;
use kernel::staff::Access;
use shell::error::AppResult;
use shell::mechanism::{Desk, KeptPages, Loc, Service, SitemapSource};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

use crate::http;

const STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/opendata/obligations",
        access: Access::ReadAll,
        handler: || get(http::obligations::region),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/opendata/obligations/{lid}/items.csv",
        access: Access::ReadAll,
        handler: || get(http::obligations::items_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/opendata/obligations/{lid}/items",
        access: Access::Coordinate,
        handler: || post(http::obligations::load),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/",
        access: Access::BodyRead,
        handler: || get(http::datasets::staff_list),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/new",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || get(http::datasets::new_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/new",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || post(http::datasets::create),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/new/sample",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || {
            post(http::datasets::from_sample)
                .layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/tokens",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || get(http::push::tokens_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/tokens",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || post(http::push::token_create),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/tokens/{tid}/revoke",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || post(http::push::token_revoke),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/requests",
        // The requesters' names and addresses: for those who answer them.
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || get(http::requests::staff_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/requests/{rid}",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || post(http::requests::answer),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/obligations",
        access: Access::BodyRead,
        handler: || get(http::obligations::body),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/obligations/{iid}",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || post(http::obligations::set_cover),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/stats",
        access: Access::BodyRead,
        handler: || get(http::demand::staff_stats),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/feedback",
        // The requesters' names and addresses: for those who answer them.
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || get(http::feedback::staff_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/feedback/{fid}",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || post(http::feedback::decide),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}",
        access: Access::BodyRead,
        handler: || get(http::datasets::staff_dataset),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/{id}/upload",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || {
            post(http::datasets::upload).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}/diff",
        access: Access::BodyRead,
        handler: || get(http::datasets::compare),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}/edit",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || get(http::datasets::edit_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/{id}/edit",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || post(http::datasets::edit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}/reports/{name}",
        access: Access::BodyRead,
        handler: || get(http::datasets::report),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/{id}/publish",
        access: Access::BodyWrite(http::datasets::PUBLISHERS),
        handler: || post(http::datasets::set_published),
    },
];

fn routes() -> Router<AppState> {
    Router::new()
        .route("/opendata/", get(http::registry::portal_section))
        .route("/opendata/list.csv", get(http::registry::portal_list))
        .route("/opendata/stats", get(http::demand::portal_stats))
        .route("/opendata/stats.csv", get(http::demand::portal_stats_csv))
        .route("/o/{slug}/opendata/stats", get(http::demand::body_stats))
        .route("/opendata/requests", get(http::requests::public_page).post(http::requests::submit))
        .route("/opendata/list.xml", get(http::registry::portal_list_xml))
        .route("/opendata/all.zip", get(http::registry::bulk))
        .route("/catalog.ttl", get(http::registry::catalog_ttl))
        .route(
            "/api/opendata/{identifier}/versions",
            post(http::push::push).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
        )
        .route("/api/3/action/{name}", get(http::ckan::action).post(http::ckan::action))
        .route("/api/action/{name}", get(http::ckan::action).post(http::ckan::action))
        .route("/catalog.jsonld", get(http::registry::catalog_jsonld))
        .route("/opendata/{identifier}/", get(http::registry::passport_page))
        .route("/opendata/{identifier}/feedback", get(http::feedback::public_page).post(http::feedback::submit))
        .route("/opendata/{identifier}/{file}", get(http::registry::dataset_file))
        .route("/o/{slug}/opendata/", get(http::registry::body_section))
        .route("/o/{slug}/opendata/list.csv", get(http::registry::body_list))
}

/// The published catalogue in memory (for the read APIs) and this node's demand counts.
fn start(state: AppState) -> anyhow::Result<AppState> {
    let recheck = std::time::Duration::from_millis(state.cfg.recheck_ms as u64);
    let state = state
        .with_part(crate::index::Catalogue::new(recheck))
        .with_part(crate::demand::Counter::default())
        // The catalogue looks at the database again on its next use after any change.
        .with_write_hook(|s| {
            if let Ok(c) = s.part::<crate::index::Catalogue>() {
                c.invalidate();
            }
        });
    http::demand::counting(state)
}

fn tasks(cfg: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let overdue: kernel::outbox::Task =
        std::sync::Arc::new(|db, cfg, now| Box::pin(async move { crate::obligations::remind(&db, &cfg, now).await }));
    vec![("open-data obligations", cfg.reminder_interval_secs * 1000, overdue)]
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "opendata",
    schema: &crate::SCHEMA,
    strings: http::strings::STRINGS,
    routes,
    query: &["q", "page", "from", "to", "sent"],
    staff: STAFF,
    start,
    tasks,
    flush: Some(|s| Box::pin(async move { Ok(s.part::<crate::demand::Counter>()?.flush(&s.db).await?) })),
    figures: Some(http::obligations::region_figures),
    metrics: None,
    services: &[
        Service {
            name: "service_opendata",
            hint: "service_opendata_hint",
            rank: 30,
            portal: Some("/opendata/"),
            menu: true,
            body: Some("/o/{slug}/opendata/"),
            shown: None,
        },
        Service {
            name: "service_dataset_request",
            hint: "service_dataset_request_hint",
            rank: 60,
            portal: Some("/opendata/requests"),
            menu: false,
            body: None,
            shown: None,
        },
    ],
    desks: &[
        Desk { name: "desk_obligations", path: "/staff/opendata/obligations" },
        Desk { name: "desk_datasets", path: "/staff/o/{slug}/opendata/" },
        Desk { name: "desk_body_obligations", path: "/staff/o/{slug}/opendata/obligations" },
    ],
    todo: Some(http::obligations::todo),
    sitemap: Some(SitemapSource {
        portal: &["/opendata/", "/opendata/stats", "/opendata/requests"],
        per_body: &["/o/{slug}/opendata/", "/o/{slug}/opendata/stats"],
        kept: Some(KeptPages { count: published_count, window: published_pages }),
    }),
    feed: Some(feed),
    search: &[crate::searched::SEARCH],
    obligations: Some(http::obligations::obligations),
};

/// Published datasets, newest first.
fn feed<'a>(
    state: &'a AppState,
    body: Option<&'a kernel::bodies::Body>,
    limit: u64,
) -> BoxFuture<'a, AppResult<Vec<shell::mechanism::FeedEntry>>> {
    Box::pin(async move {
        use sqlx::Row;
        let sql = "SELECT id, identifier, title, description, updated_at FROM datasets WHERE published = 1 \
                   AND ($1 = 0 OR body_id = $1) ORDER BY updated_at DESC, id DESC LIMIT $2";
        let rows = shell::mechanism::feed_rows(state, sql, body, limit).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let get = |c: &str| r.try_get::<String, _>(c).map_err(kernel::Error::from);
            let id: i64 = r.try_get("id").map_err(kernel::Error::from)?;
            out.push(shell::mechanism::FeedEntry {
                key: format!("dataset/{id}"),
                path: format!("/opendata/{}/", get("identifier")?),
                title: format!("Открытые данные: {}", get("title")?),
                summary: get("description")?,
                updated: r.try_get("updated_at").map_err(kernel::Error::from)?,
            });
        }
        Ok(out)
    })
}

/// How many datasets are published: each has its passport page.
fn published_count(state: &AppState) -> BoxFuture<'_, AppResult<u64>> {
    Box::pin(async move {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM datasets WHERE published = 1")
            .fetch_one(&state.db.pool)
            .await
            .map_err(kernel::Error::from)?;
        Ok(n.max(0) as u64)
    })
}

/// Published datasets' passport pages `offset .. offset + limit`, by id, each with the day it
/// last changed.
fn published_pages(state: &AppState, offset: u64, limit: u64) -> BoxFuture<'_, AppResult<Vec<Loc>>> {
    Box::pin(async move {
        let tz = jiff::tz::TimeZone::get(&state.cfg.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
        let rows = sqlx::query(
            "SELECT identifier, updated_at FROM datasets WHERE published = 1 ORDER BY id LIMIT $1 OFFSET $2",
        )
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&state.db.pool)
        .await
        .map_err(kernel::Error::from)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            use sqlx::Row;
            let identifier: String = r.try_get("identifier").map_err(kernel::Error::from)?;
            let at: i64 = r.try_get("updated_at").map_err(kernel::Error::from)?;
            let lastmod = jiff::Timestamp::from_millisecond(at).ok().map(|t| t.to_zoned(tz.clone()).date().to_string());
            out.push(Loc { path: format!("/opendata/{identifier}/"), lastmod });
        }
        Ok(out)
    })
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
