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
        handler: || get(http::staff::my_measures),
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
        handler: || get(http::staff::track),
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
    around: None,
    figures: Some(http::region_figures),
    metrics: None,
    services: &[Service {
        name: "service_openness",
        hint: "service_openness_hint",
        rank: 40,
        portal: None,
        menu: false,
        body: Some("/o/{slug}/openness/"),
    }],
    desks: &[
        Desk { name: "my_measures", path: "/staff/my-measures" },
        Desk { name: "desk_roadmaps", path: "/staff/o/{slug}/roadmaps/" },
    ],
    todo: Some(http::todo),
    sitemap: Some(SitemapSource { portal: &[], per_body: &["/o/{slug}/openness/"], kept: None }),
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
