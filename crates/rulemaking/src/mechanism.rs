//! Rule-making as Glasnost runs it: its tables, strings, pages and feed, in one description.

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::mechanism::{Desk, FeedEntry, Service, SitemapSource};
use shell::obligations::{Evidence, Obligation, Standing};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};

use crate::http::{public, staff};

const STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/drafts/",
        access: Access::BodyRead,
        handler: || get(staff::list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(staff::create),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/drafts/plan",
        access: Access::BodyRead,
        handler: || get(crate::http::plan::staff),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/plan",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(crate::http::plan::add),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/plan/{iid}",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(crate::http::plan::change),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/drafts/{id}",
        access: Access::BodyRead,
        handler: || get(staff::detail),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/{id}/versions",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(staff::upload).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/{id}/discussion",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(staff::open),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/{id}/result",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(staff::result),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/drafts/{id}/comments",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || get(staff::moderation),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/drafts/{id}/comments.csv",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || get(staff::comments_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/{id}/comments/{cid}",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(staff::moderate),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/{id}/clarity",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(staff::clarity).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/{id}/expertise",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(staff::expertise),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/{id}/conclusions",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(staff::conclusion),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/drafts/{id}/conclusions/{cid}/answer",
        access: Access::BodyWrite(staff::LAWYERS),
        handler: || post(staff::answer),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/drafts/kinds",
        access: Access::PortalAdmin,
        handler: || get(staff::kinds),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/drafts/kinds/{code}",
        access: Access::PortalAdmin,
        handler: || post(staff::set_kind),
    },
];

fn routes() -> Router<AppState> {
    Router::new()
        .route("/drafts/", get(public::portal_list))
        .route("/drafts/closing.atom", get(public::portal_closing))
        .route("/o/{slug}/drafts/closing.atom", get(public::body_closing))
        .route("/o/{slug}/drafts/", get(public::body_list))
        .route("/o/{slug}/drafts/expertise", get(public::expertise_report))
        .route("/o/{slug}/drafts/plan", get(crate::http::plan::public))
        .route("/o/{slug}/drafts/{id}", get(public::page).post(public::submit))
        .route("/o/{slug}/drafts/{id}/confirm/{cid}/{token}", get(public::confirm))
        .route("/o/{slug}/drafts/{id}/summary", get(public::summary))
        .route("/o/{slug}/drafts/{id}/summary.docx", get(public::summary_docx))
        .route("/o/{slug}/drafts/{id}/summary.csv", get(public::summary_csv))
        .route("/o/{slug}/drafts/{id}/versions/{number}", get(public::version_file))
        .route("/o/{slug}/drafts/{id}/conclusions/{cid}", get(public::conclusion))
        .route("/o/{slug}/drafts/{id}/diff", get(public::diff))
        .route("/o/{slug}/drafts/{id}/picture.jpg", get(public::picture))
}

/// Drafts, newest change first: each stage is an entry of its own.
fn feed<'a>(
    state: &'a AppState,
    body: Option<&'a kernel::bodies::Body>,
    limit: u64,
) -> futures::future::BoxFuture<'a, shell::error::AppResult<Vec<FeedEntry>>> {
    Box::pin(async move {
        use sqlx::Row;
        let sql = "SELECT d.id, d.title, d.stage, d.updated_at, b.slug, b.short_name FROM drafts d \
                   JOIN bodies b ON b.id = d.body_id WHERE ($1 = 0 OR d.body_id = $1) \
                   ORDER BY d.updated_at DESC, d.id DESC LIMIT $2";
        let rows = shell::mechanism::feed_rows(state, sql, body, limit).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let get = |c: &str| r.try_get::<String, _>(c).map_err(kernel::Error::from);
            let id: i64 = r.try_get("id").map_err(kernel::Error::from)?;
            let stage = get("stage")?;
            let lead = match stage.as_str() {
                "discussion" => "Общественное обсуждение проекта",
                "adopted" => "Принят акт",
                "withdrawn" => "Отозван проект",
                _ => "Подготовка проекта",
            };
            out.push(FeedEntry {
                key: format!("draft/{id}/{stage}"),
                path: format!("/o/{}/drafts/{id}", get("slug")?),
                title: format!("{lead}: {}", get("title")?),
                summary: get("short_name")?,
                updated: r.try_get("updated_at").map_err(kernel::Error::from)?,
            });
        }
        Ok(out)
    })
}

/// How many drafts there are: each has its public page.
fn drafts_count(state: &AppState) -> futures::future::BoxFuture<'_, shell::error::AppResult<u64>> {
    Box::pin(async move {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM drafts")
            .fetch_one(&state.db.pool)
            .await
            .map_err(kernel::Error::from)?;
        Ok(n.max(0) as u64)
    })
}

/// The pages of drafts `offset .. offset + limit`, by id, with the day each last changed.
fn drafts_window(
    state: &AppState,
    offset: u64,
    limit: u64,
) -> futures::future::BoxFuture<'_, shell::error::AppResult<Vec<shell::mechanism::Loc>>> {
    Box::pin(async move {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT d.id, d.updated_at, b.slug FROM drafts d JOIN bodies b ON b.id = d.body_id ORDER BY d.id \
             LIMIT $1 OFFSET $2",
        )
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&state.db.pool)
        .await
        .map_err(kernel::Error::from)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get("id").map_err(kernel::Error::from)?;
            let slug: String = r.try_get("slug").map_err(kernel::Error::from)?;
            let at: i64 = r.try_get("updated_at").map_err(kernel::Error::from)?;
            let lastmod = jiff::Timestamp::from_millisecond(at)
                .map(|t| t.to_zoned(state.timezone.clone()).date().to_string())
                .ok();
            out.push(shell::mechanism::Loc { path: format!("/o/{slug}/drafts/{id}"), lastmod });
        }
        Ok(out)
    })
}

fn tasks(cfg: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let remind: kernel::outbox::Task =
        std::sync::Arc::new(|db, cfg, now| Box::pin(async move { crate::expertise::remind(&db, &cfg, now).await }));
    vec![("expertise reminders", cfg.reminder_interval_secs * 1000, remind)]
}

/// Conclusions of independent expertise waiting for an answer, for the lawyers of their body.
fn todo<'a>(
    state: &'a AppState,
    v: &'a shell::chrome::Visitor,
    user: &'a kernel::staff::StaffUser,
    bodies: &'a [kernel::bodies::Body],
    today: deadlines::Date,
    _cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, shell::error::AppResult<Vec<shell::mechanism::Todo>>> {
    Box::pin(async move {
        let dir = state.directory().await?;
        let waiting = crate::expertise::waiting(&state.db).await?;
        let mut out = Vec::new();
        for body in bodies {
            let answers = user.grants.iter().any(|g| {
                staff::LAWYERS.contains(&g.role) && g.body_id.is_some_and(|b| dir.chain(body.id).contains(&b))
            });
            let mine: Vec<&crate::expertise::Waiting> = waiting.iter().filter(|w| w.body_id == body.id).collect();
            let (true, Some(first)) = (answers, mine.first()) else { continue };
            out.push(shell::mechanism::Todo {
                text: format!(
                    "{}: {}",
                    body.short_name,
                    v.t("todo_conclusions")
                        .replace("{n}", &mine.len().to_string())
                        .replace("{due}", &first.due.strftime("%d.%m.%Y").to_string())
                ),
                href: format!("/staff/o/{}/drafts/{}#conclusions", body.slug, first.draft_id),
                urgent: first.due < today,
            });
        }
        Ok(out)
    })
}

/// The compliance engine's obligations: an answer to each independent anti-corruption expertise
/// conclusion within its term (seed 000 §34), for the conclusions of the last year and every one
/// still unanswered.
fn obligations<'a>(
    state: &'a AppState,
    bodies: &'a [kernel::bodies::Body],
    today: deadlines::Date,
    _cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, shell::error::AppResult<Vec<Obligation>>> {
    Box::pin(async move {
        let slugs: std::collections::HashMap<i64, &str> = bodies.iter().map(|b| (b.id, b.slug.as_str())).collect();
        let mut out = Vec::new();
        for t in crate::expertise::terms(&state.db, today).await? {
            let Some(slug) = slugs.get(&t.body_id) else { continue };
            let href = format!("/staff/o/{slug}/drafts/{}#conclusions", t.draft_id);
            let answered = t.answered_at.and_then(|at| jiff::Timestamp::from_millisecond(at).ok()).map(|at| Evidence {
                label: href.clone(),
                href: href.clone(),
                on: at.to_zoned(state.timezone.clone()).date(),
            });
            let standing = Standing::by(t.due, answered, today);
            out.push(Obligation {
                body_id: t.body_id,
                key: format!("rulemaking/conclusion/{}", t.id),
                indicator: "expertise_answer",
                title: format!("{} — {}", t.title, t.expert_name),
                source: "§34; 172-ФЗ".to_string(),
                href,
                standing,
            });
        }
        Ok(out)
    })
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "rulemaking",
    schema: &crate::SCHEMA,
    strings: crate::http::strings::STRINGS,
    routes,
    query: &["sent", "unit", "done", "units", "year", "from", "to"],
    staff: STAFF,
    start: Mechanism::keeps_nothing,
    tasks,
    flush: None,
    figures: None,
    metrics: None,
    services: &[Service {
        name: "service_drafts",
        hint: "service_drafts_hint",
        rank: 35,
        portal: Some("/drafts/"),
        menu: true,
        body: Some("/o/{slug}/drafts/"),
        shown: None,
    }],
    desks: &[
        Desk { name: "desk_drafts", path: "/staff/o/{slug}/drafts/" },
        Desk { name: "draft_kinds", path: "/staff/drafts/kinds" },
    ],
    todo: Some(todo),
    sitemap: Some(SitemapSource {
        portal: &["/drafts/"],
        per_body: &["/o/{slug}/drafts/", "/o/{slug}/drafts/expertise", "/o/{slug}/drafts/plan"],
        kept: Some(shell::mechanism::KeptPages { count: drafts_count, window: drafts_window }),
    }),
    feed: Some(feed),
    search: &[crate::searched::SEARCH],
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
