//! The mechanisms whose pages still live in this crate, each described as a `Mechanism` — until
//! each moves into its own crate with its pages.

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

pub const OPENDATA_STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/opendata/obligations",
        access: Access::ReadAll,
        handler: || get(crate::obligations::region),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/opendata/obligations/{lid}/items.csv",
        access: Access::ReadAll,
        handler: || get(crate::obligations::items_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/opendata/obligations/{lid}/items",
        access: Access::Coordinate,
        handler: || post(crate::obligations::load),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/",
        access: Access::BodyRead,
        handler: || get(crate::opendata::staff_list),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/new",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || get(crate::opendata::new_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/new",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::opendata::create),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/new/sample",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || {
            post(crate::opendata::from_sample)
                .layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/tokens",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || get(crate::push::tokens_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/tokens",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::push::token_create),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/tokens/{tid}/revoke",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::push::token_revoke),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/requests",
        access: Access::BodyRead,
        handler: || get(crate::datarequests::staff_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/requests/{rid}",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::datarequests::answer),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/obligations",
        access: Access::BodyRead,
        handler: || get(crate::obligations::body),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/obligations/{iid}",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::obligations::set_cover),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/stats",
        access: Access::BodyRead,
        handler: || get(crate::demand::staff_stats),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/feedback",
        access: Access::BodyRead,
        handler: || get(crate::feedback::staff_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/feedback/{fid}",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::feedback::decide),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}",
        access: Access::BodyRead,
        handler: || get(crate::opendata::staff_dataset),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/{id}/upload",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || {
            post(crate::opendata::upload).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}/diff",
        access: Access::BodyRead,
        handler: || get(crate::opendata::compare),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}/edit",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || get(crate::opendata::edit_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/{id}/edit",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::opendata::edit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}/reports/{name}",
        access: Access::BodyRead,
        handler: || get(crate::opendata::report),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/{id}/publish",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::opendata::set_published),
    },
];

pub const APPEALS_STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || get(crate::appeals::staff_list),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/publication",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || get(crate::appeals::staff_moderation),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/publication/{aid}",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_publish),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/results.csv",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || get(crate::appeals::staff_results_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/assign",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_assign),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/forward",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_forward),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/no-answer",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_no_answer),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/questions",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_question_add),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/questions/{qid}",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_question_result),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/questions/{qid}/delete",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_question_delete),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/breaches",
        access: Access::BodyRead,
        handler: || get(crate::appeal_stats::staff_breaches),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/{aid}",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || get(crate::appeals::staff_card),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/answer",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_answer),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/extend",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_extend),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/letters",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_letter),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/defer",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_defer),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/refuse",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_refuse),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/{aid}/files/{fid}",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || get(crate::appeals::staff_file),
    },
];

fn opendata_routes() -> Router<AppState> {
    Router::new()
        .route("/opendata/", get(crate::opendata::portal_section))
        .route("/opendata/list.csv", get(crate::opendata::portal_list))
        .route("/opendata/stats", get(crate::demand::portal_stats))
        .route("/opendata/stats.csv", get(crate::demand::portal_stats_csv))
        .route("/o/{slug}/opendata/stats", get(crate::demand::body_stats))
        .route("/opendata/requests", get(crate::datarequests::public_page).post(crate::datarequests::submit))
        .route("/opendata/list.xml", get(crate::opendata::portal_list_xml))
        .route("/opendata/all.zip", get(crate::opendata::bulk))
        .route("/catalog.ttl", get(crate::opendata::catalog_ttl))
        .route(
            "/api/opendata/{identifier}/versions",
            post(crate::push::push).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
        )
        .route("/api/3/action/{name}", get(crate::ckan::action).post(crate::ckan::action))
        .route("/api/action/{name}", get(crate::ckan::action).post(crate::ckan::action))
        .route("/catalog.jsonld", get(crate::opendata::catalog_jsonld))
        .route("/opendata/{identifier}/", get(crate::opendata::passport_page))
        .route("/opendata/{identifier}/feedback", get(crate::feedback::public_page).post(crate::feedback::submit))
        .route("/opendata/{identifier}/{file}", get(crate::opendata::dataset_file))
        .route("/o/{slug}/opendata/", get(crate::opendata::body_section))
        .route("/o/{slug}/opendata/list.csv", get(crate::opendata::body_list))
}

/// The published catalogue in memory (for the read APIs) and this node's demand counts.
fn opendata_start(state: AppState) -> anyhow::Result<AppState> {
    let ttl = std::time::Duration::from_millis(state.cfg.page_cache_ms as u64);
    Ok(state
        .with_part(opendata::index::Catalogue::new(ttl))
        .with_part(opendata::demand::Counter::default())
        // The catalogue looks at the database again on its next use after any change.
        .with_write_hook(|s| {
            if let Ok(c) = s.part::<opendata::index::Catalogue>() {
                c.invalidate();
            }
        }))
}

fn opendata_tasks(cfg: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let overdue: kernel::outbox::Task = std::sync::Arc::new(|db, cfg, now| {
        Box::pin(async move { opendata::obligations::remind(&db, &cfg, now).await })
    });
    vec![("open-data obligations", cfg.reminder_interval_secs * 1000, overdue)]
}

pub const OPENDATA: Mechanism = Mechanism {
    name: "opendata",
    schema: &opendata::SCHEMA,
    strings: &[],
    routes: opendata_routes,
    staff: OPENDATA_STAFF,
    start: opendata_start,
    tasks: opendata_tasks,
    around: Some(crate::demand::count),
    figures: Some(crate::obligations::region_figures),
};

fn appeals_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/appeals/new",
            get(crate::appeals::new_form)
                .post(crate::appeals::submit)
                .layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
        )
        .route("/appeals/track/{token}", get(crate::appeals::track))
        .route("/o/{slug}/appeals/answers", get(crate::appeals::public_answers))
        .route("/appeals/stats", get(crate::appeal_stats::portal_page))
        .route("/appeals/stats.csv", get(crate::appeal_stats::portal_csv))
        .route("/o/{slug}/appeals/stats", get(crate::appeal_stats::body_page))
        .route("/o/{slug}/appeals/stats.csv", get(crate::appeal_stats::body_csv))
        .route("/appeals/confirm/{secret}", get(crate::appeals::confirm_form).post(crate::appeals::confirm))
}

/// This node's committer of submissions and the terms of appeals (the law's, with the portal's
/// overrides; a wrong override stops the start).
fn appeals_start(state: AppState) -> anyhow::Result<AppState> {
    let intake = appeals::intake::Intake::start(state.db.clone(), state.cfg.submit_batch);
    let terms =
        appeals::rules::Terms::new(&state.cfg.appeal_terms, &state.cfg.deadline_day_off).map_err(anyhow::Error::msg)?;
    Ok(state.with_part(intake).with_part(terms))
}

fn appeals_tasks(cfg: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let reminders: kernel::outbox::Task =
        std::sync::Arc::new(|db, cfg, now| Box::pin(async move { appeals::reminders::remind(&db, &cfg, now).await }));
    let sweep: kernel::outbox::Task = std::sync::Arc::new(|db, cfg, now| {
        Box::pin(async move {
            let storage = kernel::storage::Storage::open(&cfg.storage_url)?;
            Ok(appeals::intake::sweep_files(&db, &storage, now, 24 * 3_600_000).await?)
        })
    });
    vec![("appeal terms", cfg.reminder_interval_secs * 1000, reminders), ("unreferenced attachments", 3_600_000, sweep)]
}

pub const APPEALS: Mechanism = Mechanism {
    name: "appeals",
    schema: &appeals::SCHEMA,
    strings: &[],
    routes: appeals_routes,
    staff: APPEALS_STAFF,
    start: appeals_start,
    tasks: appeals_tasks,
    around: None,
    figures: Some(crate::appeal_stats::region_figures),
};
