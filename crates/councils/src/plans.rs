//! A council's draft work plan discussed in public before it is approved, on the discussion
//! engine: the secretary puts up the draft, one item per line, with the last day of the
//! discussion; anyone comments on the whole plan or on an item; the secretary moderates, replies
//! and gives the council's position; the approved plan is then published as the council's
//! document (`store::add_document`, kind `plan`) against the freshness term.

use deadlines::Date;
use discussion::{Identify, Subject, Table};
use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::store::Council;

/// The plans' comments: a comment's part is an item, by its number.
pub const TABLE: Table = Table {
    name: "council_plan_comments",
    subject: "plan_id",
    unit: "item",
    audit: "council_plan_comment",
    identify: Identify::Optional,
};

const MAX_ITEMS: usize = 200;
const MAX_LINE: usize = 2_000;

#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    pub id: i64,
    pub council_id: i64,
    pub title: String,
    pub items: String,
    pub discussion_until: String,
    pub created_at: i64,
}

impl Plan {
    /// The items, numbered from 1.
    pub fn numbered(&self) -> Vec<(i64, &str)> {
        self.items.lines().filter(|l| !l.trim().is_empty()).enumerate().map(|(i, l)| (i as i64 + 1, l.trim())).collect()
    }

    pub fn accepting(&self, today: Date) -> bool {
        discussion::comments::accepting(true, self.discussion_until.parse().ok(), today)
    }

    pub fn until(&self) -> String {
        self.discussion_until.parse::<Date>().map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default()
    }

    /// The plan as the engine sees it.
    pub fn subject<'a>(&'a self, body_id: i64, page: String) -> Subject<'a> {
        Subject { id: self.id, body_id, title: &self.title, page, version: 0 }
    }
}

fn plan_row(r: &sqlx::any::AnyRow) -> Result<Plan> {
    Ok(Plan {
        id: r.try_get("id")?,
        council_id: r.try_get("council_id")?,
        title: r.try_get("title")?,
        items: r.try_get("items")?,
        discussion_until: r.try_get("discussion_until")?,
        created_at: r.try_get("created_at")?,
    })
}

const PLAN: &str = "id, council_id, title, items, discussion_until, created_at";

pub async fn get(db: &Db, id: i64) -> Result<Option<Plan>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {PLAN} FROM council_plans WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(plan_row).transpose()
}

/// A council's plans put to discussion, the latest first.
pub async fn of_council(db: &Db, council_id: i64) -> Result<Vec<Plan>> {
    db.rows_by(format!("SELECT {PLAN} FROM council_plans WHERE council_id = $1 ORDER BY id DESC"), council_id, plan_row)
        .await
}

/// A draft plan as the secretary's form sends it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PlanForm {
    pub plan_title: String,
    pub plan_items: String,
    pub plan_until: String,
}

/// Puts a draft plan to discussion through the end of its last day (not before today).
pub async fn put_up(db: &Db, actor: &Actor, (now, today): (i64, Date), council: &Council, f: &PlanForm) -> Result<i64> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if f.plan_title.trim().is_empty() {
        errors.push(("plan_title", "назовите проект плана: например, «Проект плана работы совета на 2027 год»".into()));
    }
    let items: Vec<&str> = f.plan_items.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if items.is_empty() {
        errors.push(("plan_items", "впишите пункты плана, по одному в строке".into()));
    } else if items.len() > MAX_ITEMS || items.iter().any(|l| l.chars().count() > MAX_LINE) {
        errors.push(("plan_items", format!("не больше {MAX_ITEMS} пунктов, пункт — до {MAX_LINE} символов")));
    }
    let until = crate::store::day(&f.plan_until);
    match until {
        None => errors.push(("plan_until", "укажите последний день обсуждения в виде ДД.ММ.ГГГГ".into())),
        Some(d) if d < today => errors.push(("plan_until", "последний день обсуждения уже прошёл".into())),
        Some(_) => {}
    }
    if f.plan_title.trim().chars().count() > 500 {
        errors.push(("plan_title", "не длиннее 500 символов".into()));
    }
    let Some(until) = until.filter(|_| errors.is_empty()) else {
        return Err(Error::Form(errors));
    };
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO council_plans (council_id, title, items, discussion_until, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(council.id)
    .bind(f.plan_title.trim())
    .bind(items.join("\n"))
    .bind(until.to_string())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let change = Change {
        action: "create",
        object_type: "council_plan",
        object_id: id.to_string(),
        body_id: Some(council.body_id),
        before: None,
        after: audit::snapshot(f),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_numbered_from_one_and_the_last_day_counts() {
        let p = Plan {
            id: 1,
            council_id: 1,
            title: "План".into(),
            items: "Отчёт департамента\n\nОбсуждение проекта бюджета".into(),
            discussion_until: "2026-12-20".into(),
            created_at: 0,
        };
        assert_eq!(p.numbered(), [(1, "Отчёт департамента"), (2, "Обсуждение проекта бюджета")]);
        assert!(p.accepting(Date::constant(2026, 12, 20)) && !p.accepting(Date::constant(2026, 12, 21)));
        assert_eq!(p.until(), "20.12.2026");
    }
}
