//! The application state every handler receives: the database, the settings, the clock, the
//! caches every mechanism reads (the portal's calendar and bodies, the page cache), and each
//! mechanism's own long-lived parts (its in-memory index, its committer), one value per type.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use kernel::{Config, Db, SharedClock};

use crate::error::{AppError, AppResult};
use crate::metrics::Metrics;

/// Cloned for every request by each layer that holds it, so one reference count, not one per part.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[derive(Clone)]
pub struct Shared {
    pub db: Db,
    pub cfg: Arc<Config>,
    pub clock: SharedClock,
    pub metrics: Arc<Metrics>,
    pub timezone: jiff::tz::TimeZone,
    pub limiter: Arc<RateLimiter>,
    pub page_cache: Arc<crate::cache::PageCache>,
    /// Stored files (published data versions, reports, attachments): local disk or S3.
    pub storage: Arc<kernel::storage::Storage>,
    /// The portal, its bodies and its calendar, kept in memory: use [`AppState::directory`].
    pub(crate) directory: Arc<crate::snapshot::Snapshot<crate::directory::Directory>>,
    /// Every mechanism's figures per body, kept: use [`crate::figures::figures`].
    pub figures: Arc<crate::figures::KeptFigures>,
    /// Signed-in sessions, kept: use [`AppState::staff_of`].
    pub sessions: Arc<crate::sessions::Sessions>,
    /// The shell's and every mechanism's interface strings.
    pub strings: Arc<crate::i18n::Strings>,
    /// The mechanisms this node runs, in the binary's order.
    pub mechanisms: &'static [&'static crate::Mechanism],
    parts: Arc<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
    on_write: Arc<Vec<WriteHook>>,
    counts: Arc<Vec<crate::around::CountFn>>,
}

/// What a mechanism does after any change made through this node (forget a cached index).
pub type WriteHook = Arc<dyn Fn(&AppState) + Send + Sync>;

impl AppState {
    pub fn new(db: Db, cfg: Config, clock: SharedClock, strings: crate::i18n::Strings) -> anyhow::Result<AppState> {
        let timezone = jiff::tz::TimeZone::get(&cfg.timezone)?;
        let recheck = std::time::Duration::from_millis(cfg.recheck_ms as u64);
        let storage = Arc::new(kernel::storage::Storage::open(&cfg.storage_url)?);
        Ok(AppState(Arc::new(Shared {
            db,
            cfg: Arc::new(cfg),
            clock,
            metrics: Arc::new(Metrics::default()),
            timezone,
            limiter: Arc::new(RateLimiter::default()),
            page_cache: Arc::new(crate::cache::PageCache::default()),
            storage,
            directory: Arc::new(crate::snapshot::Snapshot::new(recheck)),
            figures: Arc::default(),
            sessions: Arc::default(),
            strings: Arc::new(strings),
            mechanisms: &[],
            parts: Arc::new(HashMap::new()),
            on_write: Arc::new(Vec::new()),
            counts: Arc::new(Vec::new()),
        })))
    }

    /// The node runs these mechanisms (set once, at start-up).
    pub fn with_mechanisms(mut self, mechanisms: &'static [&'static crate::Mechanism]) -> AppState {
        Arc::make_mut(&mut self.0).mechanisms = mechanisms;
        self
    }

    /// Keeps a mechanism's long-lived part; a second part of the same type replaces the first.
    pub fn with_part<T: Any + Send + Sync>(mut self, part: T) -> AppState {
        Arc::make_mut(&mut Arc::make_mut(&mut self.0).parts).insert(TypeId::of::<T>(), Arc::new(part));
        self
    }

    /// Runs `hook` after every change made through this node (a successful form POST).
    pub fn with_write_hook(mut self, hook: impl Fn(&AppState) + Send + Sync + 'static) -> AppState {
        Arc::make_mut(&mut Arc::make_mut(&mut self.0).on_write).push(Arc::new(hook));
        self
    }

    /// Counts every successful GET, outside the page cache (`crate::around`).
    pub fn with_count(
        mut self,
        count: impl Fn(&crate::around::Seen, &axum::response::Response) + Send + Sync + 'static,
    ) -> AppState {
        Arc::make_mut(&mut Arc::make_mut(&mut self.0).counts).push(Arc::new(count));
        self
    }

    /// Whether any mechanism counts requests.
    pub fn counts_requests(&self) -> bool {
        !self.counts.is_empty()
    }

    /// Gives a successful GET to every mechanism's count.
    pub fn count(&self, seen: &crate::around::Seen, resp: &axum::response::Response) {
        for count in self.counts.iter() {
            count(seen, resp);
        }
    }

    /// After a change made through this node: forget every cached page, ask whether the
    /// directory changed, and tell the mechanisms.
    pub fn written(&self) {
        self.page_cache.invalidate();
        self.directory.recheck_now();
        self.figures.changed();
        for hook in self.on_write.iter() {
            hook(self);
        }
    }

    /// A mechanism's part, as the mechanism put it in at start-up.
    pub fn part<T: Any + Send + Sync>(&self) -> AppResult<&T> {
        self.parts.get(&TypeId::of::<T>()).and_then(|p| p.downcast_ref::<T>()).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "the state has no {}: is its mechanism listed?",
                std::any::type_name::<T>()
            ))
        })
    }

    /// A mechanism's part, to keep beyond a request (a task that runs beside the server).
    pub fn shared_part<T: Any + Send + Sync>(&self) -> AppResult<Arc<T>> {
        self.parts.get(&TypeId::of::<T>()).cloned().and_then(|p| p.downcast::<T>().ok()).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "the state has no {}: is its mechanism listed?",
                std::any::type_name::<T>()
            ))
        })
    }

    /// The portal, its bodies and its calendar as this node keeps them.
    pub async fn directory(&self) -> AppResult<Arc<crate::directory::Directory>> {
        Ok(self
            .directory
            .get(
                || kernel::versions::get(&self.db, kernel::versions::DIRECTORY),
                || crate::directory::Directory::load(&self.db, &self.cfg),
            )
            .await?)
    }

    /// Today in the portal's time zone, with the portal's calendar of working days.
    pub async fn today_and_calendar(&self) -> AppResult<(deadlines::Date, Arc<deadlines::Calendar>)> {
        let cal = self.directory().await?.calendar.clone();
        Ok((self.today()?, cal))
    }

    /// Today in the portal's time zone.
    pub fn today(&self) -> AppResult<deadlines::Date> {
        Ok(jiff::Timestamp::from_millisecond(self.clock.now_ms())
            .map_err(|e| AppError::Internal(e.into()))?
            .to_zoned(self.timezone.clone())
            .date())
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
    /// Whether the address has attempts left in the current window, without counting one.
    pub fn allows(&self, bucket: &'static str, ip: IpAddr, now_ms: i64, limit: u32, window_ms: i64) -> bool {
        let Ok(map) = self.windows.lock() else { return true };
        map.get(&(bucket, ip)).is_none_or(|(start, n)| now_ms - *start >= window_ms || *n < limit)
    }

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
        assert!(!l.allows("login", ip, 10, 3, 1000) && !l.allow("login", ip, 10, 3, 1000));
        assert!(l.allows("login", ip, 1000, 3, 1000), "a new window");
        assert!(l.allow("other", ip, 10, 3, 1000));
        assert!(l.allow("login", ip, 1000, 3, 1000));
    }
}
