//! The open-data section as the standard lays it out: the portal's and each body's registry
//! (page, CSV, XML) with its search, the DCAT catalogue, the archive of everything, and each
//! dataset's folder — its passport page (with its map) and every file of every version.

use crate::publish::{self, Full};
use crate::store::{self, Dataset};
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use kernel::bodies::{self, Body};
use opendata_format::{FieldType, Structure};

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render;

use super::{csv_response, xml_response};

#[derive(Template)]
#[template(path = "public/opendata.html")]
pub struct SectionPage {
    pub c: Chrome,
    /// The body whose section this is, or None for the whole portal.
    pub body: Option<Body>,
    pub datasets: Vec<Dataset>,
    /// Published datasets in the section, and how many of them the search found.
    pub total: usize,
    pub found: usize,
    pub q: String,
    pub licence: &'static str,
    /// The page shown (from 1), the number of the first row on it, and the last page.
    pub page: usize,
    pub offset: usize,
    pub pages: usize,
}

impl SectionPage {
    /// The address of another page of the same search.
    pub fn page_url(&self, page: usize) -> String {
        let q: String = url::form_urlencoded::byte_serialize(self.q.as_bytes()).collect();
        match (self.q.is_empty(), page) {
            (true, 1) => "?".into(),
            (true, p) => format!("?page={p}"),
            (false, 1) => format!("?q={q}"),
            (false, p) => format!("?q={q}&page={p}"),
        }
    }
}

/// Registry rows on one page of the section.
const SECTION_PAGE: usize = 100;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    page: String,
}

/// The section's registry from the in-memory catalogue: the body's datasets (or all), narrowed
/// by the words searched (each must begin a word of the title, description, keywords or
/// identifier), in title order, one page at a time.
async fn section(state: &AppState, v: &Visitor, body: Option<Body>, q: &SearchQuery) -> AppResult<Response> {
    let snap = state.part::<crate::index::Catalogue>()?.entries(&state.db).await?;
    let ix = &snap.index;
    let mut found: Vec<u32> = match &body {
        Some(b) => ix.of_body(&b.slug).to_vec(),
        None => (0..u32::try_from(snap.len()).unwrap_or(u32::MAX)).collect(),
    };
    let total = found.len();
    let text = q.q.trim();
    for w in crate::index::words(text) {
        found = crate::index::intersect(&found, &ix.with_word(&w));
    }
    let pages = found.len().div_ceil(SECTION_PAGE).max(1);
    let page = q.page.trim().parse::<usize>().ok().filter(|p| (1..=pages).contains(p)).unwrap_or(1);
    let offset = (page - 1) * SECTION_PAGE;
    let shown = crate::index::page_in(&ix.titled, &found, snap.len(), offset, SECTION_PAGE);
    let datasets = shown.iter().map(|&p| snap[p as usize].full.dataset.clone()).collect();
    let title = v.t("opendata");
    let mut c = Chrome::new(state, v, title).await;
    if let Some(b) = &body {
        c = c.crumb(b.short_name.clone(), format!("/o/{}/", b.slug));
    }
    let c = c.crumb(title, "");
    let found = found.len();
    let q = text.to_string();
    render(&SectionPage {
        c,
        body,
        datasets,
        total,
        found,
        q,
        licence: v.lang.pick(store::DEFAULT_LICENCE, store::DEFAULT_LICENCE_EN),
        page,
        offset,
        pages,
    })
}

pub async fn portal_section(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    section(&state, &v, None, &q).await
}

pub async fn body_section(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let body = state.directory().await?.body(&slug).cloned().ok_or(AppError::NotFound)?;
    section(&state, &v, Some(body), &q).await
}

pub async fn portal_list(State(state): State<AppState>) -> AppResult<Response> {
    let datasets = store::published(&state.db).await?;
    Ok(csv_response(publish::list_csv(&state.cfg.public_url, &datasets), "list.csv"))
}

/// Datasets on one page of the DCAT catalogue.
const CATALOG_PAGE: usize = 1000;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CatalogQuery {
    page: String,
}

/// The DCAT catalogue of the published datasets, as Turtle, a page at a time (`?page=N`).
pub async fn catalog_ttl(State(state): State<AppState>, Query(q): Query<CatalogQuery>) -> AppResult<Response> {
    catalog(&state, &q, true).await
}

/// The DCAT catalogue as JSON-LD.
pub async fn catalog_jsonld(State(state): State<AppState>, Query(q): Query<CatalogQuery>) -> AppResult<Response> {
    catalog(&state, &q, false).await
}

/// From the in-memory catalogue: no database reads per dataset, whatever their number.
async fn catalog(state: &AppState, q: &CatalogQuery, turtle: bool) -> AppResult<Response> {
    let content_type = if turtle { "text/turtle; charset=utf-8" } else { "application/ld+json" };
    let snap = state.part::<crate::index::Catalogue>()?.entries(&state.db).await?;
    let pages = snap.len().div_ceil(CATALOG_PAGE).max(1);
    let page = match q.page.trim() {
        "" => 1,
        p => p.parse::<usize>().ok().filter(|p| (1..=pages).contains(p)).ok_or(AppError::NotFound)?,
    };
    let entries =
        snap.iter().skip((page - 1) * CATALOG_PAGE).take(CATALOG_PAGE).map(|e| (&*e.full, &*e.body)).collect();
    let modified = snap.iter().map(|e| e.updated_at).max();
    let portal = bodies::portal(&state.db).await?.map(|p| p.name).unwrap_or_default();
    let file = if turtle { "catalog.ttl" } else { "catalog.jsonld" };
    let view = publish::CatalogPage { entries, modified, page, per_page: CATALOG_PAGE, total: snap.len(), file };
    let graph = publish::catalog(&state.cfg.public_url, &state.timezone, &portal, &view);
    let body = if turtle { graph.turtle() } else { graph.jsonld().to_string() };
    let mut resp = body.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(resp)
}

/// Hands what the archive writer writes to the response, 64 KB at a time; fails (so the
/// writer stops) when the client has gone.
struct ToResponse {
    tx: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ToResponse {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(64 * 1024)));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl std::io::Write for ToResponse {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 * 1024 {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// The current data of every published dataset in one archive: `<identifier>/<data file>` and
/// `<identifier>/<structure file>` for each, and the registry `list.csv` at the top. Written as
/// it is sent (a dataset at a time), so neither the node's memory nor the first byte's wait grows
/// with the portal.
pub async fn bulk(State(state): State<AppState>) -> AppResult<Response> {
    use std::io::Write as _;
    let snap = state.part::<crate::index::Catalogue>()?.entries(&state.db).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(8);
    let runtime = tokio::runtime::Handle::current();
    let (db, storage, public_url) = (state.db.clone(), state.storage.clone(), state.cfg.public_url.clone());
    let failed = tx.clone();
    tokio::task::spawn_blocking(move || {
        let write = || -> anyhow::Result<()> {
            let mut zip = zip::ZipWriter::new_stream(ToResponse { tx, buf: Vec::with_capacity(64 * 1024) });
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("list.csv", opts)?;
            zip.write_all(publish::list_csv(&public_url, snap.iter().map(|e| &e.full.dataset)).as_bytes())?;
            for e in snap.iter() {
                let Some(v) = e.full.versions.last() else { continue };
                let data = runtime.block_on(storage.get(&v.file_key))?;
                let id = &e.full.dataset.identifier;
                zip.start_file(format!("{id}/{}", v.file_name()), opts)?;
                zip.write_all(&data)?;
                let structures = runtime.block_on(store::structures(&db, e.full.dataset.id))?;
                if let Some(s) = structures.iter().find(|s| s.id == v.structure_id) {
                    zip.start_file(format!("{id}/structure-{}.csv", s.stamp), opts)?;
                    zip.write_all(s.structure.to_csv().as_bytes())?;
                }
            }
            zip.finish()?.into_inner().flush()?;
            Ok(())
        };
        if let Err(e) = write() {
            tracing::warn!(error = %e, "the open-data archive stopped before its end");
            let _ = failed.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let stream = futures::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let mut resp = axum::body::Body::from_stream(stream).into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    resp.headers_mut().insert(CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"opendata.zip\""));
    Ok(resp)
}

pub async fn portal_list_xml(State(state): State<AppState>) -> AppResult<Response> {
    let datasets = store::published(&state.db).await?;
    Ok(xml_response(publish::list_xml(&state.cfg.public_url, &datasets)))
}

pub async fn body_list(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let body = state.directory().await?.body(&slug).cloned().ok_or(AppError::NotFound)?;
    let datasets: Vec<Dataset> =
        store::for_body(&state.db, body.id).await?.into_iter().filter(|d| d.published).collect();
    Ok(csv_response(publish::list_csv(&state.cfg.public_url, &datasets), "list.csv"))
}

#[derive(Template)]
#[template(path = "public/dataset.html")]
pub struct PassportPage {
    pub c: Chrome,
    pub body: Body,
    pub full: Full,
    pub structure: Structure,
    /// schema.org Dataset as JSON-LD, for search engines (safe inside a script element).
    pub ld: String,
    /// The newest version's located rows on a map: (x, y, label).
    pub map: Vec<(f64, f64, String)>,
    /// The newest version's first rows, without the header (whose names the structure gives).
    pub preview: Vec<Vec<String>>,
}

/// Rows shown on the passport, and how much of the file is read to find them.
const PREVIEW_ROWS: usize = 10;
const PREVIEW_BYTES: u64 = 64 * 1024;

/// The first rows of a dataset's newest version, read from the start of its file only.
async fn preview(state: &AppState, full: &Full) -> AppResult<Vec<Vec<String>>> {
    let Some(v) = full.versions.last() else { return Ok(Vec::new()) };
    let head = state.storage.head_bytes(&v.file_key, PREVIEW_BYTES).await.map_err(AppError::Internal)?;
    // A file longer than what was read ends mid-row: keep whole lines only.
    let whole = if head.len() as u64 == PREVIEW_BYTES {
        head.iter().rposition(|b| *b == b'\n').map_or(&head[..0], |end| &head[..=end])
    } else {
        &head[..]
    };
    let rows = opendata_format::csv::records(whole).unwrap_or_default();
    Ok(rows.into_iter().skip(1).take(PREVIEW_ROWS).map(|(_, cells)| cells).collect())
}

/// The map's size in SVG units.
pub const MAP_SIZE: (f64, f64) = (640.0, 400.0);

/// The located rows of a dataset's newest version, when its structure has coordinates.
async fn located(state: &AppState, full: &Full) -> AppResult<Option<Vec<opendata_format::geo::Point>>> {
    let Some(v) = full.versions.last() else { return Ok(None) };
    let Some(s) = full.structures.iter().find(|s| s.id == v.structure_id) else { return Ok(None) };
    if !s.structure.fields.iter().any(|f| f.kind == FieldType::Latitude) {
        return Ok(None);
    }
    let data = state.storage.get(&v.file_key).await.map_err(AppError::Internal)?;
    Ok(opendata_format::geo::points(&s.structure, &data))
}

/// The schema.org description of a dataset (Google Dataset Search reads it).
fn schema_org(state: &AppState, full: &Full, body: &Body) -> String {
    let folder = publish::folder(&state.cfg.public_url, &full.dataset.identifier);
    let date = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms).map(|t| t.to_zoned(state.timezone.clone()).date().to_string()).ok()
    };
    let ld = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": full.dataset.title,
        "description": full.dataset.description,
        "identifier": full.dataset.identifier,
        "url": format!("{folder}/"),
        "keywords": full.dataset.keywords.split(',').map(str::trim).filter(|k| !k.is_empty()).collect::<Vec<_>>(),
        "license": format!("{}/opendata/#terms", state.cfg.public_url.trim_end_matches('/')),
        "inLanguage": "ru",
        "datePublished": full.dataset.first_published_at.and_then(date),
        "dateModified": date(full.dataset.updated_at),
        "creator": { "@type": "GovernmentOrganization", "name": body.full_name,
                     "contactPoint": { "@type": "ContactPoint", "contactType": "customer service",
                                       "name": full.dataset.publisher_name, "email": full.dataset.publisher_mbox,
                                       "telephone": full.dataset.publisher_phone } },
        "distribution": full.versions.iter().map(|v| serde_json::json!({
            "@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": format!("{folder}/{}", v.file_name()),
            "name": v.file_name(),
        })).collect::<Vec<_>>(),
    });
    shell::render::json_for_script(&ld)
}

impl PassportPage {
    /// A stored stamp as people read it: 01.03.2026 09:00.
    pub fn when(&self, stamp: &str) -> String {
        opendata_format::registry::Stamp::parse(stamp)
            .map(|s| format!("{:02}.{:02}.{:04} {:02}:{:02}", s.day, s.month, s.year, s.hour, s.minute))
            .unwrap_or_default()
    }
}

async fn published_full(state: &AppState, identifier: &str) -> AppResult<Full> {
    let dataset =
        store::by_identifier(&state.db, identifier).await?.filter(|d| d.published).ok_or(AppError::NotFound)?;
    Ok(publish::full(&state.db, dataset).await?)
}

pub async fn passport_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(identifier): Path<String>,
) -> AppResult<Response> {
    let full = published_full(&state, &identifier).await?;
    let body = bodies::by_id(&state.db, full.dataset.body_id).await?.ok_or(AppError::NotFound)?;
    let structure = full.structures.last().map(|s| s.structure.clone()).unwrap_or_default();
    let ld = schema_org(&state, &full, &body);
    let map = match located(&state, &full).await? {
        Some(points) => {
            let xy = opendata_format::geo::layout(&points, MAP_SIZE.0, MAP_SIZE.1);
            // The row's name when it has one, else its first text value.
            let label = |p: &opendata_format::geo::Point| {
                ["name", "title"]
                    .iter()
                    .find_map(|k| p.properties.get(*k))
                    .and_then(|v| v.as_str())
                    .or_else(|| {
                        p.properties.values().filter_map(|v| v.as_str()).find(|s| s.chars().any(char::is_alphabetic))
                    })
                    .unwrap_or("")
                    .to_string()
            };
            xy.into_iter().zip(&points).map(|((x, y), p)| (x, y, label(p))).collect()
        }
        None => Vec::new(),
    };
    let preview = preview(&state, &full).await?;
    let section = v.t("opendata");
    let c = Chrome::new(&state, &v, full.dataset.title.clone())
        .await
        .crumb(section, "/opendata/")
        .crumb(full.dataset.title.clone(), "");
    render(&PassportPage { c, body, full, structure, ld, map, preview })
}

/// A file of a dataset's folder: the passport, a structure version or a data version.
pub async fn dataset_file(
    State(state): State<AppState>,
    Path((identifier, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let full = published_full(&state, &identifier).await?;
    if let Some(kind) = file.strip_prefix("meta.") {
        let passport = publish::passport(&state.cfg.public_url, &state.timezone, &full).ok_or(AppError::NotFound)?;
        return match kind {
            "csv" => Ok(csv_response(opendata_format::registry::meta_csv(&passport), "meta.csv")),
            "xml" => Ok(xml_response(opendata_format::registry::meta_xml(&passport))),
            "json" => Ok(axum::Json(opendata_format::registry::meta_json(&passport)).into_response()),
            _ => Err(AppError::NotFound),
        };
    }
    if file == "data.geojson" {
        let points = located(&state, &full).await?.ok_or(AppError::NotFound)?;
        let mut resp = axum::Json(opendata_format::geo::geojson(&points)).into_response();
        resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
        return Ok(resp);
    }
    let package = match file.as_str() {
        "datapackage.json" => full.versions.last(),
        f => f
            .strip_prefix("datapackage-")
            .and_then(|r| r.strip_suffix(".json"))
            .and_then(|stamp| full.versions.iter().find(|v| v.stamp == stamp)),
    };
    if let Some(v) = package {
        let structure = full.structures.iter().find(|s| s.id == v.structure_id).ok_or(AppError::NotFound)?;
        let folder = publish::folder(&state.cfg.public_url, &full.dataset.identifier);
        let homepage = format!("{folder}/");
        let info = opendata_format::package::PackageInfo {
            identifier: &full.dataset.identifier,
            title: &full.dataset.title,
            description: &full.dataset.description,
            keywords: &full.dataset.keywords,
            licence: &full.dataset.licence,
            homepage: &homepage,
        };
        let url = format!("{folder}/{}", v.file_name());
        let package = opendata_format::package::datapackage(&info, &v.stamp, &url, &structure.structure);
        return Ok(axum::Json(package).into_response());
    }
    if let Some(s) = full.structures.iter().find(|s| file == format!("structure-{}.csv", s.stamp)) {
        return Ok(csv_response(s.structure.to_csv(), &file));
    }
    if let Some(s) = full.structures.iter().find(|s| file == format!("structure-{}.xsd", s.stamp)) {
        return Ok(xml_response(opendata_format::xml::xsd(&s.structure, &full.dataset.title)));
    }
    if let Some(v) = full.versions.iter().find(|v| file == v.file_name().replace(".csv", ".xml")) {
        let s = full.structures.iter().find(|s| s.id == v.structure_id).ok_or(AppError::NotFound)?;
        let csv = state.storage.get(&v.file_key).await.map_err(AppError::Internal)?;
        let xsd = format!("structure-{}.xsd", s.stamp);
        let doc = opendata_format::xml::from_csv(&s.structure, &csv, &xsd)
            .map_err(|(line, e)| AppError::Internal(anyhow::anyhow!("stored data, line {line}: {e}")))?;
        return Ok(xml_response(doc));
    }
    let version = full.versions.iter().find(|v| v.file_name() == file).ok_or(AppError::NotFound)?;
    let bytes = state.storage.get(&version.file_key).await.map_err(AppError::Internal)?;
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(h) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, h);
    }
    Ok(resp)
}
