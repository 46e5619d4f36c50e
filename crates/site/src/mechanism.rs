//! The site as Glasnost runs it: its tables, strings and pages, in one description.

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::Method;
use axum::routing::{get, post};
use axum::{Extension, Router};
use futures::future::BoxFuture;
use kernel::staff::Access;
use shell::chrome::Visitor;
use shell::error::AppResult;
use shell::mechanism::{Desk, FeedEntry, KeptPages, Loc, Service, SitemapSource};
use shell::staff::StaffRoute;
use shell::{AppState, Mechanism};
use sqlx::Row;

use crate::content::{KINDS, Kind};
use crate::http;
use crate::http::published::{self, DiffQuery, PageQuery};

const STAFF: &[StaffRoute] = &[
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/",
        access: Access::BodyRead,
        handler: || get(http::staff::list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/kind",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::staff::set_kind),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/items/{code}",
        access: Access::BodyRead,
        handler: || get(http::staff::item),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/items/{code}",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::staff::record),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/content/",
        access: Access::BodyRead,
        handler: || get(http::editor::list),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/content/new/{kind}",
        access: Access::BodyWrite(http::EDITORS),
        handler: || get(http::editor::new),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/content/new/{kind}",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::editor::create).layer(DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/content/{id}",
        access: Access::BodyRead,
        handler: || get(http::editor::show),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/content/{id}",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::editor::update).layer(DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/content/{id}/withdraw",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::editor::withdraw),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/reception/",
        access: Access::BodyWrite(http::reception::RECEPTION),
        handler: || get(http::reception::staff_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/reception/slots",
        access: Access::BodyWrite(http::reception::RECEPTION),
        handler: || post(http::reception::add_slot),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/reception/slots/{id}/cancel",
        access: Access::BodyWrite(http::reception::RECEPTION),
        handler: || post(http::reception::cancel_slot),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/profile",
        access: Access::BodyRead,
        handler: || get(http::premises::edit),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/profile",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::premises::save),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/declarations",
        access: Access::BodyRead,
        handler: || get(http::statements::staff_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/declarations",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::statements::load).layer(DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/income",
        access: Access::BodyWrite(http::EDITORS),
        handler: || get(http::income::staff_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/income",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::income::load).layer(DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/income/{year}",
        access: Access::BodyWrite(http::EDITORS),
        handler: || get(http::income::staff_year),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/income/{year}/remove",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::income::remove),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/site/reports",
        access: Access::BodyRead,
        handler: || get(http::statements::reports_staff),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/site/reports",
        access: Access::BodyWrite(http::EDITORS),
        handler: || post(http::statements::load_report).layer(DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/site/catalogue",
        access: Access::PortalAdmin,
        handler: || get(http::admin::show),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/site/catalogue.csv",
        access: Access::PortalAdmin,
        handler: || get(http::admin::download),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/site/catalogue",
        access: Access::PortalAdmin,
        handler: || post(http::admin::load).layer(DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/site/catalogue/reset",
        access: Access::PortalAdmin,
        handler: || post(http::admin::reset),
    },
];

type V = Extension<Visitor>;

/// Each kind of content in its own folder of a body's site: the list, each thing, its versions,
/// one version, and the differences between two.
fn routes() -> Router<AppState> {
    let mut router = Router::new()
        .route("/o/{slug}/info/", get(http::public::info))
        .route("/o/{slug}/reception/", get(http::reception::list))
        .route("/o/{slug}/premises/", get(http::premises::premises_page))
        .route("/o/{slug}/premises/stand", get(http::premises::stand_page))
        .route("/o/{slug}/social/", get(http::premises::social_page))
        .route("/o/{slug}/declaration/", get(http::statements::list))
        .route("/o/{slug}/declaration/{year}", get(http::statements::year))
        .route("/o/{slug}/declaration/{year}/declaration.csv", get(http::statements::csv))
        .route("/o/{slug}/declaration/{year}/declaration.docx", get(http::statements::docx))
        .route("/o/{slug}/structure/", get(http::premises::structure_page))
        .route("/o/{slug}/income/", get(http::income::list))
        .route("/o/{slug}/income/{year}", get(http::income::year))
        .route("/o/{slug}/reports/", get(http::statements::reports_list))
        .route("/o/{slug}/reports/{id}", get(http::statements::report))
        .route("/o/{slug}/reports/{id}/report.csv", get(http::statements::report_csv))
        .route("/o/{slug}/reports/{id}/report.docx", get(http::statements::report_docx))
        .route("/o/{slug}/reception/{id}", get(http::reception::form).post(http::reception::submit))
        .route("/o/{slug}/reception/cancel/{token}", get(http::reception::cancel_form).post(http::reception::cancel));
    for kind in KINDS {
        let at = |rest: &str| format!("/o/{{slug}}/{}/{rest}", kind.folder());
        router = router
            .route(
                &at(""),
                get(move |s: State<AppState>, v: V, p, q: Query<PageQuery>| published::list(kind, s, v, p, q)),
            )
            .route(&at("{id}"), get(move |s: State<AppState>, v: V, p| published::item(kind, s, v, p)))
            .route(&at("{id}/versions/"), get(move |s: State<AppState>, v: V, p| published::versions(kind, s, v, p)))
            .route(
                &at("{id}/versions/{n}"),
                get(move |s: State<AppState>, v: V, p: Path<(String, i64, i64)>| published::version(kind, s, v, p)),
            )
            .route(
                &at("{id}/versions/{n}/file"),
                get(move |s: State<AppState>, p: Path<(String, i64, i64)>| published::file(kind, s, p)),
            )
            .route(
                &at("{id}/versions/{n}/image"),
                get(move |s: State<AppState>, p: Path<(String, i64, i64)>| published::image(kind, s, p)),
            )
            .route(
                &at("{id}/diff"),
                get(move |s: State<AppState>, v: V, p, q: Query<DiffQuery>| published::diff(kind, s, v, p, q)),
            );
    }
    router
}

/// How many things are published (content, declarations, reports), for the sitemap.
fn kept_count(state: &AppState) -> BoxFuture<'_, AppResult<u64>> {
    Box::pin(async move {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM site_content WHERE withdrawn_at IS NULL) \
             + (SELECT COUNT(*) FROM site_declarations) + (SELECT COUNT(*) FROM site_reports)",
        )
        .fetch_one(&state.db.pool)
        .await
        .map_err(kernel::Error::from)?;
        Ok(n as u64)
    })
}

/// Published things `offset .. offset + limit` — content by id, then each body's declarations by
/// year, then reports by id — with the day each last changed.
fn kept_window(state: &AppState, offset: u64, limit: u64) -> BoxFuture<'_, AppResult<Vec<Loc>>> {
    Box::pin(async move {
        let rows = sqlx::query(
            "SELECT k.n, k.kind, k.changed_at, b.slug FROM ( \
               SELECT 0 AS part, c.id AS n, c.kind AS kind, c.changed_at AS changed_at, c.body_id AS body_id \
               FROM site_content c WHERE c.withdrawn_at IS NULL \
               UNION ALL SELECT 1, d.year, 'declaration', d.changed_at, d.body_id FROM site_declarations d \
               UNION ALL SELECT 2, r.id, 'report', r.changed_at, r.body_id FROM site_reports r \
             ) k JOIN bodies b ON b.id = k.body_id ORDER BY k.part, k.n, k.body_id LIMIT $1 OFFSET $2",
        )
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&state.db.pool)
        .await
        .map_err(kernel::Error::from)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (n, kind, changed, slug): (i64, String, i64, String) = (
                r.try_get("n").map_err(kernel::Error::from)?,
                r.try_get("kind").map_err(kernel::Error::from)?,
                r.try_get("changed_at").map_err(kernel::Error::from)?,
                r.try_get("slug").map_err(kernel::Error::from)?,
            );
            let path = match kind.as_str() {
                "declaration" => format!("/o/{slug}/declaration/{n}"),
                "report" => format!("/o/{slug}/reports/{n}"),
                other => match Kind::parse(other) {
                    Some(kind) => format!("/o/{slug}/{}/{n}", kind.folder()),
                    None => continue,
                },
            };
            let lastmod = jiff::Timestamp::from_millisecond(changed).ok().map(|t| t.strftime("%Y-%m-%d").to_string());
            out.push(Loc { path, lastmod });
        }
        Ok(out)
    })
}

/// News, documents, announcements and vacancies, newest change first.
fn feed<'a>(
    state: &'a AppState,
    body: Option<&'a kernel::bodies::Body>,
    limit: u64,
) -> BoxFuture<'a, AppResult<Vec<FeedEntry>>> {
    Box::pin(async move {
        let sql = "SELECT c.id, c.kind, c.changed_at, v.title, v.lead, b.slug FROM site_content c \
                   JOIN site_content_versions v ON v.content_id = c.id AND v.version = c.version \
                   JOIN bodies b ON b.id = c.body_id \
                   WHERE c.withdrawn_at IS NULL AND c.kind NOT IN ('page', 'leader') AND ($1 = 0 OR c.body_id = $1) \
                   ORDER BY c.changed_at DESC, c.id DESC LIMIT $2";
        let rows = shell::mechanism::feed_rows(state, sql, body, limit).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let get = |c: &str| r.try_get::<String, _>(c).map_err(kernel::Error::from);
            let id: i64 = r.try_get("id").map_err(kernel::Error::from)?;
            let Some(kind) = Kind::parse(&get("kind")?) else { continue };
            let title = get("title")?;
            out.push(FeedEntry {
                key: format!("content/{id}"),
                path: format!("/o/{}/{}/{id}", get("slug")?, kind.folder()),
                title: if kind == Kind::News { title } else { format!("{}: {title}", kind_word(kind)) },
                summary: get("lead")?,
                updated: r.try_get("changed_at").map_err(kernel::Error::from)?,
            });
        }
        Ok(out)
    })
}

/// A kind's name in a feed's title (feeds are in the portal's language, Russian).
fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::News => "Новость",
        Kind::Document => "Документ",
        Kind::Page => "Страница",
        Kind::Announcement => "Объявление",
        Kind::Vacancy => "Вакансия",
        Kind::Leader => "Руководство",
    }
}

fn tasks(cfg: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let reminders: kernel::outbox::Task =
        std::sync::Arc::new(|db, cfg, now| Box::pin(async move { crate::reminders::plan(&db, &cfg, now).await }));
    let sweep: kernel::outbox::Task = std::sync::Arc::new(|db, cfg, now| {
        Box::pin(async move {
            let storage = kernel::storage::Storage::open(&cfg.storage_url)?;
            Ok(crate::content_store::sweep_files(&db, &storage, now, 24 * 3_600_000).await?)
        })
    });
    vec![
        ("site reminders", cfg.reminder_interval_secs * 1000, reminders),
        ("unreferenced site files", 3_600_000, sweep),
    ]
}

/// Published things kept for their public pages, asked about again after every change here.
fn start(state: AppState) -> anyhow::Result<AppState> {
    let recheck = std::time::Duration::from_millis(state.cfg.recheck_ms as u64);
    Ok(state.with_part(crate::kept::KeptContent::new(recheck)).with_write_hook(|s| {
        if let Ok(k) = s.part::<crate::kept::KeptContent>() {
            k.recheck_now();
        }
    }))
}

pub const MECHANISM: Mechanism = Mechanism {
    name: "site",
    schema: &crate::SCHEMA,
    strings: http::strings::STRINGS,
    routes,
    query: &["page", "from", "to", "q"],
    staff: STAFF,
    start,
    tasks,
    flush: None,
    figures: Some(http::region_figures),
    metrics: None,
    services: &[
        Service {
            name: "service_site_info",
            hint: "service_site_info_hint",
            rank: 10,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/info/"),
            shown: None,
        },
        Service {
            name: "content_pages",
            hint: "service_pages_hint",
            rank: 11,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/pages/"),
            shown: None,
        },
        Service {
            name: "service_declaration",
            hint: "service_declaration_hint",
            rank: 14,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/declaration/"),
            shown: None,
        },
        Service {
            name: "service_reports",
            hint: "service_reports_hint",
            rank: 19,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/reports/"),
            shown: None,
        },
        Service {
            name: "service_structure",
            hint: "service_structure_hint",
            rank: 11,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/structure/"),
            shown: None,
        },
        Service {
            name: "service_income",
            hint: "service_income_hint",
            rank: 20,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/income/"),
            shown: None,
        },
        Service {
            name: "service_premises",
            hint: "service_premises_hint",
            rank: 17,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/premises/"),
            shown: None,
        },
        Service {
            name: "service_social",
            hint: "service_social_hint",
            rank: 18,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/social/"),
            shown: None,
        },
        Service {
            name: "content_leadership",
            hint: "service_leadership_hint",
            rank: 15,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/leadership/"),
            shown: None,
        },
        Service {
            name: "service_reception",
            hint: "service_reception_hint",
            rank: 16,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/reception/"),
            shown: None,
        },
        Service {
            name: "content_news",
            hint: "service_news_hint",
            rank: 12,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/news/"),
            shown: None,
        },
        Service {
            name: "content_documents",
            hint: "service_documents_hint",
            rank: 13,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/documents/"),
            shown: None,
        },
        Service {
            name: "content_announcements",
            hint: "service_announcements_hint",
            rank: 14,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/announcements/"),
            shown: None,
        },
        Service {
            name: "content_vacancies",
            hint: "service_vacancies_hint",
            rank: 15,
            portal: None,
            menu: false,
            body: Some("/o/{slug}/vacancies/"),
            shown: None,
        },
    ],
    desks: &[
        Desk { name: "desk_site", path: "/staff/o/{slug}/site/" },
        Desk { name: "desk_content", path: "/staff/o/{slug}/site/content/" },
        Desk { name: "desk_reception", path: "/staff/o/{slug}/site/reception/" },
        Desk { name: "profile_title", path: "/staff/o/{slug}/site/profile" },
        Desk { name: "declaration_desk", path: "/staff/o/{slug}/site/declarations" },
        Desk { name: "report_desk", path: "/staff/o/{slug}/site/reports" },
        Desk { name: "income_desk", path: "/staff/o/{slug}/site/income" },
        Desk { name: "site_catalogue", path: "/staff/site/catalogue" },
    ],
    todo: Some(http::todo),
    sitemap: Some(SitemapSource {
        portal: &[],
        per_body: &[
            "/o/{slug}/info/",
            "/o/{slug}/news/",
            "/o/{slug}/documents/",
            "/o/{slug}/announcements/",
            "/o/{slug}/vacancies/",
            "/o/{slug}/leadership/",
            "/o/{slug}/pages/",
            "/o/{slug}/reception/",
            "/o/{slug}/premises/",
            "/o/{slug}/premises/stand",
            "/o/{slug}/social/",
            "/o/{slug}/declaration/",
            "/o/{slug}/reports/",
            "/o/{slug}/income/",
            "/o/{slug}/structure/",
        ],
        kept: Some(KeptPages { count: kept_count, window: kept_window }),
    }),
    feed: Some(feed),
    search: &[crate::searched::SEARCH],
    obligations: Some(http::obligations),
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
