//! The audit log: every staff create, update and delete records who, when, what, before and
//! after — written in the same transaction as the change, so neither exists without the other.

use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use crate::db::Db;
use crate::error::Result;

/// Who did it: a staff account, or the system itself (CLI, demo, worker).
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn system(label: &str) -> Actor {
        Actor { user_id: None, label: label.to_string() }
    }
}

/// One change: what was done to which object, with its state before and after as JSON.
pub struct Change<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: String,
    pub body_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Change<'a> {
    /// A change of an existing record: its values before and after (the fields that changed).
    pub fn update(
        object_type: &'a str,
        object_id: impl ToString,
        body_id: Option<i64>,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> Change<'a> {
        Change {
            action: "update",
            object_type,
            object_id: object_id.to_string(),
            body_id,
            before: Some(before),
            after: Some(after),
        }
    }
}

/// Serialises a value for `Change::before`/`after`.
pub fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

pub async fn record(tx: &mut Transaction<'_, Any>, actor: &Actor, now_ms: i64, change: Change<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, actor, body_id, action, object_type, object_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now_ms)
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(change.body_id)
    .bind(change.action)
    .bind(change.object_type)
    .bind(&change.object_id)
    .bind(change.before.map(|v| v.to_string()))
    .bind(change.after.map(|v| v.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub body_id: Option<i64>,
    pub user_id: Option<i64>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub id: i64,
    pub at: i64,
    pub user_id: Option<i64>,
    pub actor: String,
    pub body_id: Option<i64>,
    pub body_slug: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// Newest first, at most `limit` entries older than `before_id` when given (for paging).
pub async fn search(db: &Db, f: &Filter, before_id: Option<i64>, limit: i64) -> Result<Vec<Entry>> {
    // Every optional filter is bound; a NULL parameter switches its condition off.
    let rows = sqlx::query(
        "SELECT a.id, a.at, a.user_id, a.actor, a.body_id, b.slug AS body_slug, a.action, a.object_type, a.object_id, \
                a.before_json, a.after_json \
         FROM audit_log a LEFT JOIN bodies b ON b.id = a.body_id \
         WHERE ($1 IS NULL OR a.body_id = $1) AND ($2 IS NULL OR a.user_id = $2) \
           AND ($3 IS NULL OR a.object_type = $3) AND ($4 IS NULL OR a.object_id = $4) \
           AND ($5 IS NULL OR a.at >= $5) AND ($6 IS NULL OR a.at < $6) AND ($7 IS NULL OR a.id < $7) \
         ORDER BY a.id DESC LIMIT $8",
    )
    .bind(f.body_id)
    .bind(f.user_id)
    .bind(f.object_type.as_deref())
    .bind(f.object_id.as_deref())
    .bind(f.from_ms)
    .bind(f.to_ms)
    .bind(before_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                user_id: r.try_get("user_id")?,
                actor: r.try_get("actor")?,
                body_id: r.try_get("body_id")?,
                body_slug: r.try_get("body_slug")?,
                action: r.try_get("action")?,
                object_type: r.try_get("object_type")?,
                object_id: r.try_get("object_id")?,
                before_json: r.try_get("before_json")?,
                after_json: r.try_get("after_json")?,
            })
        })
        .collect()
}
