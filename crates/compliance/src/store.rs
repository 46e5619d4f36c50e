//! The methodologies loaded by the portal: each version kept, the newest loaded in use.

use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use sqlx::Row;

use crate::methodology::Methodology;

/// Loads a checked methodology as a new version in use; the same code and version twice is refused.
pub async fn load(db: &Db, actor: &Actor, now: i64, m: &Methodology) -> Result<()> {
    let content = serde_json::to_string(m).map_err(|e| Error::Internal(e.into()))?;
    let mut tx = db.pool.begin().await?;
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM compliance_methodologies WHERE code = $1 AND version = $2")
            .bind(&m.code)
            .bind(m.version)
            .fetch_optional(&mut *tx)
            .await?;
    if exists.is_some() {
        return Err(Error::invalid("file", format!("версия {} уже загружена: увеличьте version", m.label())));
    }
    sqlx::query("UPDATE compliance_methodologies SET active = 0 WHERE active = 1").execute(&mut *tx).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO compliance_methodologies (code, version, content, active, actor, created_at) \
         VALUES ($1, $2, $3, 1, $4, $5) RETURNING id",
    )
    .bind(&m.code)
    .bind(m.version)
    .bind(&content)
    .bind(&actor.label)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: "create",
        object_type: "compliance_methodology",
        object_id: id.to_string(),
        body_id: None,
        before: None,
        after: Some(serde_json::json!({"code": m.code, "version": m.version})),
    };
    audit::record(&mut tx, actor, now, change).await?;
    kernel::versions::bump(&mut tx, crate::board::VERSION).await?;
    tx.commit().await?;
    Ok(())
}

/// The versions loaded, newest first: (code, version, in use, when loaded).
pub async fn versions(db: &Db, tz: &jiff::tz::TimeZone) -> Result<Vec<(String, i64, bool, String)>> {
    let rows = sqlx::query("SELECT code, version, active, created_at FROM compliance_methodologies ORDER BY id DESC")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            let at: i64 = r.try_get("created_at")?;
            let when = jiff::Timestamp::from_millisecond(at)
                .map(|t| t.to_zoned(tz.clone()).strftime("%d.%m.%Y %H:%M").to_string())
                .unwrap_or_default();
            Ok((r.try_get("code")?, r.try_get("version")?, r.try_get::<i64, _>("active")? == 1, when))
        })
        .collect()
}
