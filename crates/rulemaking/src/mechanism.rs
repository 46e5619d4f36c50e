//! Rule-making as Glasnost runs it: its tables, strings, pages and feed, in one description.

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::Access;
use shell::mechanism::{Desk, FeedEntry, Service, SitemapSource};
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
        .route("/o/{slug}/drafts/", get(public::body_list))
        .route("/o/{slug}/drafts/{id}", get(public::page).post(public::submit))
        .route("/o/{slug}/drafts/{id}/confirm/{cid}/{token}", get(public::confirm))
        .route("/o/{slug}/drafts/{id}/summary", get(public::summary))
        .route("/o/{slug}/drafts/{id}/summary.docx", get(public::summary_docx))
        .route("/o/{slug}/drafts/{id}/summary.csv", get(public::summary_csv))
        .route("/o/{slug}/drafts/{id}/versions/{number}", get(public::version_file))
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

pub const MECHANISM: Mechanism = Mechanism {
    name: "rulemaking",
    schema: &crate::SCHEMA,
    strings: crate::http::strings::STRINGS,
    routes,
    query: &["sent", "unit", "done", "units"],
    staff: STAFF,
    start: Mechanism::keeps_nothing,
    tasks: Mechanism::no_tasks,
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
    }],
    desks: &[
        Desk { name: "desk_drafts", path: "/staff/o/{slug}/drafts/" },
        Desk { name: "draft_kinds", path: "/staff/drafts/kinds" },
    ],
    todo: None,
    sitemap: Some(SitemapSource { portal: &["/drafts/"], per_body: &["/o/{slug}/drafts/"], kept: None }),
    feed: Some(feed),
    search: &[],
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
