//! The application state and the router that assembles every mechanism's routes.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use kernel::{Config, Db, SharedClock};
use tower_http::catch_panic::CatchPanicLayer;

use crate::metrics::Metrics;
use crate::{middleware as mw, public, staff};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub cfg: Arc<Config>,
    pub clock: SharedClock,
    pub metrics: Arc<Metrics>,
    pub timezone: jiff::tz::TimeZone,
    pub limiter: Arc<RateLimiter>,
    pub page_cache: Arc<crate::cache::PageCache>,
    /// Stored files (published data versions, reports): local disk or S3.
    pub storage: Arc<kernel::storage::Storage>,
    /// The published open-data catalogue in memory, for the read APIs.
    pub catalogue: Arc<opendata::index::Catalogue>,
    /// This node's counts of open-data views, downloads and searches not yet written.
    pub demand: Arc<opendata::demand::Counter>,
    /// Commits appeals and requests, many to one fsync.
    pub intake: appeals::intake::Intake,
    /// The terms of appeals: the law's, with the portal's overrides.
    pub terms: Arc<appeals::rules::Terms>,
    /// The portal's calendar of working days and its bodies, read once per `page_cache_ms`.
    pub calendar: Arc<crate::snapshot::Snapshot<deadlines::Calendar>>,
    pub bodies: Arc<crate::snapshot::Snapshot<Vec<kernel::bodies::Body>>>,
}

impl AppState {
    /// Starts this node's submission committer: call it inside the Tokio runtime.
    pub fn new(db: Db, cfg: Config, clock: SharedClock) -> anyhow::Result<AppState> {
        let timezone = jiff::tz::TimeZone::get(&cfg.timezone)?;
        let cfg_page_cache_ms = cfg.page_cache_ms as u64;
        let intake = appeals::intake::Intake::start(db.clone(), cfg.submit_batch);
        let terms = appeals::rules::Terms::new(&cfg.appeal_terms, &cfg.deadline_day_off).map_err(anyhow::Error::msg)?;
        let storage = Arc::new(kernel::storage::Storage::open(&cfg.storage_url)?);
        Ok(AppState {
            db,
            cfg: Arc::new(cfg),
            clock,
            metrics: Arc::new(Metrics::default()),
            timezone,
            limiter: Arc::new(RateLimiter::default()),
            page_cache: Arc::new(crate::cache::PageCache::default()),
            storage,
            catalogue: Arc::new(opendata::index::Catalogue::new(std::time::Duration::from_millis(cfg_page_cache_ms))),
            demand: Arc::new(opendata::demand::Counter::default()),
            intake,
            terms: Arc::new(terms),
            calendar: Arc::new(crate::snapshot::Snapshot::new(std::time::Duration::from_millis(cfg_page_cache_ms))),
            bodies: Arc::new(crate::snapshot::Snapshot::new(std::time::Duration::from_millis(cfg_page_cache_ms))),
        })
    }
}

/// Attempts per client address in a fixed window, for public forms and the login form.
/// Per process: with several nodes each keeps its own count (the per-account lock-out in the
/// database is what holds across nodes).
#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<(&'static str, IpAddr), Window>>,
}

/// When the current window started (ms) and how many attempts it has seen.
type Window = (i64, u32);

impl RateLimiter {
    /// Counts one attempt; false when the address has used up `limit` in the current window.
    pub fn allow(&self, bucket: &'static str, ip: IpAddr, now_ms: i64, limit: u32, window_ms: i64) -> bool {
        let Ok(mut map) = self.windows.lock() else { return true };
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now_ms - *start < window_ms);
        }
        let entry = map.entry((bucket, ip)).or_insert((now_ms, 0));
        if now_ms - entry.0 >= window_ms {
            *entry = (now_ms, 0);
        }
        entry.1 += 1;
        entry.1 <= limit
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(public::routes())
        .merge(staff::routes(&state))
        .fallback(|| async { crate::error::AppError::NotFound })
        .layer(from_fn(mw::csrf))
        .layer(CatchPanicLayer::custom(mw::panic_response))
        .layer(from_fn_with_state(state.clone(), mw::render_errors))
        .layer(from_fn_with_state(state.clone(), crate::cache::layer))
        .layer(from_fn_with_state(state.clone(), crate::demand::count))
        .layer(from_fn_with_state(state.clone(), mw::visitor))
        .layer(from_fn_with_state(state.clone(), mw::metrics))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::RateLimiter;

    #[test]
    fn limiter_allows_the_limit_then_refuses_until_the_window_passes() {
        let l = RateLimiter::default();
        let ip = std::net::IpAddr::from([127, 0, 0, 1]);
        for _ in 0..3 {
            assert!(l.allow("login", ip, 0, 3, 1000));
        }
        assert!(!l.allow("login", ip, 10, 3, 1000));
        assert!(l.allow("other", ip, 10, 3, 1000));
        assert!(l.allow("login", ip, 1000, 3, 1000));
    }
}
