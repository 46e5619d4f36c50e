//! Plans kept in memory for the pages that show them whole (the tracking page above all): a
//! plan with its sections, measures and execution marks, per plan, with the counter
//! `roadmap:{id}` (`kernel::versions`) that every change of the plan, its measures or its marks
//! adds one to in its transaction. A node asks for the counter at most once per
//! `GLASNOST_RECHECK_MS`, and at once after a change made through it.

use std::sync::Arc;

use kernel::Db;
use kernel::error::Result;
use shell::snapshot::Keyed;

use crate::marks::Mark;
use crate::store::{self, Loaded};

const PREFIX: &str = "roadmap";

/// A plan as its pages show it.
pub struct Plan {
    pub loaded: Loaded,
    pub marks: Vec<Mark>,
}

pub struct KeptPlans(Keyed<Plan>);

/// Marks the plan as changed by the transaction on `tx`.
pub async fn bump(tx: &mut sqlx::AnyConnection, roadmap_id: i64) -> Result<()> {
    kernel::versions::bump_record(tx, PREFIX, roadmap_id).await
}

impl KeptPlans {
    pub fn new(recheck: std::time::Duration) -> KeptPlans {
        KeptPlans(Keyed::new(PREFIX, recheck))
    }

    /// The plan `id` as it stands (`NotFound` when there is no such plan; that is not kept).
    pub async fn get(&self, db: &Db, id: i64) -> Result<Arc<Plan>> {
        self.0
            .get(db, id, || async move {
                let loaded = store::load(db, id).await?.ok_or(kernel::Error::NotFound("план"))?;
                let marks = crate::marks::for_roadmap(db, id).await?;
                Ok(Plan { loaded, marks })
            })
            .await
    }

    /// After a change made through this node: every kept plan is asked about at its next view.
    pub fn recheck_now(&self) {
        self.0.recheck_now();
    }
}
