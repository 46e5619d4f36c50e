//! Data read on almost every request and changed rarely (the portal's calendar, its bodies),
//! kept in memory for `page_cache_ms`; the handlers that change them on this node drop the copy
//! at once, and changes made on other nodes show within that time.

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub struct Snapshot<T> {
    cached: RwLock<Option<(Instant, Arc<T>)>>,
    ttl: Duration,
}

impl<T> Snapshot<T> {
    pub fn new(ttl: Duration) -> Snapshot<T> {
        Snapshot { cached: RwLock::new(None), ttl }
    }

    /// The kept copy while it is fresh, otherwise what `load` reads now.
    pub async fn get<F>(&self, load: impl FnOnce() -> F) -> kernel::Result<Arc<T>>
    where
        F: Future<Output = kernel::Result<T>>,
    {
        if let Ok(kept) = self.cached.read()
            && let Some((at, value)) = kept.as_ref()
            && at.elapsed() < self.ttl
        {
            return Ok(value.clone());
        }
        let value = Arc::new(load().await?);
        if let Ok(mut kept) = self.cached.write() {
            *kept = Some((Instant::now(), value.clone()));
        }
        Ok(value)
    }

    /// Forgets the copy: the next use reads the database.
    pub fn invalidate(&self) {
        if let Ok(mut kept) = self.cached.write() {
            *kept = None;
        }
    }
}
