//! API tokens of a body, for information systems that call the portal (open-data pushes now).
//! Only a hash is stored; the token itself is shown once, when made. Making and revoking are
//! audited; each use is stamped.

use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::staff::{random_token, sha256_hex};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Token {
    pub id: i64,
    pub body_id: i64,
    pub name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// Makes a token for the body; returns its id and the token, which is not kept.
pub async fn create(db: &Db, actor: &Actor, now: i64, body_id: i64, name: &str) -> Result<(i64, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid("name", "назовите систему, которой выдаётся ключ (до 200 символов)"));
    }
    let token = format!("gl_{}", random_token());
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO api_tokens (body_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(body_id)
    .bind(name)
    .bind(sha256_hex(&token))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let change = Change {
        action: "create",
        object_type: "api_token",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: Some(serde_json::json!({ "name": name })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok((id, token))
}

pub async fn for_body(db: &Db, body_id: i64) -> Result<Vec<Token>> {
    let rows = sqlx::query(
        "SELECT id, body_id, name, created_at, revoked_at, last_used_at FROM api_tokens WHERE body_id = $1 ORDER BY id",
    )
    .bind(body_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Token {
                id: r.try_get("id")?,
                body_id: r.try_get("body_id")?,
                name: r.try_get("name")?,
                created_at: r.try_get("created_at")?,
                revoked_at: r.try_get("revoked_at")?,
                last_used_at: r.try_get("last_used_at")?,
            })
        })
        .collect()
}

pub async fn revoke(db: &Db, actor: &Actor, now: i64, token: &Token) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(token.id)
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: "delete",
        object_type: "api_token",
        object_id: token.id.to_string(),
        body_id: Some(token.body_id),
        before: Some(serde_json::json!({ "name": token.name })),
        after: None,
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// The live token a caller presents: (token id, body id, name), stamped as used.
pub async fn authenticate(db: &Db, now: i64, token: &str) -> Result<Option<(i64, i64, String)>> {
    let row = sqlx::query("SELECT id, body_id, name FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
        .bind(sha256_hex(token.trim()))
        .fetch_optional(&db.pool)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let id: i64 = r.try_get(0)?;
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(now).bind(id).execute(&db.pool).await?;
    Ok(Some((id, r.try_get(1)?, r.try_get(2)?)))
}
