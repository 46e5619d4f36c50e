//! Data read on almost every request and changed rarely, kept in memory with the version it was
//! read at (a counter in the database, see `kernel::versions`). At most once per `recheck` a
//! node asks for the counter, one small query, and reads the data again only when it moved; a
//! change made through this node makes the next use ask at once.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

pub struct Snapshot<T> {
    kept: RwLock<Option<Kept<T>>>,
    recheck: Duration,
    /// Raised by [`Snapshot::recheck_now`]; a copy taken under an older mark is asked about.
    mark: AtomicU64,
}

struct Kept<T> {
    value: Arc<T>,
    version: i64,
    mark: u64,
    checked: Instant,
}

impl<T> Snapshot<T> {
    pub fn new(recheck: Duration) -> Snapshot<T> {
        Snapshot { kept: RwLock::new(None), recheck, mark: AtomicU64::new(0) }
    }

    /// The kept copy while it is current, otherwise what `load` reads now. `version` tells the
    /// counter the copy is compared with; it is read before the data, so a change committed
    /// while the data is read shows at the next question.
    pub async fn get<V, L>(&self, version: impl FnOnce() -> V, load: impl FnOnce() -> L) -> kernel::Result<Arc<T>>
    where
        V: Future<Output = kernel::Result<i64>>,
        L: Future<Output = kernel::Result<T>>,
    {
        let mark = self.mark.load(Ordering::SeqCst);
        let kept = match self.kept.read() {
            Ok(k) => {
                k.as_ref().map(|k| (k.value.clone(), k.version, k.mark == mark && k.checked.elapsed() < self.recheck))
            }
            Err(_) => None,
        };
        if let Some((value, _, true)) = &kept {
            return Ok(value.clone());
        }
        let now = version().await?;
        let value = match kept {
            Some((value, v, _)) if v == now => value,
            _ => Arc::new(load().await?),
        };
        if let Ok(mut k) = self.kept.write() {
            *k = Some(Kept { value: value.clone(), version: now, mark, checked: Instant::now() });
        }
        Ok(value)
    }

    /// After a change made through this node: the next use asks the database.
    pub fn recheck_now(&self) {
        self.mark.fetch_add(1, Ordering::SeqCst);
    }
}

/// Values kept per record (a plan, a body's list), each with its own counter `{prefix}:{id}`
/// that every change of the record adds one to in its transaction
/// (`kernel::versions::bump_record`).
pub struct Keyed<T> {
    prefix: &'static str,
    recheck: Duration,
    /// More records than this kept, and the copies are dropped (read again on their next use).
    most: usize,
    kept: Mutex<HashMap<i64, Arc<Snapshot<T>>>>,
}

impl<T> Keyed<T> {
    pub fn new(prefix: &'static str, recheck: Duration) -> Keyed<T> {
        Keyed::keeping(prefix, recheck, 10_000)
    }

    /// Keeping at most `most` records at a time.
    pub fn keeping(prefix: &'static str, recheck: Duration, most: usize) -> Keyed<T> {
        Keyed { prefix, recheck, most, kept: Mutex::new(HashMap::new()) }
    }

    /// Drops the copy of record `id` (one too large to keep): it is read again on its next use.
    pub fn forget(&self, id: i64) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    }

    /// The record `id` as kept while current, otherwise what `load` reads now.
    pub async fn get<L>(&self, db: &kernel::Db, id: i64, load: impl FnOnce() -> L) -> kernel::Result<Arc<T>>
    where
        L: Future<Output = kernel::Result<T>>,
    {
        let snapshot = {
            let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            if kept.len() >= self.most && !kept.contains_key(&id) {
                kept.clear();
            }
            kept.entry(id).or_insert_with(|| Arc::new(Snapshot::new(self.recheck))).clone()
        };
        let name = kernel::versions::of_record(self.prefix, id);
        snapshot.get(|| kernel::versions::get(db, &name), load).await
    }

    /// After a change made through this node: every kept record is asked about at its next use.
    pub fn recheck_now(&self) {
        for s in self.kept.lock().unwrap_or_else(|e| e.into_inner()).values() {
            s.recheck_now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Snapshot;
    use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn reads_again_only_when_the_version_moved() {
        let s: Snapshot<u32> = Snapshot::new(Duration::from_secs(3600));
        let version = AtomicI64::new(1);
        let loads = AtomicU32::new(0);
        let get = || {
            s.get(
                || async { Ok(version.load(Ordering::SeqCst)) },
                || async { Ok(loads.fetch_add(1, Ordering::SeqCst) + 1) },
            )
        };
        assert_eq!(*get().await.expect("first"), 1);
        version.store(2, Ordering::SeqCst);
        assert_eq!(*get().await.expect("within the recheck period"), 1, "not asked again yet");
        s.recheck_now();
        assert_eq!(*get().await.expect("after a change here"), 2, "the version moved: read again");
        s.recheck_now();
        assert_eq!(*get().await.expect("asked, unchanged"), 2, "same version: the copy is kept");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_zero_period_asks_every_time() {
        let s: Snapshot<u32> = Snapshot::new(Duration::ZERO);
        let version = AtomicI64::new(1);
        let loads = AtomicU32::new(0);
        for v in [1, 1, 2, 2, 3] {
            version.store(v, Ordering::SeqCst);
            s.get(
                || async { Ok(version.load(Ordering::SeqCst)) },
                || async { Ok(loads.fetch_add(1, Ordering::SeqCst)) },
            )
            .await
            .expect("get");
        }
        assert_eq!(loads.load(Ordering::SeqCst), 3);
    }
}
