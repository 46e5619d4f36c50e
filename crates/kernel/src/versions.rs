//! Counters of rarely changed data kept in every node's memory (see migration 0004): a change
//! adds one to its counter in its own transaction; a node compares the counter with the one its
//! copy was read at. Row locks order the increments, so a counter only grows, in commit order.

use sqlx::Row;

use crate::db::Db;
use crate::error::Result;

/// The portal, its bodies, its calendar of working days and its staff accounts with their roles.
pub const DIRECTORY: &str = "directory";

/// Marks `name` as changed by the transaction on `tx`.
pub async fn bump(tx: &mut sqlx::AnyConnection, name: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO versions (name, version) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET version = versions.version + 1",
    )
    .bind(name)
    .execute(tx)
    .await?;
    Ok(())
}

/// The counter of one record of a kind (`roadmap:12`, `appeals:3`).
pub fn of_record(kind: &str, id: i64) -> String {
    format!("{kind}:{id}")
}

/// Marks the record `id` of `kind` as changed by the transaction on `tx`.
pub async fn bump_record(tx: &mut sqlx::AnyConnection, kind: &str, id: i64) -> Result<()> {
    bump(tx, &of_record(kind, id)).await
}

/// The counter of `name` now (0 before its first change).
pub async fn get(db: &Db, name: &str) -> Result<i64> {
    let row = sqlx::query("SELECT version FROM versions WHERE name = $1").bind(name).fetch_optional(&db.pool).await?;
    Ok(match row {
        Some(r) => r.try_get("version")?,
        None => 0,
    })
}
