//! The site's tables: the catalogue the portal admin loaded (the built-in one when none was),
//! each body's kind, and each body's records of its items — only ever added to, every one in
//! the audit log.

use kernel::audit::{self, Actor, Change};
use kernel::{Db, Error, Result};
use serde::Serialize;
use sqlx::Row;

use crate::catalogue::{self, Item};
use crate::freshness::Record;

/// The catalogue in force: the loaded one, or the built-in one.
pub async fn catalogue(db: &Db) -> Result<Vec<Item>> {
    let rows = sqlx::query(
        "SELECT code, section, title, kind, applies_to, freshness, basis FROM site_catalogue ORDER BY position",
    )
    .fetch_all(&db.pool)
    .await?;
    if rows.is_empty() {
        return Ok(catalogue::builtin());
    }
    rows.iter()
        .map(|r| {
            Ok(Item {
                code: r.try_get("code")?,
                section: r.try_get("section")?,
                title: r.try_get("title")?,
                kind: r.try_get("kind")?,
                applies_to: r.try_get("applies_to")?,
                freshness: r.try_get("freshness")?,
                basis: r.try_get("basis")?,
            })
        })
        .collect()
}

/// Replaces the catalogue with `items` (already checked by [`catalogue::parse`]); an empty list
/// goes back to the built-in one. Audited with the codes added, removed and changed.
pub async fn replace_catalogue(db: &Db, actor: &Actor, now: i64, items: &[Item]) -> Result<()> {
    let before = catalogue(db).await?;
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM site_catalogue").execute(&mut *tx).await?;
    for (n, i) in items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO site_catalogue (position, code, section, title, kind, applies_to, freshness, basis) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(n as i64)
        .bind(&i.code)
        .bind(&i.section)
        .bind(&i.title)
        .bind(&i.kind)
        .bind(&i.applies_to)
        .bind(&i.freshness)
        .bind(&i.basis)
        .execute(&mut *tx)
        .await?;
    }
    let after = if items.is_empty() { catalogue::builtin() } else { items.to_vec() };
    let codes = |list: &[Item]| list.iter().map(|i| i.code.clone()).collect::<Vec<_>>();
    let added: Vec<String> = codes(&after).into_iter().filter(|c| !before.iter().any(|b| &b.code == c)).collect();
    let removed: Vec<String> = codes(&before).into_iter().filter(|c| !after.iter().any(|a| &a.code == c)).collect();
    let changed: Vec<String> =
        after.iter().filter(|a| before.iter().any(|b| b.code == a.code && b != *a)).map(|a| a.code.clone()).collect();
    let change = Change {
        action: if items.is_empty() { "reset" } else { "load" },
        object_type: "site_catalogue",
        object_id: "catalogue".into(),
        body_id: None,
        before: Some(serde_json::json!({ "items": before.len() })),
        after: Some(serde_json::json!({
            "items": after.len(), "added": added, "removed": removed, "changed": changed,
        })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// The body's kind for the catalogue ('executive' when none was set).
pub async fn body_kind(db: &Db, body_id: i64) -> Result<String> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM site_body_kinds WHERE body_id = $1")
        .bind(body_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(kind.unwrap_or_else(|| "executive".into()))
}

pub async fn set_body_kind(db: &Db, actor: &Actor, now: i64, body_id: i64, kind: &str) -> Result<()> {
    if !catalogue::BODY_KINDS.contains(&kind) {
        return Err(Error::invalid("kind", "выберите вид органа из списка"));
    }
    let before = body_kind(db, body_id).await?;
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM site_body_kinds WHERE body_id = $1").bind(body_id).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO site_body_kinds (body_id, kind) VALUES ($1, $2)")
        .bind(body_id)
        .bind(kind)
        .execute(&mut *tx)
        .await?;
    let change = Change::update(
        "site_body_kind",
        body_id,
        Some(body_id),
        serde_json::json!({ "kind": before }),
        serde_json::json!({ "kind": kind }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// One stored record of an item, with who made it and when.
#[derive(Clone, Debug, Serialize)]
pub struct Stored {
    pub id: i64,
    pub code: String,
    pub action: String,
    pub url: String,
    pub published_on: String,
    pub event_on: String,
    pub reason: String,
    pub created_at: i64,
}

impl Stored {
    pub fn record(&self) -> Record {
        Record {
            action: self.action.clone(),
            published_on: self.published_on.parse().ok(),
            event_on: self.event_on.parse().ok(),
            reason: self.reason.clone(),
        }
    }
}

/// Every record of the body's items, oldest first.
pub async fn records(db: &Db, body_id: i64) -> Result<Vec<Stored>> {
    let rows = sqlx::query(
        "SELECT id, code, action, url, published_on, event_on, reason, created_at FROM site_item_records \
         WHERE body_id = $1 ORDER BY id",
    )
    .bind(body_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Stored {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                action: r.try_get("action")?,
                url: r.try_get("url")?,
                published_on: r.try_get("published_on")?,
                event_on: r.try_get("event_on")?,
                reason: r.try_get("reason")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// What an editor records of an item, as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RecordForm {
    pub action: String,
    pub url: String,
    pub published_on: String,
    pub event_on: String,
    pub reason: String,
}

/// Adds a record of an item: checked whole (every problem at once), audited.
pub async fn add_record(
    db: &Db,
    actor: &Actor,
    now: i64,
    today: deadlines::Date,
    body_id: i64,
    item: &Item,
    f: &RecordForm,
) -> Result<i64> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let date = |field: &'static str, value: &str, errors: &mut Vec<(&'static str, String)>| {
        let v = value.trim();
        if v.is_empty() {
            return String::new();
        }
        match v.parse::<deadlines::Date>() {
            Ok(d) if d > today => {
                errors.push((field, format!("{} — ещё не наступило: укажите прошедшую дату", d.strftime("%d.%m.%Y"))));
                String::new()
            }
            Ok(d) => d.to_string(),
            Err(_) => {
                errors.push((field, format!("«{v}» — не дата: укажите дату в виде ГГГГ-ММ-ДД")));
                String::new()
            }
        }
    };
    let (url, published_on, event_on, reason) = match f.action.as_str() {
        "published" => {
            let url = f.url.trim().to_string();
            if !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
                || url.contains(char::is_whitespace)
                || url.chars().count() > 1000
            {
                errors.push(("url", "укажите адрес страницы, где размещена информация: https://… или /…".into()));
            }
            let published_on = date("published_on", &f.published_on, &mut errors);
            let event_on = date("event_on", &f.event_on, &mut errors);
            if f.published_on.trim().is_empty() && f.event_on.trim().is_empty() {
                errors
                    .push(("published_on", "укажите дату размещения (или дату события, если ещё не размещено)".into()));
            }
            if let (Ok(p), Ok(e)) = (published_on.parse::<deadlines::Date>(), event_on.parse::<deadlines::Date>())
                && p < e
            {
                errors.push(("published_on", "дата размещения раньше даты события".into()));
            }
            (url, published_on, event_on, String::new())
        }
        "not_applicable" => {
            let reason = f.reason.trim().to_string();
            if reason.is_empty() {
                errors.push(("reason", "укажите, почему пункт не относится к органу".into()));
            } else if reason.chars().count() > 1000 {
                errors.push(("reason", "причина — не длиннее 1000 знаков".into()));
            }
            (String::new(), String::new(), String::new(), reason)
        }
        "applicable" => Default::default(),
        _ => return Err(Error::invalid("action", "выберите действие из списка")),
    };
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO site_item_records (body_id, code, action, url, published_on, event_on, reason, user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(body_id)
    .bind(&item.code)
    .bind(&f.action)
    .bind(&url)
    .bind(&published_on)
    .bind(&event_on)
    .bind(&reason)
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: "create",
        object_type: "site_item_record",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: Some(serde_json::json!({
            "code": item.code, "action": f.action, "url": url,
            "published_on": published_on, "event_on": event_on, "reason": reason,
        })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}
