//! Plans kept in memory for the pages that show them whole (the tracking page above all): a
//! plan with its sections, measures and execution marks, per plan, with the counter
//! `roadmap:{id}` (`kernel::versions`) that every change of the plan, its measures or its marks
//! adds one to in its transaction. A node asks for the counter at most once per
//! `GLASNOST_RECHECK_MS`, and at once after a change made through it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kernel::Db;
use kernel::error::Result;
use shell::snapshot::Snapshot;

use crate::marks::Mark;
use crate::store::{self, Loaded};

/// More plans than this kept, and the copies are dropped (read again on their next view).
const MOST: usize = 10_000;

/// A plan as its pages show it.
pub struct Plan {
    pub loaded: Loaded,
    pub marks: Vec<Mark>,
}

pub struct KeptPlans {
    recheck: Duration,
    plans: Mutex<HashMap<i64, Arc<Snapshot<Plan>>>>,
}

/// The counter of one plan.
pub fn counter(roadmap_id: i64) -> String {
    format!("roadmap:{roadmap_id}")
}

/// Marks the plan as changed by the transaction `tx`.
pub async fn bump(tx: &mut sqlx::Transaction<'_, sqlx::Any>, roadmap_id: i64) -> Result<()> {
    kernel::versions::bump(tx, &counter(roadmap_id)).await
}

impl KeptPlans {
    pub fn new(recheck: Duration) -> KeptPlans {
        KeptPlans { recheck, plans: Mutex::new(HashMap::new()) }
    }

    /// The plan `id` as it stands (`NotFound` when there is no such plan; that is not kept).
    pub async fn get(&self, db: &Db, id: i64) -> Result<Arc<Plan>> {
        let snapshot = {
            let mut plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
            if plans.len() >= MOST && !plans.contains_key(&id) {
                plans.clear();
            }
            plans.entry(id).or_insert_with(|| Arc::new(Snapshot::new(self.recheck))).clone()
        };
        let name = counter(id);
        snapshot
            .get(
                || kernel::versions::get(db, &name),
                || async move {
                    let loaded = store::load(db, id).await?.ok_or(kernel::Error::NotFound("план"))?;
                    let marks = crate::marks::for_roadmap(db, id).await?;
                    Ok(Plan { loaded, marks })
                },
            )
            .await
    }

    /// After a change made through this node: every kept plan is asked about at its next view.
    pub fn recheck_now(&self) {
        for s in self.plans.lock().unwrap_or_else(|e| e.into_inner()).values() {
            s.recheck_now();
        }
    }
}
