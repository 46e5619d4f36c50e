//! The plan of rule-making (seed 000 §9): the drafts a body plans for a year — each with its
//! kind, its term as the plan writes it («II квартал», «до 1 июня»), read by the deadline reader
//! into a date of that year, who prepares it, and the draft it became once the notice is out.

use deadlines::{Calendar, Date, DayOffPolicy};
use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub id: i64,
    pub body_id: i64,
    pub year: i64,
    pub title: String,
    pub kind: String,
    pub term: String,
    pub responsible: String,
    pub draft_id: Option<i64>,
}

impl Item {
    /// The term read as a date of the plan's year, or why it could not be.
    pub fn due(&self, cal: &Calendar) -> std::result::Result<Date, String> {
        due(&self.term, self.year, cal)
    }
}

/// A term as the plan writes it, read as the last day it allows in `year`.
pub fn due(term: &str, year: i64, cal: &Calendar) -> std::result::Result<Date, String> {
    let year = i16::try_from(year).map_err(|_| "год вне диапазона".to_string())?;
    let schedule = deadlines::parse_in(term, deadlines::Context { year: Some(year) }).map_err(|u| u.reason.clone())?;
    let (from, to) =
        (Date::new(year, 1, 1).map_err(|e| e.to_string())?, Date::new(year, 12, 31).map_err(|e| e.to_string())?);
    let dues = schedule.due_dates(cal, from, to, None, DayOffPolicy::Keep).map_err(|e| e.to_string())?;
    dues.last().map(|d| d.date.date).ok_or_else(|| format!("в {year} году по этому сроку нет даты"))
}

/// An item as the lawyer's form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ItemForm {
    pub year: String,
    pub title: String,
    pub kind: String,
    pub term: String,
    pub responsible: String,
}

/// Checks an item; all problems at once. A term the reader cannot place is refused with the
/// words it could not place, so the plan's dates are always dates.
pub fn check(f: &ItemForm, kinds: &[crate::store::Kind], cal: &Calendar, today: Date) -> Result<ItemForm> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let year = match f.year.trim().parse::<i64>() {
        Ok(y) if (i64::from(today.year()) - 1..=i64::from(today.year()) + 2).contains(&y) => Some(y),
        _ => {
            errors.push(("year", format!("год плана — от {} до {}", today.year() - 1, today.year() + 2)));
            None
        }
    };
    let title = f.title.trim();
    if title.is_empty() || title.chars().count() > 500 {
        errors.push(("title", "укажите наименование проекта акта (до 500 символов)".into()));
    }
    if !kinds.iter().any(|k| k.code == f.kind) {
        errors.push(("kind", "выберите вид акта".into()));
    }
    let term = f.term.trim();
    match (term.is_empty(), year) {
        (true, _) => errors.push(("term", "укажите срок, например «II квартал» или «до 1 июня»".into())),
        (false, Some(y)) => {
            if let Err(why) = due(term, y, cal) {
                errors.push(("term", format!("срок «{term}» не прочитан: {why}")));
            }
        }
        _ => {}
    }
    if f.responsible.trim().chars().count() > 500 {
        errors.push(("responsible", "ответственный — не длиннее 500 символов".into()));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    Ok(ItemForm {
        year: f.year.trim().to_string(),
        title: title.to_string(),
        kind: f.kind.clone(),
        term: term.to_string(),
        responsible: f.responsible.trim().to_string(),
    })
}

const COLUMNS: &str = "id, body_id, year, title, kind, term, responsible, draft_id";

fn row(r: &sqlx::any::AnyRow) -> Result<Item> {
    Ok(Item {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        year: r.try_get("year")?,
        title: r.try_get("title")?,
        kind: r.try_get("kind")?,
        term: r.try_get("term")?,
        responsible: r.try_get("responsible")?,
        draft_id: r.try_get("draft_id")?,
    })
}

/// A body's plan for a year, in the order entered.
pub async fn items(db: &Db, body_id: i64, year: i64) -> Result<Vec<Item>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM draft_plan_items WHERE body_id = $1 AND year = $2 ORDER BY id"
    )))
    .bind(body_id)
    .bind(year)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(row).collect()
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Item>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM draft_plan_items WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    r.as_ref().map(row).transpose()
}

pub async fn add(db: &Db, actor: &Actor, now: i64, body_id: i64, f: &ItemForm) -> Result<i64> {
    let year: i64 = f.year.parse().map_err(|_| Error::invalid("year", "год плана — число"))?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO draft_plan_items (body_id, year, title, kind, term, responsible, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(body_id)
    .bind(year)
    .bind(&f.title)
    .bind(&f.kind)
    .bind(&f.term)
    .bind(&f.responsible)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let change = Change {
        action: "create",
        object_type: "draft_plan_item",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: Some(
            serde_json::json!({ "year": year, "title": f.title, "kind": f.kind, "term": f.term, "responsible": f.responsible }),
        ),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// Links an item to the body's draft it became (None: unlinks it); audited.
pub async fn link(db: &Db, actor: &Actor, now: i64, item: &Item, draft: Option<&crate::store::Draft>) -> Result<()> {
    if draft.is_some_and(|d| d.body_id != item.body_id) {
        return Err(Error::invalid("draft", "выберите проект этого органа"));
    }
    let draft_id = draft.map(|d| d.id);
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE draft_plan_items SET draft_id = $1, updated_at = $2 WHERE id = $3")
        .bind(draft_id)
        .bind(now)
        .bind(item.id)
        .execute(&mut *tx)
        .await?;
    let change = Change::update(
        "draft_plan_item",
        item.id,
        Some(item.body_id),
        serde_json::json!({ "draft_id": item.draft_id }),
        serde_json::json!({ "draft_id": draft_id }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an item from the plan; audited with what it was.
pub async fn remove(db: &Db, actor: &Actor, now: i64, item: &Item) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM draft_plan_items WHERE id = $1").bind(item.id).execute(&mut *tx).await?;
    let change = Change {
        action: "delete",
        object_type: "draft_plan_item",
        object_id: item.id.to_string(),
        body_id: Some(item.body_id),
        before: audit::snapshot(item),
        after: None,
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_s_terms_are_dates_of_its_year() {
        let cal = Calendar::federal();
        let d = |s: &str| s.parse::<Date>().expect("date");
        for (term, want) in [
            ("II квартал 2027 года", "2027-06-30"),
            ("до 1 июня", "2027-06-01"),
            ("декабрь 2027 г.", "2027-12-31"),
            ("в течение года", "2027-12-31"),
        ] {
            assert_eq!(due(term, 2027, &cal), Ok(d(want)), "{term}");
        }
        assert!(due("когда-нибудь", 2027, &cal).is_err());
    }
}
