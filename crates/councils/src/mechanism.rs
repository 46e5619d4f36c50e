//! Councils and online conferences as Glasnost runs them: their tables, strings, pages, feeds and
//! reminders, in one description.

use std::collections::HashMap;

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::mechanism::{Cell, Desk, FigureRow, Figures, Service, SitemapSource};
use shell::obligations::{Evidence, Obligation, Standing};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

use crate::http::{conferences, conferences_staff, experts, groups, plans, public, staff};

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
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/meetings/{mid}/cancel",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(staff::cancel),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/conferences/",
        access: Access::BodyRead,
        handler: || get(conferences_staff::list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/conferences/",
        access: Access::BodyWrite(conferences_staff::HOSTS),
        handler: || post(conferences_staff::create),
    },
    // Who asked what is personal data: only the hosts see a conference's page.
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/conferences/{id}",
        access: Access::BodyWrite(conferences_staff::HOSTS),
        handler: || get(conferences_staff::conference),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/conferences/{id}",
        access: Access::BodyWrite(conferences_staff::HOSTS),
        handler: || post(conferences_staff::links),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/conferences/{id}/topics/{tid}",
        access: Access::BodyWrite(conferences_staff::HOSTS),
        handler: || post(conferences_staff::moderate_topic),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/conferences/{id}/questions/{qid}",
        access: Access::BodyWrite(conferences_staff::HOSTS),
        handler: || post(conferences_staff::question),
    },
    // Who proposed a group is personal data: only the keepers see the page.
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/reference-groups/",
        access: Access::BodyWrite(groups::KEEPERS),
        handler: || get(groups::desk),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/reference-groups/",
        access: Access::BodyWrite(groups::KEEPERS),
        handler: || post(groups::create),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/reference-groups/{id}",
        access: Access::BodyWrite(groups::KEEPERS),
        handler: || post(groups::decide),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/reference-groups/{id}/work",
        access: Access::BodyWrite(groups::KEEPERS),
        handler: || post(groups::add_work),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/{id}/plans",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(plans::put_up),
    },
    // Commenters' addresses are personal data: the secretaries only.
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/councils/plans/{pid}/comments",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || get(plans::moderation),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/councils/plans/{pid}/comments.csv",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || get(plans::comments_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/plans/{pid}/comments/{cid}",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(plans::moderate),
    },
    // Experts' addresses and applicants' documents are personal data: the secretaries only.
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/experts/",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || get(experts::desk),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/experts/",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(experts::add_expert),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/experts/calls",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(experts::announce_call),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/experts/{id}",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(experts::change_expert),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/councils/calls/{cid}",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || get(experts::call_staff),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/councils/calls/{cid}",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || post(experts::decide),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/councils/calls/{cid}/files/{fid}",
        access: Access::BodyWrite(staff::SECRETARIES),
        handler: || get(experts::file),
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
        .route("/conferences/", get(conferences::portal_list))
        .route("/o/{slug}/conferences/", get(conferences::body_list))
        .route("/o/{slug}/conferences/{id}", get(conferences::conference))
        .route("/o/{slug}/conferences/{id}/vote", post(conferences::vote))
        .route("/o/{slug}/conferences/{id}/topics", post(conferences::propose))
        .route("/o/{slug}/conferences/{id}/questions", post(conferences::ask))
        .route("/o/{slug}/conferences/{id}/v/{vid}/{token}", get(conferences::confirm))
        .route("/o/{slug}/reference-groups/", get(groups::register).post(groups::propose))
        .route("/o/{slug}/experts/", get(experts::register))
        .route("/o/{slug}/councils/plans/{id}", get(plans::public).post(plans::submit))
        .route(
            "/o/{slug}/councils/calls/{id}",
            get(experts::call)
                .post(experts::apply)
                .layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
        )
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

/// Per body: publications of its councils made late, meetings whose minutes are overdue, and its
/// online conferences this year and quarter against the norms of §41.
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
        let schedules = crate::conferences::schedules(&state.db, today, &state.timezone).await?;
        let norms = crate::conferences::Norms::of(&state.cfg);
        let columns = ["councils_late", "councils_minutes_overdue", "conferences_short"]
            .iter()
            .map(|k| v.t(k).to_string())
            .collect();
        let mut rows = HashMap::new();
        for body in bodies {
            let (n, council) = late.get(&body.id).copied().unwrap_or_default();
            let m = overdue.get(&body.id).copied().unwrap_or_default();
            let s = schedules.get(&body.id).copied().unwrap_or_default();
            let short = s.short_of(&norms);
            if n == 0 && m == 0 && short.is_empty() {
                continue;
            }
            let mut late_cell =
                Cell::link(n.to_string(), format!("/staff/o/{}/councils/{council}#publications", body.slug));
            if n > 0 {
                late_cell.alert = Some(v.t("councils_late_alert").to_string());
            }
            let figures = format!(
                "{}/{} · {}/{} · {}/{}",
                s.year, norms.per_year, s.media, norms.media_per_year, s.head_quarter, norms.head_per_quarter
            );
            let mut schedule_cell = Cell::link(figures, format!("/staff/o/{}/conferences/#schedule", body.slug));
            if !short.is_empty() {
                schedule_cell.alert = Some(short.iter().map(|k| v.t(k)).collect::<Vec<_>>().join("; "));
            }
            let cells =
                vec![late_cell, Cell::link(m.to_string(), format!("/staff/o/{}/councils/", body.slug)), schedule_cell];
            rows.insert(body.id, FigureRow { cells, urgency: m * 1_000 + n as u64 + short.len() as u64 });
        }
        Ok(Figures { heading: v.t("desk_councils").to_string(), columns, rows })
    })
}

/// The compliance engine's obligations: the minutes of every meeting held in the last year (and
/// of older ones still without them), due the set number of working days after the meeting.
fn obligations<'a>(
    state: &'a AppState,
    bodies: &'a [kernel::bodies::Body],
    today: deadlines::Date,
    cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, shell::error::AppResult<Vec<Obligation>>> {
    Box::pin(async move {
        let slugs: HashMap<i64, &str> = bodies.iter().map(|b| (b.id, b.slug.as_str())).collect();
        let mut out = Vec::new();
        for h in crate::meetings::held(&state.db, &state.cfg, cal, state.clock.now_ms()).await? {
            let Some(slug) = slugs.get(&h.body_id) else { continue };
            let public = format!("/o/{slug}/councils/meetings/{}", h.meeting.id);
            let day = h.on.strftime("%d.%m.%Y");
            let published = h.published.map(|on| Evidence { label: public.clone(), href: public.clone(), on });
            let standing = Standing::by(h.due, published, today);
            out.push(Obligation {
                body_id: h.body_id,
                key: format!("councils/minutes/{}", h.meeting.id),
                indicator: "council_minutes",
                title: format!("{} · {}", h.council, day),
                source: format!("§31, {} раб. дн.", state.cfg.council_minutes_working_days),
                href: format!("/staff/o/{slug}/councils/meetings/{}", h.meeting.id),
                standing,
            });
        }
        // A council's composition and documents on the site within `council_freshness_days` of
        // their approval (roadmap 004 §5.1–5.4), for the publications of the last year.
        for (id, body_id, council, name, p) in crate::store::recent_publications(&state.db, today).await? {
            let Some(slug) = slugs.get(&body_id) else { continue };
            let (Ok(due), Ok(on)) = (p.due_on.parse::<deadlines::Date>(), p.published_on.parse::<deadlines::Date>())
            else {
                continue;
            };
            let public = format!("/o/{slug}/councils/{council}");
            out.push(Obligation {
                body_id,
                key: format!("councils/publication/{id}"),
                indicator: "council_publication",
                title: format!("{name}: {}", p.title),
                source: format!("004 §5.1–5.4, {} дн.", state.cfg.council_freshness_days),
                href: format!("/staff/o/{slug}/councils/{council}#publications"),
                standing: Standing::Met {
                    evidence: Evidence { label: public.clone(), href: public, on },
                    late_for: (on > due).then_some(due),
                },
            });
        }
        out.extend(conference_obligations(state, bodies, today).await?);
        Ok(out)
    })
}

/// Online conferences a year (seed 000 §41 д, the setting `conferences_per_year`): for this year,
/// met once held or announced, due by 31 December until then; for the last year too, when the
/// body was on the portal all of it — late if it fell short.
async fn conference_obligations(
    state: &AppState,
    bodies: &[kernel::bodies::Body],
    today: deadlines::Date,
) -> shell::error::AppResult<Vec<Obligation>> {
    let norms = crate::conferences::Norms::of(&state.cfg);
    if norms.per_year == 0 {
        return Ok(Vec::new());
    }
    let year_end = |y: i16| deadlines::Date::new(y, 12, 31).map_err(|e| shell::error::AppError::Internal(e.into()));
    let (this, last) = (today.year(), today.year() - 1);
    let counts = [
        (this, crate::conferences::schedules(&state.db, today, &state.timezone).await?),
        (last, crate::conferences::schedules(&state.db, year_end(last)?, &state.timezone).await?),
    ];
    let mut out = Vec::new();
    for body in bodies {
        let joined = jiff::Timestamp::from_millisecond(body.created_at)
            .map(|t| t.to_zoned(state.timezone.clone()).date())
            .unwrap_or(today);
        for (year, schedules) in &counts {
            let due = year_end(*year)?;
            let starts = deadlines::Date::new(*year, 1, 1).map_err(|e| shell::error::AppError::Internal(e.into()))?;
            if *year == last && joined > starts {
                continue;
            }
            let held = schedules.get(&body.id).map_or(0, |s| s.year);
            let href = format!("/staff/o/{}/conferences/", body.slug);
            let standing = if held >= norms.per_year {
                let label = format!("{held} / {}", norms.per_year);
                Standing::Met { evidence: Evidence { label, href: href.clone(), on: today.min(due) }, late_for: None }
            } else if due < today {
                Standing::Late { due }
            } else {
                Standing::Due { due }
            };
            out.push(Obligation {
                body_id: body.id,
                key: format!("councils/conferences/{year}"),
                indicator: "conferences_year",
                title: format!("{year}: {held} / {}", norms.per_year),
                source: "§41 д".to_string(),
                href,
                standing,
            });
        }
    }
    Ok(out)
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
        let holds = |roles: &[kernel::staff::Role], body: &kernel::bodies::Body| {
            user.grants.iter().any(|g| roles.contains(&g.role) && g.body_id == Some(body.id))
        };
        let keeps = |body: &kernel::bodies::Body| holds(staff::SECRETARIES, body);
        let mut out = Vec::new();
        if bodies.iter().any(|b| holds(conferences_staff::HOSTS, b)) {
            let awaiting = crate::conferences::awaiting(&state.db).await?;
            for body in bodies.iter().filter(|b| holds(conferences_staff::HOSTS, b)) {
                if let Some(n) = awaiting.get(&body.id).filter(|n| **n > 0) {
                    out.push(shell::mechanism::Todo {
                        text: format!(
                            "{}: {} {}",
                            body.short_name,
                            v.t("conferences"),
                            v.t("todo_conference").replace("{n}", &n.to_string())
                        ),
                        href: format!("/staff/o/{}/conferences/", body.slug),
                        urgent: false,
                    });
                }
            }
        }
        if !bodies.iter().any(keeps) {
            return Ok(out);
        }
        let due = crate::meetings::without_minutes(&state.db, &state.cfg, cal, state.clock.now_ms()).await?;
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
    services: &[
        Service {
            name: "service_councils",
            hint: "service_councils_hint",
            rank: 40,
            portal: Some("/councils/"),
            menu: true,
            body: Some("/o/{slug}/councils/"),
            shown: None,
        },
        Service {
            name: "service_conferences",
            hint: "service_conferences_hint",
            rank: 45,
            portal: Some("/conferences/"),
            menu: false,
            body: Some("/o/{slug}/conferences/"),
            shown: None,
        },
        Service {
            name: "service_groups",
            hint: "service_groups_hint",
            rank: 46,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/reference-groups/"),
            shown: None,
        },
        Service {
            name: "service_experts",
            hint: "service_experts_hint",
            rank: 47,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/experts/"),
            shown: None,
        },
    ],
    desks: &[
        Desk { name: "desk_councils", path: "/staff/o/{slug}/councils/" },
        Desk { name: "desk_conferences", path: "/staff/o/{slug}/conferences/" },
        Desk { name: "desk_groups", path: "/staff/o/{slug}/reference-groups/" },
        Desk { name: "desk_experts", path: "/staff/o/{slug}/experts/" },
    ],
    todo: Some(todo),
    sitemap: Some(SitemapSource {
        portal: &["/councils/", "/conferences/"],
        per_body: &[
            "/o/{slug}/councils/",
            "/o/{slug}/conferences/",
            "/o/{slug}/reference-groups/",
            "/o/{slug}/experts/",
        ],
        kept: None,
    }),
    feed: None,
    search: &[],
    obligations: Some(obligations),
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_used_in_the_templates_exists() {
        let tables = [super::MECHANISM.strings, discussion::strings::STRINGS];
        let strings = shell::i18n::Strings::new(&tables).expect("strings");
        let missing =
            strings.missing_in_templates(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates")));
        assert!(missing.is_empty(), "{missing:?}");
    }
}
