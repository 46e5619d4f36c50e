//! The portal's production calendar: the shipped federal data with the administrator's
//! corrections on top (next year's decree arrives each autumn; a region may add days off).

use deadlines::{Calendar, Date, DayKind};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::{Error, Result};

/// The kinds an administrator may set, with their Russian names.
pub const KINDS: [&str; 5] = ["holiday", "day-off", "working", "short", "presidential"];

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Override {
    pub day: String,
    pub kind: String,
    pub note: String,
    pub updated_at: i64,
}

pub async fn overrides(db: &Db) -> Result<Vec<Override>> {
    let rows = sqlx::query("SELECT day, kind, note, updated_at FROM calendar_overrides ORDER BY day")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Override {
                day: r.try_get("day")?,
                kind: r.try_get("kind")?,
                note: r.try_get("note")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect()
}

/// The calendar every deadline of this portal is computed on.
pub async fn calendar(db: &Db, cfg: &crate::Config) -> Result<Calendar> {
    let list = overrides(db).await?;
    let parsed = list.into_iter().filter_map(|o| {
        let day: Date = o.day.parse().ok()?;
        Some((day, DayKind::parse(&o.kind)?, o.note))
    });
    let mut cal = Calendar::federal().with_overrides(parsed);
    cal.presidential_days_off = cfg.presidential_days_off;
    Ok(cal)
}

/// Checks a form's day and kind.
pub fn validate(day: &str, kind: &str, note: &str) -> Result<(Date, &'static str)> {
    let mut errors = Vec::new();
    let parsed: Option<Date> = day.trim().parse().ok().filter(|d: &Date| (1990..=2100).contains(&d.year()));
    if parsed.is_none() {
        errors.push(("day", format!("«{}» — не дата: укажите ГГГГ-ММ-ДД между 1990 и 2100 годами", day.trim())));
    }
    let kind = KINDS.iter().find(|k| **k == kind.trim()).copied();
    if kind.is_none() {
        errors.push(("kind", "выберите, каким становится день".to_string()));
    }
    if note.chars().count() > 500 {
        errors.push(("note", "не длиннее 500 символов".to_string()));
    }
    match (parsed, kind) {
        (Some(d), Some(k)) if errors.is_empty() => Ok((d, k)),
        _ => Err(Error::Form(errors)),
    }
}

pub async fn set_override(db: &Db, actor: &Actor, now: i64, day: Date, kind: &str, note: &str) -> Result<Override> {
    let key = day.to_string();
    let before = overrides(db).await?.into_iter().find(|o| o.day == key);
    let after = Override { day: key.clone(), kind: kind.to_string(), note: note.trim().to_string(), updated_at: now };
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO calendar_overrides (day, kind, note, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (day) DO UPDATE SET kind = $2, note = $3, updated_at = $4",
    )
    .bind(&after.day)
    .bind(&after.kind)
    .bind(&after.note)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: if before.is_some() { "update" } else { "create" },
        object_type: "calendar_day",
        object_id: key,
        body_id: None,
        before: before.as_ref().and_then(audit::snapshot),
        after: audit::snapshot(&after),
    };
    crate::versions::bump(&mut tx, crate::versions::DIRECTORY).await?;
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn delete_override(db: &Db, actor: &Actor, now: i64, day: &str) -> Result<()> {
    let before = overrides(db).await?.into_iter().find(|o| o.day == day).ok_or(Error::NotFound("день календаря"))?;
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM calendar_overrides WHERE day = $1").bind(day).execute(&mut *tx).await?;
    let change = Change {
        action: "delete",
        object_type: "calendar_day",
        object_id: day.to_string(),
        body_id: None,
        before: audit::snapshot(&before),
        after: None,
    };
    crate::versions::bump(&mut tx, crate::versions::DIRECTORY).await?;
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_field_by_field() {
        assert!(validate("2028-01-10", "day-off", "").is_ok());
        let e = validate("10.01.2028", "weekday", "").err().map(|e| e.field_errors()).unwrap_or_default();
        assert_eq!(e.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["day", "kind"]);
        assert!(validate("2028-02-30", "holiday", "").is_err());
    }
}
