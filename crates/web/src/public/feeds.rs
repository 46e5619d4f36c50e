//! The portal's feeds, RSS 2.0 and Atom, portal-wide and per body: every mechanism's newest
//! published things (datasets, plans, drafts open for discussion), newest first. An entry's id is
//! its page's address with the mechanism's key of it, so it never changes and never repeats.

use axum::extract::{Path, State};
use axum::response::Response;
use kernel::bodies::Body;
use shell::AppState;
use shell::error::{AppError, AppResult};
use shell::feeds::{Feed, atom, rss};

/// Entries in a feed.
const ENTRIES: u64 = 50;

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
