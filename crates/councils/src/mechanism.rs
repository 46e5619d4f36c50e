//! Councils as Glasnost runs them: their tables, strings, pages, feeds and reminders, in one
//! description.

use std::collections::HashMap;

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::mechanism::{Cell, Desk, FigureRow, Figures, Service, SitemapSource};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

use crate::http::{public, staff};

const STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/councils/",
        access: Access::BodyRead,
        handler: || get(staff::list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(staff::create),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/councils/{id}",
        access: Access::BodyRead,
        handler: || get(staff::detail),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/{id}",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(staff::update),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/{id}/members",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || {
            post(staff::add_member).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/{id}/members/{cid}",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(staff::change_member),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/{id}/documents",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(staff::add_document),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/{id}/meetings",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(staff::announce),
    },
    // Who registered is personal data: only the secretaries see it.
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/councils/meetings/{mid}",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || get(staff::meeting),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/councils/meetings/{mid}/registrations.csv",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || get(staff::registrations_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/meetings/{mid}/minutes",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(staff::minutes),
    },
];

fn routes() -> Router<AppState> {
    Router::new()
        .route("/councils/", get(public::portal_calendar))
        .route("/councils/meetings.ics", get(public::portal_ics))
        .route("/o/{slug}/councils/", get(public::body_calendar))
        .route("/o/{slug}/councils/meetings.ics", get(public::body_ics))
        .route("/o/{slug}/councils/meetings/{id}", get(public::meeting).post(public::register))
        .route("/o/{slug}/councils/meetings/{id}/r/{rid}/{token}", get(public::confirm).post(public::cancel))
        .route("/o/{slug}/councils/{id}", get(public::council))
        .route("/o/{slug}/councils/{id}/council.json", get(public::council_json))
        .route("/o/{slug}/councils/{id}/meetings.ics", get(public::council_ics))
        .route("/o/{slug}/councils/{id}/members/{cid}/photo.jpg", get(public::photo))
}

fn tasks(cfg: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let registrants: kernel::outbox::Task = std::sync::Arc::new(|db, cfg, now| {
        Box::pin(async move { Ok(crate::registrations::remind(&db, &cfg, now).await?) })
    });
    let minutes: kernel::outbox::Task = std::sync::Arc::new(|db, cfg, now| {
        Box::pin(async move { crate::meetings::remind_minutes(&db, &cfg, now).await })
    });
    let every = cfg.reminder_interval_secs * 1000;
    vec![("meeting reminders", every, registrants), ("minutes reminders", every, minutes)]
}

/// Per body: publications of its councils made late, and meetings whose minutes are overdue.
fn figures<'a>(
    state: &'a AppState,
    v: &'a shell::chrome::Visitor,
    bodies: &'a [kernel::bodies::Body],
    today: deadlines::Date,
    cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, shell::error::AppResult<Figures>> {
    Box::pin(async move {
        let late: HashMap<i64, (i64, i64)> =
            crate::store::late_by_body(&state.db).await?.into_iter().map(|(b, n, c)| (b, (n, c))).collect();
        let now = state.clock.now_ms();
        let mut overdue: HashMap<i64, u64> = HashMap::new();
        for u in crate::meetings::without_minutes(&state.db, &state.cfg, cal, now).await? {
            if u.due < today {
                *overdue.entry(u.body_id).or_default() += 1;
            }
        }
        let columns = ["councils_late", "councils_minutes_overdue"].iter().map(|k| v.t(k).to_string()).collect();
        let mut rows = HashMap::new();
        for body in bodies {
            let (n, council) = late.get(&body.id).copied().unwrap_or_default();
            let m = overdue.get(&body.id).copied().unwrap_or_default();
            if n == 0 && m == 0 {
                continue;
            }
            let mut late_cell =
                Cell::link(n.to_string(), format!("/staff/o/{}/councils/{council}#publications", body.slug));
            if n > 0 {
                late_cell.alert = Some(v.t("councils_late_alert").to_string());
            }
            let cells = vec![late_cell, Cell::link(m.to_string(), format!("/staff/o/{}/councils/", body.slug))];
            rows.insert(body.id, FigureRow { cells, urgency: m * 1_000 + n as u64 });
        }
        Ok(Figures { heading: v.t("desk_councils").to_string(), columns, rows })
    })
}

/// Minutes due for the secretaries of their body.
fn todo<'a>(
    state: &'a AppState,
    v: &'a shell::chrome::Visitor,
    user: &'a kernel::staff::StaffUser,
    bodies: &'a [kernel::bodies::Body],
    today: deadlines::Date,
    cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, shell::error::AppResult<Vec<shell::mechanism::Todo>>> {
    Box::pin(async move {
        let keeps = |body: &kernel::bodies::Body| {
            user.grants.iter().any(|g| staff::SECRETARIES.contains(&g.role) && g.body_id == Some(body.id))
        };
        if !bodies.iter().any(keeps) {
            return Ok(Vec::new());
        }
        let due = crate::meetings::without_minutes(&state.db, &state.cfg, cal, state.clock.now_ms()).await?;
        let mut out = Vec::new();
        for body in bodies.iter().filter(|b| keeps(b)) {
            for u in due.iter().filter(|u| u.body_id == body.id) {
                out.push(shell::mechanism::Todo {
                    text: format!(
                        "{}: {} ({}) {}",
                        body.short_name,
                        u.council,
                        crate::ical::when_ru(u.meeting.starts_at, &state.timezone),
                        v.t("todo_minutes").replace("{due}", &u.due.strftime("%d.%m.%Y").to_string())
                    ),
                    href: format!("/staff/o/{}/councils/meetings/{}#minutes", body.slug, u.meeting.id),
                    urgent: u.due < today,
                });
            }
        }
        Ok(out)
    })
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "councils",
    schema: &crate::SCHEMA,
    strings: crate::http::strings::STRINGS,
    routes,
    query: &["month", "sent", "done"],
    staff: STAFF,
    start: Mechanism::keeps_nothing,
    tasks,
    flush: None,
    figures: Some(figures),
    metrics: None,
    services: &[Service {
        name: "service_councils",
        hint: "service_councils_hint",
        rank: 40,
        portal: Some("/councils/"),
        menu: true,
        body: Some("/o/{slug}/councils/"),
    }],
    desks: &[Desk { name: "desk_councils", path: "/staff/o/{slug}/councils/" }],
    todo: Some(todo),
    sitemap: Some(SitemapSource { portal: &["/councils/"], per_body: &["/o/{slug}/councils/"], kept: None }),
    feed: None,
    search: &[],
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_used_in_the_templates_exists() {
        let tables = [super::MECHANISM.strings];
        let strings = shell::i18n::Strings::new(&tables).expect("strings");
        let missing =
            strings.missing_in_templates(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates")));
        assert!(missing.is_empty(), "{missing:?}");
    }
}
