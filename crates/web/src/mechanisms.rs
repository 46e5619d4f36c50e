//! The mechanisms whose pages still live in this crate, each described as a `Mechanism` — until
//! each moves into its own crate with its pages.

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

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
