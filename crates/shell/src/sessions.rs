//! Signed-in sessions as this node keeps them. A request with a session cookie reads the
//! session from memory and its account from the kept directory; the database is asked again
//! once the kept copy is `GLASNOST_RECHECK_MS` old, so a sign-out or a disabled account made
//! through another node takes effect there within that time (at once through this node: a
//! sign-out forgets the session here, disabling an account changes the directory).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kernel::staff::StaffUser;

use crate::error::AppResult;
use crate::state::AppState;

/// More sessions than this kept, and the expired and old ones are dropped first.
const MOST: usize = 50_000;

#[derive(Default)]
pub struct Sessions {
    kept: Mutex<HashMap<String, Kept>>,
}

#[derive(Clone, Copy)]
struct Kept {
    user_id: i64,
    expires_at: i64,
    checked: Instant,
}

impl Sessions {
    fn get(&self, hash: &str, recheck: Duration) -> Option<Kept> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(hash).copied().filter(|k| k.checked.elapsed() < recheck)
    }

    fn put(&self, hash: String, k: Kept, now: i64, recheck: Duration) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= MOST {
            kept.retain(|_, v| v.expires_at > now && v.checked.elapsed() < recheck);
            if kept.len() >= MOST {
                kept.clear();
            }
        }
        kept.insert(hash, k);
    }

    /// Forgets a session (it was ended through this node).
    pub fn forget(&self, token: &str) {
        let hash = kernel::staff::sha256_hex(token);
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).remove(&hash);
    }
}

impl AppState {
    /// The member of staff behind a session cookie, if the session is valid and the account
    /// enabled; extends the session while they are active.
    pub async fn staff_of(&self, token: &str) -> AppResult<Option<StaffUser>> {
        let now = self.clock.now_ms();
        let recheck = Duration::from_millis(self.cfg.recheck_ms as u64);
        let hash = kernel::staff::sha256_hex(token);
        let mut k = match self.sessions.get(&hash, recheck) {
            Some(k) => k,
            None => match kernel::staff::session_row(&self.db, &hash).await? {
                Some((user_id, expires_at)) => Kept { user_id, expires_at, checked: Instant::now() },
                None => {
                    self.sessions.kept.lock().unwrap_or_else(|e| e.into_inner()).remove(&hash);
                    return Ok(None);
                }
            },
        };
        if k.expires_at <= now {
            return Ok(None);
        }
        let lifetime = self.cfg.session_hours * 3_600_000;
        if k.expires_at - now < lifetime / 2 {
            k.expires_at = now + lifetime;
            kernel::staff::extend_session(&self.db, &hash, k.expires_at).await?;
        }
        self.sessions.put(hash, k, now, recheck);
        let mut dir = self.directory().await?;
        if !dir.users.iter().any(|u| u.id == k.user_id) {
            // An account made through another node a moment ago: this node asks now.
            self.directory.recheck_now();
            dir = self.directory().await?;
        }
        Ok(dir.users.iter().find(|u| u.id == k.user_id && !u.disabled).cloned())
    }
}
