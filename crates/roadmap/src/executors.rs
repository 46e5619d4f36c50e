//! Executors with staff accounts: a planner links a measure to the accounts of the people who
//! carry it out. A linked account may mark the measure's execution, sees it among "my
//! measures" and gets its reminders; a name in the executors cell alone grants nothing (a
//! display name can be anything, and «Ано» is in «Аносова»).

use kernel::audit::{self, Actor, Change};
use kernel::{Db, Result};
use sqlx::Row;

/// The accounts linked to a measure.
pub async fn of_measure(db: &Db, measure_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT user_id FROM measure_executors WHERE measure_id = $1 ORDER BY user_id";
    db.rows_by(sql.into(), measure_id, |r| Ok(r.try_get("user_id")?)).await
}

/// The measures an account is linked to.
pub async fn measures_of(db: &Db, user_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT measure_id FROM measure_executors WHERE user_id = $1 ORDER BY measure_id";
    db.rows_by(sql.into(), user_id, |r| Ok(r.try_get("measure_id")?)).await
}

/// Whether the account is linked to the measure.
pub async fn is_executor(db: &Db, measure_id: i64, user_id: i64) -> Result<bool> {
    Ok(of_measure(db, measure_id).await?.contains(&user_id))
}

/// Links the measure to exactly these accounts (audited); false when nothing changed.
pub async fn set(db: &Db, actor: &Actor, now: i64, body_id: i64, measure_id: i64, users: &[i64]) -> Result<bool> {
    let before = of_measure(db, measure_id).await?;
    let mut after = users.to_vec();
    after.sort_unstable();
    after.dedup();
    if before == after {
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM measure_executors WHERE measure_id = $1").bind(measure_id).execute(&mut *tx).await?;
    for user in &after {
        sqlx::query("INSERT INTO measure_executors (measure_id, user_id) VALUES ($1, $2)")
            .bind(measure_id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
    }
    let change = Change::update(
        "measure_executors",
        measure_id,
        Some(body_id),
        serde_json::json!({ "accounts": before }),
        serde_json::json!({ "accounts": after }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(true)
}
