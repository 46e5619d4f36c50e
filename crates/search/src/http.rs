//! The search page (`/search?q=…`), its JSON twin (`/search.json`) and the completions a search
//! box may offer as one types (`/search/suggest?q=…`; the page works without them). Nothing a
//! visitor types is an error: an empty query shows the form, a long one is cut and says so, an
//! unknown body or kind or a date that is not one is named and left out of the search.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::AppResult;
use shell::render::render;

use crate::index::{self, Hit};
use crate::words;

/// Things on one page of results.
const PAGE: usize = 20;
/// The last page one may ask for (deep pages cost more and nobody reads them).
const MOST_PAGES: usize = 50;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Params {
    q: String,
    body: String,
    kind: String,
    tag: String,
    from: String,
    to: String,
    page: String,
}

/// A search as asked, checked: what it looks for and what of the address could not be used.
pub struct Asked {
    pub query: index::Query,
    pub page: usize,
    /// String keys of the problems found, with what the visitor wrote.
    pub problems: Vec<(&'static str, String)>,
}

fn day_ms(state: &AppState, text: &str) -> Option<i64> {
    let d: jiff::civil::Date = text.trim().parse().ok()?;
    d.to_zoned(state.timezone.clone()).ok().map(|z| z.timestamp().as_millisecond())
}

async fn asked(state: &AppState, p: &Params) -> AppResult<Asked> {
    let mut problems = Vec::new();
    let read = words::read(&p.q);
    if read.cut {
        problems.push(("search_cut", words::MOST_QUERY_CHARS.to_string()));
    }
    let dir = state.directory().await?;
    let body = match p.body.trim() {
        "" => None,
        slug => match dir.body(slug) {
            Some(b) => Some(b.id),
            None => {
                problems.push(("search_unknown_body", slug.chars().take(100).collect()));
                None
            }
        },
    };
    let kinds = kinds(state);
    let kind = match p.kind.trim() {
        "" => None,
        k if kinds.iter().any(|(id, _)| *id == k) => Some(k.to_string()),
        k => {
            problems.push(("search_unknown_kind", k.chars().take(100).collect()));
            None
        }
    };
    let mut date = |text: &str| match text.trim() {
        "" => None,
        t => day_ms(state, t).or_else(|| {
            problems.push(("search_bad_date", t.chars().take(100).collect()));
            None
        }),
    };
    let from = date(&p.from);
    let until = date(&p.to).map(|t| t + 86_400_000);
    let page = p.page.trim().parse::<usize>().ok().filter(|n| (1..=MOST_PAGES).contains(n)).unwrap_or(1);
    let tag = Some(p.tag.trim().chars().take(100).collect::<String>()).filter(|t| !t.is_empty());
    let query = index::Query {
        read,
        body,
        kind,
        tag,
        from,
        until,
        offset: (page - 1) * PAGE,
        limit: PAGE,
        freshness: state.cfg.search_freshness as f32 / 100.0,
        half_life_days: state.cfg.search_half_life_days as f32,
        now: state.clock.now_ms(),
        synonyms: crate::follow::of(state)?.synonyms(&state.db).await?,
        kind_boosts: state.cfg.search_kind_boosts.clone(),
    };
    Ok(Asked { query, page, problems })
}

/// Every kind of thing the mechanisms hand to search: its name in addresses, its string key.
pub fn kinds(state: &AppState) -> Vec<(&'static str, &'static str)> {
    std::iter::once(("section", "search_kind_section"))
        .chain(state.mechanisms.iter().flat_map(|m| m.search.iter()).flat_map(|s| s.kinds.iter().copied()))
        .collect()
}

/// Whether anything is looked for at all.
fn looks(q: &index::Query) -> bool {
    !q.read.is_empty()
        || q.kind.is_some()
        || q.body.is_some()
        || q.tag.is_some()
        || q.from.is_some()
        || q.until.is_some()
}

async fn found(state: &AppState, asked: &Asked) -> AppResult<index::Found> {
    if !looks(&asked.query) {
        return Ok(index::Found::default());
    }
    let search = crate::follow::of(state)?;
    let query = asked.query.clone();
    let ix = search.index.clone();
    Ok(tokio::task::spawn_blocking(move || ix.search(&query)).await.map_err(anyhow::Error::from)??)
}

/// One result as the page shows it.
pub struct Shown {
    pub hit: Hit,
    pub title: String,
    pub kind: &'static str,
    pub body: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    p: Params,
    asked: Asked,
    total: usize,
    complete: usize,
    /// Whether counting stopped at its limit (the page says «more than»).
    many: bool,
    shown: Vec<Shown>,
    corrected: Option<String>,
    kinds: Vec<(&'static str, &'static str)>,
    bodies: Vec<(String, String)>,
    pages: usize,
    looked: bool,
}

impl SearchPage {
    /// The address of another page of these results.
    fn page_href(&self, page: usize) -> String {
        let pairs = [
            ("q", self.p.q.as_str()),
            ("body", self.p.body.as_str()),
            ("kind", self.p.kind.as_str()),
            ("tag", self.p.tag.as_str()),
            ("from", self.p.from.as_str()),
            ("to", self.p.to.as_str()),
        ];
        let mut q: Vec<(&str, String)> =
            pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (*k, v.to_string())).collect();
        if page > 1 {
            q.push(("page", page.to_string()));
        }
        format!("/search?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
    }

    fn corrected_href(&self, text: &str) -> String {
        format!("/search?{}", serde_urlencoded::to_string([("q", text)]).unwrap_or_default())
    }
}

fn shown(state: &AppState, v: &Visitor, c: &Chrome, dir: &shell::directory::Directory, hits: Vec<Hit>) -> Vec<Shown> {
    let kinds = kinds(state);
    hits.into_iter()
        .map(|hit| {
            let kind = kinds.iter().find(|(id, _)| *id == hit.kind).map_or("search_kind_other", |(_, k)| *k);
            let body = hit.body_id.and_then(|id| dir.body_by_id(id)).map(|b| b.short_name.clone()).unwrap_or_default();
            let title = if v.lang == shell::i18n::Lang::En && !hit.title_en.is_empty() {
                hit.title_en.clone()
            } else {
                hit.title.clone()
            };
            let date = if hit.date > 0 {
                c.datetime(&hit.date).split(' ').next().unwrap_or_default().to_string()
            } else {
                String::new()
            };
            Shown { hit, title, kind, body, date }
        })
        .collect()
}

/// Results change as soon as this node's index does: no node's page cache keeps them (each node
/// reads its own index), and a browser asks again.
fn fresh(mut r: Response) -> Response {
    r.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    r
}

pub async fn page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(p): Query<Params>,
) -> AppResult<Response> {
    let asked = asked(&state, &p).await?;
    let found = found(&state, &asked).await?;
    if asked.page == 1 && !asked.query.read.is_empty() {
        // What people look for and what they do not find (§24): the query only, never who.
        let day = state.today()?.to_string();
        crate::follow::of(&state)?.counts.count(&day, &asked.query.read.text(), found.total == 0);
    }
    let title = v.t("search");
    let c = Chrome::new(&state, &v, title).await.crumb(title, "");
    let dir = state.directory().await?;
    let bodies = dir.bodies.iter().map(|b| (b.slug.clone(), b.short_name.clone())).collect();
    let pages = found.total.div_ceil(PAGE).clamp(1, MOST_PAGES);
    let shown = shown(&state, &v, &c, &dir, found.hits);
    let looked = looks(&asked.query);
    Ok(fresh(render(&SearchPage {
        c,
        p,
        total: found.total,
        complete: found.complete,
        many: found.total >= crate::index::MOST_COUNTED,
        shown,
        corrected: found.corrected.map(|r| r.text()),
        kinds: kinds(&state),
        bodies,
        pages,
        looked,
        asked,
    })?))
}

#[derive(Serialize)]
struct JsonResult {
    title: String,
    title_en: String,
    path: String,
    kind: String,
    body: Option<String>,
    date: Option<String>,
    snippet: String,
    tags: Vec<String>,
    /// Whether it has only some of the words.
    partial: bool,
}

#[derive(Serialize)]
struct JsonFound {
    query: String,
    total: usize,
    /// How many have every word (they come first).
    complete: usize,
    /// Whether counting stopped at its limit: `total` is at least that many.
    total_is_at_least: bool,
    page: usize,
    corrected: Option<String>,
    problems: Vec<serde_json::Value>,
    results: Vec<JsonResult>,
}

/// The results as JSON: the same search as the page.
pub async fn json(State(state): State<AppState>, Query(p): Query<Params>) -> AppResult<Response> {
    let asked = asked(&state, &p).await?;
    let found = found(&state, &asked).await?;
    let dir = state.directory().await?;
    let results = found
        .hits
        .into_iter()
        .map(|h| JsonResult {
            body: h.body_id.and_then(|id| dir.body_by_id(id)).map(|b| b.slug.clone()),
            date: jiff::Timestamp::from_millisecond(h.date)
                .ok()
                .filter(|_| h.date > 0)
                .map(|t| t.to_zoned(state.timezone.clone()).date().to_string()),
            snippet: h.snippet.iter().map(|(s, _)| s.as_str()).collect(),
            title: h.title,
            title_en: h.title_en,
            path: h.path,
            kind: h.kind,
            tags: h.tags,
            partial: h.partial,
        })
        .collect();
    let problems = asked
        .problems
        .iter()
        .map(|(code, value)| serde_json::json!({ "code": code, "value": value, "message": state.strings.t(shell::i18n::Lang::Ru, code).replace("{}", value) }))
        .collect();
    Ok(fresh(
        axum::Json(JsonFound {
            query: asked.query.read.text(),
            total: found.total,
            complete: found.complete,
            total_is_at_least: found.total >= crate::index::MOST_COUNTED,
            page: asked.page,
            corrected: found.corrected.map(|r| r.text()),
            problems,
            results,
        })
        .into_response(),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SuggestParams {
    q: String,
}

/// Completions of the query's last word from the words the index holds, most used first, each
/// as the whole query it would make.
pub async fn suggest(State(state): State<AppState>, Query(p): Query<SuggestParams>) -> AppResult<Response> {
    let q: String = p.q.chars().take(words::MOST_QUERY_CHARS).collect();
    let folded = words::fold(&q.to_lowercase());
    let (head, last) = match folded.rfind(|c: char| !c.is_alphanumeric()) {
        Some(i) => folded.split_at(i + folded[i..].chars().next().map_or(1, char::len_utf8)),
        None => ("", folded.as_str()),
    };
    let search = crate::follow::of(&state)?;
    let (ix, last_word) = (search.index.clone(), last.to_string());
    let words =
        tokio::task::spawn_blocking(move || ix.completions(&last_word, 8)).await.map_err(anyhow::Error::from)??;
    let completions: Vec<String> = words.into_iter().map(|w| format!("{head}{w}")).collect();
    Ok(fresh(axum::Json(serde_json::json!({ "query": q, "completions": completions })).into_response()))
}

/// Writes this node's counts of searches (every few seconds, when the node stops, and before the
/// staff's page).
pub fn flush(state: &AppState) -> futures::future::BoxFuture<'_, AppResult<()>> {
    Box::pin(async move { Ok(crate::store::flush(&crate::follow::of(state)?.counts, &state.db).await?) })
}
