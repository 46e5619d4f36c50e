//! A small in-memory cache of public pages for anonymous visitors. A change made through this
//! node (any successful form POST) empties it at once; changes made on other nodes show
//! after at most `page_cache_ms`. Staff (with a session cookie) always get fresh pages, and so
//! does everyone on a page marked `Cache-Control: private` (a page with a form).
//!
//! The cache holds at most `page_cache_mb`: when a page does not fit, the oldest pages go first
//! (pages older than `page_cache_ms` are of no use and go anyway). Only addresses whose query
//! parameters the pages read (each mechanism lists them) are kept, so an address with an
//! invented parameter is answered fresh and never stored.

use std::collections::{HashMap, VecDeque};
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, SET_COOKIE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::cookies;
use crate::state::AppState;

const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// What an entry costs beyond its key, headers and body (the map's and the queue's share).
const ENTRY_OVERHEAD: usize = 160;

struct Entry {
    at: Instant,
    /// The entry's place in the queue of ages.
    seq: u64,
    cost: usize,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Default)]
struct Pages {
    /// The version every kept page belongs to (older pages are dropped at once).
    version: u64,
    map: HashMap<String, Entry>,
    /// Keys from oldest to newest, with the `seq` they were stored under (a key stored again
    /// leaves a stale pair behind, skipped when it comes up).
    queue: VecDeque<(String, u64)>,
    bytes: usize,
    next_seq: u64,
}

impl Pages {
    fn remove_oldest(&mut self) -> bool {
        let Some((key, seq)) = self.queue.pop_front() else { return false };
        if self.map.get(&key).is_some_and(|e| e.seq == seq)
            && let Some(e) = self.map.remove(&key)
        {
            self.bytes -= e.cost;
        }
        true
    }

    fn insert(&mut self, key: String, headers: HeaderMap, body: Bytes, version: u64, budget: usize, ttl: Duration) {
        if self.version != version {
            *self = Pages { version, next_seq: self.next_seq, ..Pages::default() };
        }
        let header_bytes: usize = headers.iter().map(|(k, v)| k.as_str().len() + v.len()).sum();
        let cost = key.len() * 2 + header_bytes + body.len() + ENTRY_OVERHEAD;
        if cost > budget {
            return;
        }
        if let Some(old) = self.map.remove(&key) {
            self.bytes -= old.cost;
        }
        // Pages past their time first, then the oldest, until the new one fits.
        while let Some((k, seq)) = self.queue.front() {
            let expired = self.map.get(k).is_none_or(|e| e.seq != *seq || e.at.elapsed() >= ttl);
            if !expired && self.bytes + cost <= budget {
                break;
            }
            self.remove_oldest();
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.queue.push_back((key.clone(), seq));
        self.map.insert(key, Entry { at: Instant::now(), seq, cost, headers, body });
        self.bytes += cost;
        if self.queue.len() > 2 * self.map.len() + 64 {
            let map = &self.map;
            self.queue.retain(|(k, seq)| map.get(k).is_some_and(|e| e.seq == *seq));
        }
    }
}

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<Pages>,
    version: AtomicU64,
}

impl PageCache {
    /// Forgets every page (called after any change made through this node).
    pub fn invalidate(&self) {
        self.version.fetch_add(1, Ordering::SeqCst);
    }

    /// The memory the kept pages take, as the budget counts it.
    pub fn bytes(&self) -> usize {
        self.pages.read().map(|p| p.bytes).unwrap_or_default()
    }
}

fn cacheable_path(path: &str) -> bool {
    !(path.starts_with("/staff")
        || path.starts_with("/api/")
        || path == "/prefs"
        || path == "/metrics"
        || path == "/healthz")
}

/// The cache key: the address and the cookies that change what an anonymous page shows; none
/// when the page is not kept.
fn key(state: &AppState, req: &Request) -> Option<String> {
    if req.method() != Method::GET || !cacheable_path(req.uri().path()) {
        return None;
    }
    let headers = req.headers();
    if cookies::get(headers, cookies::SESSION).is_some() {
        return None;
    }
    if let Some(query) = req.uri().query() {
        let known = |name: &str| state.mechanisms.iter().any(|m| m.query.contains(&name));
        if !url::form_urlencoded::parse(query.as_bytes()).all(|(name, _)| known(&name)) {
            return None;
        }
    }
    let lang = cookies::get(headers, cookies::LANG).unwrap_or_default();
    let a11y = cookies::get(headers, cookies::A11Y).unwrap_or_default();
    let path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    Some(format!("{lang}|{a11y}|{path}"))
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ttl = Duration::from_millis(state.cfg.page_cache_ms as u64);
    let budget = state.cfg.page_cache_mb * 1024 * 1024;
    let cache = &state.page_cache;
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let key = if ttl.is_zero() || budget == 0 { None } else { key(&state, &req) };
    let Some(key) = key else {
        let resp = next.run(req).await;
        if writes && resp.status().as_u16() < 400 {
            state.written();
        }
        return resp;
    };
    let version = cache.version.load(Ordering::SeqCst);
    if let Ok(pages) = cache.pages.read()
        && pages.version == version
        && let Some(e) = pages.map.get(&key)
        && e.at.elapsed() < ttl
    {
        let mut resp = (StatusCode::OK, e.body.clone()).into_response();
        *resp.headers_mut() = e.headers.clone();
        return resp;
    }
    let resp = next.run(req).await;
    // Rendered pages have an exact size; streams of unknown length are never cached.
    let small = HttpBody::size_hint(resp.body()).exact().is_some_and(|n| n <= MAX_PAGE_BYTES as u64);
    // A page carrying a form has the visitor's own CSRF token: its handler marks it private.
    let private = resp
        .headers()
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("private") || v.contains("no-store"));
    let storable = resp.status() == StatusCode::OK && small && !private && resp.headers().get(SET_COOKIE).is_none();
    if !storable {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "cannot read a page for the cache");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if let Ok(mut pages) = cache.pages.write() {
        pages.insert(key, parts.headers.clone(), bytes.clone(), version, budget, ttl);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Bytes {
        Bytes::from(vec![b'x'; n])
    }

    #[test]
    fn the_cache_keeps_within_its_budget_dropping_the_oldest_first() {
        let mut p = Pages::default();
        let hour = Duration::from_secs(3600);
        for i in 0..100 {
            p.insert(format!("/page?q={i}"), HeaderMap::new(), page(10_000), 0, 50_000, hour);
            assert!(p.bytes <= 50_000, "{} bytes after page {i}", p.bytes);
        }
        assert_eq!(p.map.len(), 4);
        assert!(p.map.contains_key("/page?q=99") && !p.map.contains_key("/page?q=95"));
        assert!(p.queue.len() <= 2 * p.map.len() + 64);
        // A page larger than the whole budget is not kept, and keeps nothing out.
        p.insert("/big".into(), HeaderMap::new(), page(60_000), 0, 50_000, hour);
        assert!(!p.map.contains_key("/big") && p.map.len() == 4);
        // The same page stored again is counted once.
        for _ in 0..10 {
            p.insert("/page?q=99".into(), HeaderMap::new(), page(10_000), 0, 50_000, hour);
        }
        assert_eq!(p.map.len(), 4);
        assert_eq!(p.bytes, p.map.values().map(|e| e.cost).sum::<usize>());
        // A change elsewhere (a new version) drops every page of the old one.
        p.insert("/new".into(), HeaderMap::new(), page(10), 1, 50_000, hour);
        assert_eq!(p.map.len(), 1);
    }

    #[test]
    fn pages_past_their_time_go_before_fresh_ones() {
        let mut p = Pages::default();
        p.insert("/old".into(), HeaderMap::new(), page(10), 0, 50_000, Duration::from_secs(3600));
        p.insert("/fresh".into(), HeaderMap::new(), page(10), 0, 50_000, Duration::ZERO);
        assert!(!p.map.contains_key("/old") && p.map.contains_key("/fresh"));
    }
}
