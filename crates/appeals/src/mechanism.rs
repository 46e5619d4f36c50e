//! Appeals and requests as Glasnost runs them: their tables, strings, pages, committer,
//! reminders and figures, in one description.

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::mechanism::{Desk, Service, SitemapSource};
use shell::obligations::{Evidence, Obligation, Standing};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

use crate::http;

const STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || get(http::staff::staff_list),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/publication",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || get(http::staff::staff_moderation),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/publication/{aid}",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_publish),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/publication/{aid}/replacements",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_replacements),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/results.csv",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || get(http::staff::staff_results_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/assign",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_assign),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/forward",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_forward),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/no-answer",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_no_answer),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/questions",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_question_add),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/questions/{qid}",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_question_result),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/questions/{qid}/delete",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_question_delete),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/breaches",
        access: Access::BodyRead,
        handler: || get(http::stats::staff_breaches),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/{aid}",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || get(http::staff::staff_card),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/answer",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_answer),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/extend",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_extend),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/letters",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_letter),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/defer",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_defer),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/refuse",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || post(http::staff::staff_refuse),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/{aid}/files/{fid}",
        access: Access::BodyWrite(http::staff::APPEALS_STAFF),
        handler: || get(http::staff::staff_file),
    },
];

fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/appeals/new",
            get(http::public::new_form)
                .post(http::public::submit)
                .layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
        )
        .route("/appeals/track/{token}", get(http::public::track))
        .route("/appeals/status", get(http::public::status_form).post(http::public::status_submit))
        .route("/o/{slug}/appeals/answers", get(http::public::public_answers))
        .route("/appeals/stats", get(http::stats::portal_page))
        .route("/appeals/stats.csv", get(http::stats::portal_csv))
        .route("/o/{slug}/appeals/stats", get(http::stats::body_page))
        .route("/o/{slug}/appeals/stats.csv", get(http::stats::body_csv))
        .route("/appeals/confirm/{secret}", get(http::public::confirm_form).post(http::public::confirm))
}

/// This node's committer of submissions and the terms of appeals (the law's, with the portal's
/// overrides; a wrong override stops the start).
fn start(state: AppState) -> anyhow::Result<AppState> {
    let intake = crate::intake::Intake::start(state.db.clone(), state.cfg.submit_batch);
    let terms =
        crate::rules::Terms::new(&state.cfg.appeal_terms, &state.cfg.deadline_day_off).map_err(anyhow::Error::msg)?;
    let recheck = std::time::Duration::from_millis(state.cfg.recheck_ms as u64);
    Ok(state.with_part(intake).with_part(terms).with_part(crate::submissions::KeptLists::new(recheck)).with_write_hook(
        |state| {
            if let Ok(lists) = state.part::<crate::submissions::KeptLists>() {
                lists.recheck_now();
            }
        },
    ))
}

fn tasks(cfg: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let reminders: kernel::outbox::Task =
        std::sync::Arc::new(|db, cfg, now| Box::pin(async move { crate::reminders::remind(&db, &cfg, now).await }));
    let sweep: kernel::outbox::Task = std::sync::Arc::new(|db, cfg, now| {
        Box::pin(async move {
            let storage = kernel::storage::Storage::open(&cfg.storage_url)?;
            Ok(crate::intake::sweep_files(&db, &storage, now, 24 * 3_600_000).await?)
        })
    });
    vec![("appeal terms", cfg.reminder_interval_secs * 1000, reminders), ("unreferenced attachments", 3_600_000, sweep)]
}

/// The compliance engine's obligations: an answer within its term to each appeal and information
/// request registered in the last year (and to every older one still open) — told by number and
/// kind alone, nothing the applicant wrote. Forwarded, refused or left without an answer as the
/// law allows: not applicable, with that status as the reason.
fn obligations<'a>(
    state: &'a AppState,
    bodies: &'a [kernel::bodies::Body],
    today: deadlines::Date,
    _cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, shell::error::AppResult<Vec<Obligation>>> {
    Box::pin(async move {
        let slugs: std::collections::HashMap<i64, &str> = bodies.iter().map(|b| (b.id, b.slug.as_str())).collect();
        let mut out = Vec::new();
        for t in crate::stats::terms(&state.db, today, http::stats::day_of(state)).await? {
            let Some(slug) = slugs.get(&t.body_id) else { continue };
            let href = format!("/staff/o/{slug}/appeals/{}", t.id);
            let answered = t.answered_on.filter(|_| t.status == "answered").map(|on| Evidence {
                label: t.number.clone(),
                href: href.clone(),
                on,
            });
            let standing = if answered.is_none() && crate::workflow::is_final(&t.status) {
                Standing::NotApplicable { reason: t.status.clone() }
            } else {
                Standing::by(t.due_on, answered, today)
            };
            let kind = crate::rules::Kind::parse(t.kind).unwrap_or(crate::rules::Kind::Appeal);
            let indicator = match kind {
                crate::rules::Kind::InfoRequest | crate::rules::Kind::MediaRequest => "information_request_answer",
                _ => "appeal_answer",
            };
            let source = crate::rules::answer_rule(kind).source;
            out.push(Obligation {
                body_id: t.body_id,
                key: format!("appeals/submission/{}", t.id),
                indicator,
                title: format!("№ {}", t.number),
                source: source.to_string(),
                href,
                standing,
            });
        }
        Ok(out)
    })
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "appeals",
    schema: &crate::SCHEMA,
    strings: http::strings::STRINGS,
    routes,
    query: &["period", "year", "body", "kind", "sent", "q", "topic"],
    staff: STAFF,
    start,
    tasks,
    flush: None,
    figures: Some(http::stats::region_figures),
    metrics: Some(metrics),
    services: &[
        Service {
            name: "service_appeal",
            hint: "service_appeal_hint",
            rank: 10,
            portal: Some("/appeals/new"),
            menu: true,
            body: Some("/appeals/new?body={slug}"),
            shown: None,
        },
        Service {
            name: "service_status",
            hint: "service_status_hint",
            rank: 20,
            portal: Some("/appeals/status"),
            menu: true,
            body: None,
            shown: None,
        },
        Service {
            name: "service_answers",
            hint: "service_answers_hint",
            rank: 50,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/appeals/answers"),
            shown: None,
        },
        Service {
            name: "service_appeal_stats",
            hint: "service_appeal_stats_hint",
            rank: 70,
            portal: Some("/appeals/stats"),
            menu: false,
            body: Some("/o/{slug}/appeals/stats"),
            shown: None,
        },
    ],
    desks: &[
        Desk { name: "desk_appeals", path: "/staff/o/{slug}/appeals/" },
        Desk { name: "desk_publication", path: "/staff/o/{slug}/appeals/publication" },
    ],
    todo: Some(http::staff::todo),
    sitemap: Some(SitemapSource {
        portal: &["/appeals/new", "/appeals/status", "/appeals/stats"],
        per_body: &["/o/{slug}/appeals/answers", "/o/{slug}/appeals/stats"],
        kept: None,
    }),
    feed: None,
    search: &[crate::searched::SEARCH],
    obligations: Some(obligations),
};

/// How many commits made how many submissions durable on this node (group commit at work).
fn metrics(state: &AppState, out: &mut String) {
    let Ok(intake) = state.part::<crate::intake::Intake>() else { return };
    let c = intake.counts();
    let load = |n: &std::sync::atomic::AtomicU64| n.load(std::sync::atomic::Ordering::Relaxed);
    out.push_str(&format!(
        "# HELP glasnost_submission_commits_total Transactions that made appeals and requests durable.\n\
         # TYPE glasnost_submission_commits_total counter\nglasnost_submission_commits_total {}\n\
         # HELP glasnost_submissions_committed_total Appeals and requests made durable.\n\
         # TYPE glasnost_submissions_committed_total counter\nglasnost_submissions_committed_total {}\n",
        load(&c.commits),
        load(&c.submissions)
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
