//! The portal's feeds, RSS 2.0 and Atom, portal-wide and per body: every mechanism's newest
//! published things (datasets, plans, drafts open for discussion), newest first. An entry's id is
//! its page's address with the mechanism's key of it, so it never changes and never repeats.

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use kernel::bodies::Body;
use shell::AppState;
use shell::error::{AppError, AppResult};
use shell::mechanism::FeedEntry;

use super::sitemap::escape;

/// Entries in a feed.
const ENTRIES: u64 = 50;

struct Feed {
    title: String,
    /// The feed's own address and the page it is about, both absolute.
    own: String,
    page: String,
    base: String,
    entries: Vec<FeedEntry>,
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH).to_string()
}

fn rfc822(ms: i64) -> String {
    let t = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    t.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

async fn feed(state: &AppState, body: Option<&Body>, file: &str) -> AppResult<Feed> {
    let mut entries = Vec::new();
    for f in state.mechanisms.iter().filter_map(|m| m.feed) {
        entries.extend(f(state, body, ENTRIES).await?);
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.key.cmp(&b.key)));
    entries.truncate(ENTRIES as usize);
    let base = state.cfg.public_url.trim_end_matches('/').to_string();
    let portal = state.directory().await?.portal.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    Ok(match body {
        Some(b) => Feed {
            title: format!("{} — {portal}", b.short_name),
            own: format!("{base}/o/{}/{file}", b.slug),
            page: format!("{base}/o/{}/", b.slug),
            base,
            entries,
        },
        None => Feed { title: portal, own: format!("{base}/{file}"), page: format!("{base}/"), base, entries },
    })
}

fn id(f: &Feed, e: &FeedEntry) -> String {
    escape(&format!("{}{}#{}", f.base, e.path, e.key))
}

fn atom(f: &Feed) -> Response {
    let updated = f.entries.first().map_or(0, |e| e.updated);
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ru\">\n\
         <title>{}</title>\n<id>{}</id>\n<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" href=\"{}\"/>\n\
         <updated>{}</updated>\n<author><name>{}</name></author>\n",
        escape(&f.title),
        escape(&f.own),
        escape(&f.own),
        escape(&f.page),
        rfc3339(updated),
        escape(&f.title)
    );
    for e in &f.entries {
        s.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link rel=\"alternate\" href=\"{}\"/><updated>{}</updated>\
             <summary>{}</summary></entry>\n",
            escape(&e.title),
            id(f, e),
            escape(&format!("{}{}", f.base, e.path)),
            rfc3339(e.updated),
            escape(&e.summary)
        ));
    }
    s.push_str("</feed>\n");
    ([(CONTENT_TYPE, "application/atom+xml; charset=utf-8")], s).into_response()
}

fn rss(f: &Feed) -> Response {
    let updated = f.entries.first().map_or(0, |e| e.updated);
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n\
         <channel>\n<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>ru</language>\n\
         <lastBuildDate>{}</lastBuildDate>\n<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"{}\"/>\n",
        escape(&f.title),
        escape(&f.page),
        escape(&f.title),
        rfc822(updated),
        escape(&f.own)
    );
    for e in &f.entries {
        s.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"false\">{}</guid><pubDate>{}</pubDate>\
             <description>{}</description></item>\n",
            escape(&e.title),
            escape(&format!("{}{}", f.base, e.path)),
            id(f, e),
            rfc822(e.updated),
            escape(&e.summary)
        ));
    }
    s.push_str("</channel>\n</rss>\n");
    ([(CONTENT_TYPE, "application/rss+xml; charset=utf-8")], s).into_response()
}

pub async fn portal_atom(State(state): State<AppState>) -> AppResult<Response> {
    Ok(atom(&feed(&state, None, "feed.atom").await?))
}

pub async fn portal_rss(State(state): State<AppState>) -> AppResult<Response> {
    Ok(rss(&feed(&state, None, "feed.rss").await?))
}

async fn body_of(state: &AppState, slug: &str) -> AppResult<Body> {
    state.directory().await?.body(slug).cloned().ok_or(AppError::NotFound)
}

pub async fn body_atom(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    Ok(atom(&feed(&state, Some(&body), "feed.atom").await?))
}

pub async fn body_rss(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    Ok(rss(&feed(&state, Some(&body), "feed.rss").await?))
}
