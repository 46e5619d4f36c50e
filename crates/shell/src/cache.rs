//! A small in-memory cache of public pages for anonymous visitors. A change made through this
//! node (any successful form POST) empties it at once; changes made on other nodes show
//! after at most `page_cache_ms`. Staff (with a session cookie) always get fresh pages, and so
//! does everyone on a page marked `Cache-Control: private` (a page with a form).

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::cookies;
use crate::state::AppState;

const MAX_ENTRIES: usize = 10_000;
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

struct Entry {
    version: u64,
    at: Instant,
    content_type: HeaderValue,
    body: Bytes,
}

#[derive(Default)]
pub struct PageCache {
    entries: RwLock<HashMap<String, Entry>>,
    version: AtomicU64,
}

impl PageCache {
    /// Forgets every page (called after any change made through this node).
    pub fn invalidate(&self) {
        self.version.fetch_add(1, Ordering::SeqCst);
    }
}

fn cacheable_path(path: &str) -> bool {
    !(path.starts_with("/staff")
        || path.starts_with("/api/")
        || path == "/prefs"
        || path == "/metrics"
        || path == "/healthz")
}

/// The cache key: the address and the cookies that change what an anonymous page shows.
fn key(req: &Request) -> Option<String> {
    if req.method() != Method::GET || !cacheable_path(req.uri().path()) {
        return None;
    }
    let headers = req.headers();
    if cookies::get(headers, cookies::SESSION).is_some() {
        return None;
    }
    let lang = cookies::get(headers, cookies::LANG).unwrap_or_default();
    let a11y = cookies::get(headers, cookies::A11Y).unwrap_or_default();
    let path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    Some(format!("{lang}|{a11y}|{path}"))
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ttl = Duration::from_millis(state.cfg.page_cache_ms as u64);
    let cache = &state.page_cache;
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let key = if ttl.is_zero() { None } else { key(&req) };
    let Some(key) = key else {
        let resp = next.run(req).await;
        if writes && resp.status().as_u16() < 400 {
            state.written();
        }
        return resp;
    };
    let version = cache.version.load(Ordering::SeqCst);
    if let Ok(map) = cache.entries.read()
        && let Some(e) = map.get(&key)
        && e.version == version
        && e.at.elapsed() < ttl
    {
        let mut resp = (StatusCode::OK, e.body.clone()).into_response();
        resp.headers_mut().insert(CONTENT_TYPE, e.content_type.clone());
        return resp;
    }
    let resp = next.run(req).await;
    let content_type = resp.headers().get(CONTENT_TYPE).cloned();
    // Rendered pages have an exact size; streams of unknown length are never cached.
    let small = HttpBody::size_hint(resp.body()).exact().is_some_and(|n| n <= MAX_PAGE_BYTES as u64);
    // A page carrying a form has the visitor's own CSRF token: its handler marks it private.
    let private = resp
        .headers()
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("private") || v.contains("no-store"));
    let storable = resp.status() == StatusCode::OK && small && !private && resp.headers().get(SET_COOKIE).is_none();
    let Some(content_type) = content_type.filter(|_| storable) else { return resp };
    let (parts, body) = resp.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "cannot read a page for the cache");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if let Ok(mut map) = cache.entries.write() {
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, Entry { version, at: Instant::now(), content_type, body: bytes.clone() });
    }
    Response::from_parts(parts, Body::from(bytes))
}
