//! A body's content as citizens read it: each kind's list (newest first, a page at a time), each
//! thing's page with when it was published and last changed, and its archive (§38) — every
//! version at its own address and the differences between any two. A withdrawn thing stays
//! readable in the archive, marked so, and leaves the lists.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render;

use super::body_of;
use crate::content::{self, Kind, Line};
use crate::content_store::{self, Content, Listing, Version};
use crate::kept::{KeptContent, Shown};

/// A page of a public list.
const PAGE: i64 = 20;

async fn chrome(
    state: &AppState,
    v: &Visitor,
    body: &Body,
    kind: Kind,
    title: &str,
    trail: &[(String, String)],
) -> Chrome {
    let plural = v.t(kind.plural_key());
    let mut c = Chrome::new(state, v, format!("{title} — {}", body.short_name))
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug));
    if title != plural {
        c = c.crumb(plural, format!("/o/{}/{}/", body.slug, kind.folder()));
    }
    for (label, href) in trail {
        c = c.crumb(label.clone(), href.clone());
    }
    c.crumb(title.to_string(), "")
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: i64,
}

#[derive(Template)]
#[template(path = "public/content_list.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    pub kind: Kind,
    pub rows: Vec<Content>,
    pub page: i64,
    pub pages: i64,
}

pub async fn list(
    kind: Kind,
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let page = q.page.max(1);
    let listing = Listing { kind: Some(kind), withdrawn: false, offset: (page - 1) * PAGE, limit: PAGE };
    let (rows, total) = content_store::list(&state.db, body.id, listing).await?;
    let pages = (total + PAGE - 1) / PAGE;
    if page > 1 && page > pages {
        return Err(AppError::NotFound);
    }
    let c = chrome(&state, &v, &body, kind, v.t(kind.plural_key()), &[]).await;
    render(&ListPage { c, body, kind, rows, page, pages })
}

#[derive(Template)]
#[template(path = "public/content.html")]
pub struct ItemPage<'a> {
    pub c: Chrome,
    pub body: Body,
    pub content: &'a Content,
    /// The version shown: the one in force, or an earlier one from the archive.
    pub shown: &'a Version,
    pub html: &'a str,
    /// The text of the shown version's file, as HTML.
    pub file_html: &'a str,
}

impl ItemPage<'_> {
    pub fn path(&self) -> String {
        self.content.path(&self.body.slug)
    }

    pub fn archived(&self) -> bool {
        self.shown.version != self.content.version
    }
}

/// The thing `id` of `kind` of the body `slug`, as kept for its pages, or not found.
async fn found(state: &AppState, slug: &str, kind: Kind, id: i64) -> AppResult<(Body, Arc<Shown>)> {
    let body = body_of(state, slug).await?;
    let shown = state.part::<KeptContent>()?.get(&state.db, id).await?;
    if shown.content.body_id != body.id || shown.content.kind != kind {
        return Err(AppError::NotFound);
    }
    Ok((body, shown))
}

/// A thing's page showing `version` of it, with its file's text as HTML.
async fn item_page(
    state: &AppState,
    v: &Visitor,
    body: Body,
    content: &Content,
    shown: &Version,
    file_html: &str,
) -> AppResult<Response> {
    let title = shown.fields.title.clone();
    let mut trail = vec![];
    if shown.version != content.version {
        trail.push((content.current.fields.title.clone(), content.path(&body.slug)));
        trail.push((v.t("content_versions").to_string(), format!("{}/versions/", content.path(&body.slug))));
    }
    let c = chrome(state, v, &body, content.kind, &title, &trail).await;
    // Both made safe when saved: a page view only reads them.
    render(&ItemPage { c, body, content, shown, html: &shown.html, file_html })
}

pub async fn item(
    kind: Kind,
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (body, kept) = found(&state, &slug, kind, id).await?;
    item_page(&state, &v, body, &kept.content, &kept.content.current, &kept.file_html).await
}

pub async fn version(
    kind: Kind,
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id, n)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let (body, kept) = found(&state, &slug, kind, id).await?;
    let shown = content_store::versions(&state.db, id).await?.into_iter().find(|x| x.version == n);
    let shown = shown.ok_or(AppError::NotFound)?;
    let file_html = match &shown.file {
        Some(f) => content_store::file_html(&state.db, f.id).await?,
        None => String::new(),
    };
    item_page(&state, &v, body, &kept.content, &shown, &file_html).await
}

#[derive(Template)]
#[template(path = "public/content_versions.html")]
pub struct VersionsPage {
    pub c: Chrome,
    pub body: Body,
    pub content: Content,
    /// Newest first.
    pub versions: Vec<Version>,
    /// The two compared (from, to), and the lines between them, when a comparison was asked.
    pub compared: Option<(i64, i64)>,
    pub lines: Vec<Line>,
    pub error: Option<String>,
}

impl VersionsPage {
    pub fn path(&self) -> String {
        self.content.path(&self.body.slug)
    }

    /// The pair offered in the comparison form: the one compared, or the two newest.
    pub fn pair(&self) -> (i64, i64) {
        self.compared.unwrap_or((self.content.version - 1, self.content.version))
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DiffQuery {
    from: String,
    to: String,
}

async fn versions_page(
    state: &AppState,
    v: &Visitor,
    (slug, kind, id): (&str, Kind, i64),
    compare: Option<&DiffQuery>,
) -> AppResult<Response> {
    let (body, kept) = found(state, slug, kind, id).await?;
    let content = kept.content.clone();
    let mut versions = content_store::versions(&state.db, id).await?;
    let (mut compared, mut lines, mut error) = (None, vec![], None);
    if let Some(q) = compare {
        let pick = |s: &str| s.trim().parse::<i64>().ok().and_then(|n| versions.iter().find(|x| x.version == n));
        match (pick(&q.from), pick(&q.to)) {
            (Some(a), Some(b)) => {
                compared = Some((a.version, b.version));
                let (old, new) = (content_store::lines(&state.db, a).await?, content_store::lines(&state.db, b).await?);
                lines = content::diff(&old, &new);
            }
            _ => error = Some(format!("{} 1–{}", v.t("content_diff_pick"), content.version)),
        }
    }
    versions.reverse();
    let title = v.t("content_versions").to_string();
    let trail = [(content.current.fields.title.clone(), content.path(&body.slug))];
    let c = chrome(state, v, &body, kind, &title, &trail).await;
    let page = VersionsPage { c, body, content, versions, compared, lines, error };
    if page.error.is_some() { shell::render::render_refused(&page, true) } else { render(&page) }
}

pub async fn versions(
    kind: Kind,
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    versions_page(&state, &v, (&slug, kind, id), None).await
}

pub async fn diff(
    kind: Kind,
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<DiffQuery>,
) -> AppResult<Response> {
    versions_page(&state, &v, (&slug, kind, id), Some(&q)).await
}

/// Version `n` of a thing of `kind` (as the public sees it), or not found.
async fn version_n(state: &AppState, (slug, kind, id, n): (&str, Kind, i64, i64)) -> AppResult<Version> {
    found(state, slug, kind, id).await?;
    let versions = content_store::versions(&state.db, id).await?;
    versions.into_iter().find(|x| x.version == n).ok_or(AppError::NotFound)
}

/// A version's file, to download as it was uploaded.
pub async fn file(
    kind: Kind,
    State(state): State<AppState>,
    Path((slug, id, n)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let file = version_n(&state, (&slug, kind, id, n)).await?.file.ok_or(AppError::NotFound)?;
    let bytes = state.storage.get(&file.key()).await.map_err(AppError::Internal)?;
    Ok(shell::render::attachment(bytes, &file.name, file.format.media_type(), "public, max-age=3600"))
}

/// A version's photo; it never changes, as its address names the version.
pub async fn image(
    kind: Kind,
    State(state): State<AppState>,
    Path((slug, id, n)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    use axum::http::HeaderValue;
    use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
    let image = version_n(&state, (&slug, kind, id, n)).await?.image.ok_or(AppError::NotFound)?;
    let bytes = state.storage.get(&image.key()).await.map_err(AppError::Internal)?;
    let mut resp = axum::response::IntoResponse::into_response(bytes);
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    Ok(resp)
}
