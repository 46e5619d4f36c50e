//! The roadmap as Glasnost runs it: its tables, strings, pages and reminders, in one description.

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
        path: "/staff/my-measures",
        access: Access::AnyStaff,
        handler: || get(http::tracking::my_measures),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/",
        access: Access::BodyRead,
        handler: || get(http::staff::list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/import",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || {
            post(http::staff::upload).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/confirm",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || post(http::staff::confirm),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}",
        access: Access::BodyRead,
        handler: || get(http::staff::detail),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/track",
        access: Access::BodyRead,
        handler: || get(http::tracking::track),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/measures/{mid}/mark",
        // Planners, and the staff named among the measure's executors (checked in the handler).
        access: Access::BodyRead,
        handler: || get(http::staff::mark_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/measures/{mid}/mark",
        access: Access::BodyRead,
        handler: || post(http::staff::mark_submit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/measures/{mid}/edit",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || get(http::staff::edit_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/measures/{mid}/edit",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || post(http::staff::edit_submit),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/measures/{mid}/executors",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || post(http::staff::set_executors),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/comments",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || get(http::discussion::moderation),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/comments.csv",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || get(http::discussion::comments_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/comments/{cid}",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || post(http::discussion::moderate),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/execution",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || get(http::execution::form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/execution",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || {
            post(http::execution::upload).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/execution/confirm",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || post(http::execution::confirm),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/status",
        access: Access::BodyWrite(http::PLANNERS),
        handler: || post(http::staff::set_status),
    },
];

/// How many drafts are open for discussion: each has its public page.
fn discussions_count(state: &AppState) -> futures::future::BoxFuture<'_, shell::error::AppResult<u64>> {
    Box::pin(async move {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM roadmaps WHERE status = 'discussion'")
            .fetch_one(&state.db.pool)
            .await
            .map_err(kernel::Error::from)?;
        Ok(n.max(0) as u64)
    })
}

/// The discussion pages of drafts `offset .. offset + limit`, by id.
fn discussions(
    state: &AppState,
    offset: u64,
    limit: u64,
) -> futures::future::BoxFuture<'_, shell::error::AppResult<Vec<shell::mechanism::Loc>>> {
    Box::pin(async move {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT r.id, b.slug FROM roadmaps r JOIN bodies b ON b.id = r.body_id WHERE r.status = 'discussion' \
             ORDER BY r.id LIMIT $1 OFFSET $2",
        )
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&state.db.pool)
        .await
        .map_err(kernel::Error::from)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (id, slug): (i64, String) =
                (r.try_get("id").map_err(kernel::Error::from)?, r.try_get("slug").map_err(kernel::Error::from)?);
            out.push(shell::mechanism::Loc { path: format!("/o/{slug}/openness/discussion/{id}"), lastmod: None });
        }
        Ok(out)
    })
}

/// Approved plans and drafts open for discussion, newest first.
fn feed<'a>(
    state: &'a AppState,
    body: Option<&'a kernel::bodies::Body>,
    limit: u64,
) -> futures::future::BoxFuture<'a, shell::error::AppResult<Vec<shell::mechanism::FeedEntry>>> {
    Box::pin(async move {
        use sqlx::Row;
        let sql = "SELECT r.id, r.title, r.status, r.updated_at, b.slug, b.short_name FROM roadmaps r \
                   JOIN bodies b ON b.id = r.body_id WHERE r.status IN ('approved', 'discussion') \
                   AND ($1 = 0 OR r.body_id = $1) ORDER BY r.updated_at DESC, r.id DESC LIMIT $2";
        let rows = shell::mechanism::feed_rows(state, sql, body, limit).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let get = |c: &str| r.try_get::<String, _>(c).map_err(kernel::Error::from);
            let (id, status, slug): (i64, String, String) =
                (r.try_get("id").map_err(kernel::Error::from)?, get("status")?, get("slug")?);
            let (path, lead) = if status == "approved" {
                (format!("/o/{slug}/openness/"), "План")
            } else {
                (format!("/o/{slug}/openness/discussion/{id}"), "Обсуждение проекта")
            };
            out.push(shell::mechanism::FeedEntry {
                key: format!("roadmap/{id}/{status}"),
                path,
                title: format!("{lead}: {}", get("title")?),
                summary: get("short_name")?,
                updated: r.try_get("updated_at").map_err(kernel::Error::from)?,
            });
        }
        Ok(out)
    })
}

fn routes() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/openness/", get(http::public::public_page))
        .route("/o/{slug}/openness/report", get(http::public::report_page))
        .route("/o/{slug}/openness/discussion/{id}", get(http::discussion::public_page).post(http::discussion::submit))
        .route("/o/{slug}/openness/report.docx", get(http::public::report_docx))
        .route("/o/{slug}/openness/{file}", get(http::public::public_twin))
}

fn tasks(cfg: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let reminders: kernel::outbox::Task =
        std::sync::Arc::new(|db, cfg, now| Box::pin(async move { crate::reminders::plan(&db, &cfg, now).await }));
    vec![("roadmap reminders", cfg.reminder_interval_secs * 1000, reminders)]
}

/// The timings of deadline phrases, kept per day (see `track::Timings`).
fn start(state: AppState) -> anyhow::Result<AppState> {
    let recheck = std::time::Duration::from_millis(state.cfg.recheck_ms as u64);
    Ok(state
        .with_part(crate::track::Timings::default())
        .with_part(crate::kept::KeptPlans::new(recheck))
        .with_write_hook(|state| {
            if let Ok(plans) = state.part::<crate::kept::KeptPlans>() {
                plans.recheck_now();
            }
        }))
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "roadmap",
    schema: &crate::SCHEMA,
    strings: http::strings::STRINGS,
    routes,
    query: &["year", "quarter", "sent"],
    staff: STAFF,
    start,
    tasks,
    flush: None,
    figures: Some(http::region_figures),
    metrics: None,
    services: &[Service {
        name: "service_openness",
        hint: "service_openness_hint",
        rank: 40,
        portal: None,
        menu: false,
        body: Some("/o/{slug}/openness/"),
        shown: None,
    }],
    desks: &[
        Desk { name: "my_measures", path: "/staff/my-measures" },
        Desk { name: "desk_roadmaps", path: "/staff/o/{slug}/roadmaps/" },
    ],
    todo: Some(http::todo),
    sitemap: Some(SitemapSource {
        portal: &[],
        per_body: &["/o/{slug}/openness/"],
        kept: Some(shell::mechanism::KeptPages { count: discussions_count, window: discussions }),
    }),
    feed: Some(feed),
    search: &[crate::searched::SEARCH],
    obligations: Some(http::obligations),
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_used_in_the_templates_exists() {
        let strings =
            shell::i18n::Strings::new(&[super::MECHANISM.strings, discussion::strings::STRINGS]).expect("strings");
        let missing =
            strings.missing_in_templates(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates")));
        assert!(missing.is_empty(), "{missing:?}");
    }
}
