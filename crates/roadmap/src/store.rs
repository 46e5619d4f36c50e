//! Roadmaps in the database: created from an imported plan in one transaction (audited),
//! read back with their sections and measures.

use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::Result;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::import::ImportedPlan;

/// Where a plan is in its life.
/// Where a plan is in its life (words: `roadmap_status.*` in the mechanism's strings).
pub const STATUSES: [&str; 4] = ["draft", "discussion", "approved", "archived"];

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Roadmap {
    pub id: i64,
    pub body_id: i64,
    pub title: String,
    pub period: String,
    pub approving_act: String,
    pub status: String,
    pub source_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The last day comments are taken on a plan under discussion (YYYY-MM-DD), or empty.
    pub discussion_until: String,
}

impl Roadmap {
    /// What the plan tells its deadline phrases: «в течение года» is the plan's year.
    pub fn context(&self) -> deadlines::Context {
        deadlines::Context { year: crate::details::plan_year(&self.approving_act, &self.period) }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StoredSection {
    pub id: i64,
    pub number: String,
    pub title: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StoredMeasure {
    pub id: i64,
    pub section_id: Option<i64>,
    pub number: String,
    pub text: String,
    pub stage: Option<i64>,
    pub deadline: String,
    pub executors: String,
    pub expected: Option<String>,
    pub continuation: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Loaded {
    pub roadmap: Roadmap,
    pub sections: Vec<StoredSection>,
    pub measures: Vec<StoredMeasure>,
}

const ROADMAP_COLUMNS: &str =
    "id, body_id, title, period, approving_act, status, source_name, created_at, updated_at, discussion_until";

fn roadmap_from(r: &AnyRow) -> Result<Roadmap> {
    Ok(Roadmap {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        title: r.try_get("title")?,
        period: r.try_get("period")?,
        approving_act: r.try_get("approving_act")?,
        status: r.try_get("status")?,
        source_name: r.try_get("source_name")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        discussion_until: r.try_get("discussion_until")?,
    })
}

pub struct NewRoadmap<'a> {
    pub body_id: i64,
    pub title: &'a str,
    /// "2017–2020", or empty.
    pub period: String,
    /// "распоряжение от 03.04.2017 № 149, …", or empty.
    pub approving_act: String,
    pub source_name: &'a str,
    pub plan: &'a ImportedPlan,
}

impl<'a> NewRoadmap<'a> {
    /// A plan as its document gives it: the years and act read from the lines before the table.
    pub fn from_document(body_id: i64, title: &'a str, source_name: &'a str, plan: &'a ImportedPlan) -> Self {
        NewRoadmap {
            body_id,
            title,
            period: plan.details.period_text(),
            approving_act: plan.details.approving_act(),
            source_name,
            plan,
        }
    }
}

/// Stores an imported plan as a draft roadmap of the body. Returns its id.
pub async fn create_from_import(db: &Db, actor: &Actor, now: i64, new: NewRoadmap<'_>) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO roadmaps (body_id, title, status, source_name, created_at, updated_at, period, approving_act) \
         VALUES ($1, $2, 'draft', $3, $4, $4, $5, $6) RETURNING id",
    )
    .bind(new.body_id)
    .bind(new.title.trim())
    .bind(new.source_name)
    .bind(now)
    .bind(new.period.trim())
    .bind(new.approving_act.trim())
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let mut section_ids: Vec<(String, i64)> = Vec::new();
    for (pos, s) in new.plan.sections.iter().enumerate() {
        let sid: i64 = sqlx::query(
            "INSERT INTO roadmap_sections (roadmap_id, position, number, title) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(id)
        .bind(pos as i64)
        .bind(&s.number)
        .bind(&s.title)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        section_ids.push((s.number.clone(), sid));
    }
    for (pos, m) in new.plan.measures.iter().enumerate() {
        let section_id =
            m.section.as_ref().and_then(|n| section_ids.iter().rev().find(|(num, _)| num == n)).map(|(_, id)| *id);
        sqlx::query(
            "INSERT INTO measures (roadmap_id, section_id, position, number, text, stage, deadline, executors, expected, \
             continuation, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(id)
        .bind(section_id)
        .bind(pos as i64)
        .bind(&m.number)
        .bind(&m.text)
        .bind(m.stage.map(i64::from))
        .bind(&m.deadline)
        .bind(&m.executors)
        .bind(m.expected.as_deref())
        .bind(i64::from(m.continuation))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let change = Change {
        action: "create",
        object_type: "roadmap",
        object_id: id.to_string(),
        body_id: Some(new.body_id),
        before: None,
        after: Some(serde_json::json!({
            "title": new.title.trim(),
            "source": new.source_name,
            "sections": new.plan.sections.len(),
            "measures": new.plan.measures.len(),
        })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    crate::kept::bump(&mut tx, id).await?;
    crate::searched::changed(&mut tx, new.body_id, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn for_body(db: &Db, body_id: i64) -> Result<Vec<Roadmap>> {
    db.rows_by(
        format!("SELECT {ROADMAP_COLUMNS} FROM roadmaps WHERE body_id = $1 ORDER BY created_at DESC, id DESC"),
        body_id,
        roadmap_from,
    )
    .await
}

/// Each body's approved plan (the newest approved one), by body.
pub async fn approved_ids(db: &Db) -> Result<std::collections::HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT body_id, id FROM roadmaps WHERE status = 'approved' ORDER BY created_at DESC, id DESC")
            .fetch_all(&db.pool)
            .await?;
    let mut out = std::collections::HashMap::new();
    for (body, id) in rows {
        out.entry(body).or_insert(id);
    }
    Ok(out)
}

pub async fn load(db: &Db, roadmap_id: i64) -> Result<Option<Loaded>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {ROADMAP_COLUMNS} FROM roadmaps WHERE id = $1")))
        .bind(roadmap_id)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let roadmap = roadmap_from(&row)?;
    let sections =
        sqlx::query("SELECT id, number, title FROM roadmap_sections WHERE roadmap_id = $1 ORDER BY position")
            .bind(roadmap_id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(StoredSection { id: r.try_get("id")?, number: r.try_get("number")?, title: r.try_get("title")? })
            })
            .collect::<Result<Vec<_>>>()?;
    // A plan has a hundred measures or more and is read on every tracking view: one JSON value.
    #[derive(Deserialize)]
    struct Row {
        id: i64,
        section_id: Option<i64>,
        number: String,
        text: String,
        stage: Option<i64>,
        deadline: String,
        executors: String,
        expected: Option<String>,
        continuation: i64,
        position: i64,
    }
    const COLUMNS: [&str; 10] = [
        "id",
        "section_id",
        "number",
        "text",
        "stage",
        "deadline",
        "executors",
        "expected",
        "continuation",
        "position",
    ];
    let sql = db.json_rows_sql(&COLUMNS, &format!("SELECT {} FROM measures WHERE roadmap_id = $1", COLUMNS.join(", ")));
    let text: String = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(roadmap_id).fetch_one(&db.pool).await?.try_get(0)?;
    let mut rows: Vec<Row> = kernel::db::from_json_rows(&text)?;
    rows.sort_by_key(|r| r.position);
    let measures = rows
        .into_iter()
        .map(|r| StoredMeasure {
            id: r.id,
            section_id: r.section_id,
            number: r.number,
            text: r.text,
            stage: r.stage,
            deadline: r.deadline,
            executors: r.executors,
            expected: r.expected,
            continuation: r.continuation != 0,
        })
        .collect();
    Ok(Some(Loaded { roadmap, sections, measures }))
}

/// Moves a roadmap to another status; approving records the approving act (number and date),
/// opening the discussion the last day comments are taken (optional).
pub async fn set_status(
    db: &Db,
    actor: &Actor,
    now: i64,
    before: &Roadmap,
    status: &str,
    approving_act: &str,
    discussion_until: &str,
) -> Result<()> {
    use kernel::Error;
    if !STATUSES.contains(&status) {
        return Err(Error::invalid("status", "выберите статус плана из списка"));
    }
    let act = approving_act.trim();
    if act.chars().count() > 500 {
        return Err(Error::invalid("approving_act", "реквизиты акта — не длиннее 500 символов"));
    }
    if status == "approved" && act.is_empty() && before.approving_act.is_empty() {
        return Err(Error::invalid("approving_act", "для утверждения укажите реквизиты акта: вид, дату и номер"));
    }
    let act = if act.is_empty() { before.approving_act.clone() } else { act.to_string() };
    let until = discussion_until.trim();
    if !until.is_empty() && until.parse::<deadlines::Date>().is_err() {
        return Err(Error::invalid("discussion_until", format!("«{until}» — не дата: укажите ГГГГ-ММ-ДД")));
    }
    let until = if status == "discussion" { until.to_string() } else { before.discussion_until.clone() };
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE roadmaps SET status = $1, approving_act = $2, discussion_until = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(status)
    .bind(&act)
    .bind(&until)
    .bind(now)
    .bind(before.id)
    .execute(&mut *tx)
    .await?;
    let change = Change::update(
        "roadmap",
        before.id,
        Some(before.body_id),
        serde_json::json!({
            "status": before.status,
            "approving_act": before.approving_act,
            "discussion_until": before.discussion_until,
        }),
        serde_json::json!({ "status": status, "approving_act": act, "discussion_until": until }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    crate::kept::bump(&mut tx, before.id).await?;
    crate::searched::changed(&mut tx, before.body_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A measure as the edit form sends it, unchecked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MeasureForm {
    pub number: String,
    pub section: String,
    pub text: String,
    pub stage: String,
    pub deadline: String,
    pub executors: String,
    pub expected: String,
    /// Why it changed (an approving act for an approved plan, or a note).
    pub reason: String,
}

/// The fields of a measure that an edit may change, and whose changes make its history.
const EDITABLE: [&str; 7] = ["number", "section", "text", "stage", "deadline", "executors", "expected"];

fn measure_fields(m: &StoredMeasure, sections: &[StoredSection]) -> serde_json::Map<String, serde_json::Value> {
    let section = m.section_id.and_then(|id| sections.iter().find(|s| s.id == id)).map(|s| s.number.clone());
    let values = [
        serde_json::json!(m.number),
        serde_json::json!(section),
        serde_json::json!(m.text),
        serde_json::json!(m.stage),
        serde_json::json!(m.deadline),
        serde_json::json!(m.executors),
        serde_json::json!(m.expected),
    ];
    EDITABLE.iter().map(|k| k.to_string()).zip(values).collect()
}

/// Checks an edit against the plan it belongs to; all problems at once. An approved plan is
/// changed only by an act, so its measures need a reason.
pub fn validate_edit(loaded: &Loaded, before: &StoredMeasure, f: &MeasureForm) -> Result<(StoredMeasure, String)> {
    use kernel::Error;
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let too_long = |field: &'static str, value: &str, max: usize, errors: &mut Vec<(&'static str, String)>| {
        if value.chars().count() > max {
            errors.push((field, format!("не длиннее {max} символов")));
        }
    };
    let number = f.number.trim().to_string();
    if number.is_empty() {
        errors.push(("number", "укажите номер мероприятия, как в плане".into()));
    }
    too_long("number", &number, 20, &mut errors);
    let text = f.text.trim().to_string();
    if text.is_empty() {
        errors.push(("text", "укажите, что нужно сделать".into()));
    }
    too_long("text", &text, 5000, &mut errors);
    let stage = match f.stage.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(n @ 1..=3) => Some(n),
            _ => {
                errors.push(("stage", format!("стадия «{s}» — укажите 1, 2 или 3 либо оставьте пустой")));
                None
            }
        },
    };
    let section_id = match f.section.trim() {
        "" => None,
        s => match s.parse::<i64>().ok().filter(|id| loaded.sections.iter().any(|x| x.id == *id)) {
            Some(id) => Some(id),
            None => {
                errors.push(("section", "выберите раздел этого плана".into()));
                None
            }
        },
    };
    let deadline = f.deadline.trim().to_string();
    too_long("deadline", &deadline, 500, &mut errors);
    let executors = f.executors.trim().to_string();
    too_long("executors", &executors, 1000, &mut errors);
    let expected = Some(f.expected.trim().to_string()).filter(|e| !e.is_empty());
    too_long("expected", expected.as_deref().unwrap_or_default(), 5000, &mut errors);
    let reason = f.reason.trim().to_string();
    too_long("reason", &reason, 500, &mut errors);
    if reason.is_empty() && loaded.roadmap.status == "approved" {
        errors.push(("reason", "план утверждён: укажите основание изменения (акт, его дату и номер)".into()));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let after = StoredMeasure {
        id: before.id,
        section_id,
        number,
        text,
        stage,
        deadline,
        executors,
        expected,
        continuation: before.continuation,
    };
    Ok((after, reason))
}

/// Saves an edited measure with an audit record of the fields that changed (its history).
/// Returns false, and writes nothing, when nothing changed.
pub async fn update_measure(
    db: &Db,
    actor: &Actor,
    now: i64,
    loaded: &Loaded,
    after: &StoredMeasure,
    reason: &str,
) -> Result<bool> {
    let before = loaded.measures.iter().find(|m| m.id == after.id).ok_or(kernel::Error::NotFound("мероприятие"))?;
    let (old, new) = (measure_fields(before, &loaded.sections), measure_fields(after, &loaded.sections));
    let changed: Vec<&String> = old.keys().filter(|k| old.get(*k) != new.get(*k)).collect();
    if changed.is_empty() {
        return Ok(false);
    }
    let pick = |map: &serde_json::Map<String, serde_json::Value>| {
        changed.iter().map(|k| ((*k).clone(), map.get(*k).cloned().unwrap_or_default())).collect()
    };
    let (was, now_is): (serde_json::Map<_, _>, serde_json::Map<_, _>) = (pick(&old), pick(&new));
    let mut after_json = serde_json::Value::Object(now_is);
    if !reason.is_empty() {
        after_json["reason"] = serde_json::json!(reason);
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE measures SET section_id = $1, number = $2, text = $3, stage = $4, deadline = $5, executors = $6, \
         expected = $7, updated_at = $8 WHERE id = $9 AND roadmap_id = $10",
    )
    .bind(after.section_id)
    .bind(&after.number)
    .bind(&after.text)
    .bind(after.stage)
    .bind(&after.deadline)
    .bind(&after.executors)
    .bind(after.expected.as_deref())
    .bind(now)
    .bind(after.id)
    .bind(loaded.roadmap.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE roadmaps SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(loaded.roadmap.id)
        .execute(&mut *tx)
        .await?;
    let change =
        Change::update("measure", after.id, Some(loaded.roadmap.body_id), serde_json::Value::Object(was), after_json);
    audit::record(&mut tx, actor, now, change).await?;
    crate::kept::bump(&mut tx, loaded.roadmap.id).await?;
    crate::searched::changed(&mut tx, loaded.roadmap.body_id, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// One change of a measure after import: when, by whom, why, and each field before and after.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Revision {
    pub measure_id: i64,
    pub at: i64,
    #[serde(skip)]
    pub actor: String,
    pub reason: String,
    /// In the order of the form.
    pub fields: Vec<FieldChange>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// The changes of every measure of a plan, oldest first, read from the audit log.
pub async fn revisions(db: &Db, loaded: &Loaded) -> Result<Vec<Revision>> {
    let rows = sqlx::query(
        "SELECT object_id, at, actor, before_json, after_json FROM audit_log \
         WHERE object_type = 'measure' AND action = 'update' AND body_id = $1 ORDER BY id",
    )
    .bind(loaded.roadmap.body_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let object_id: String = r.try_get(0)?;
        let Some(measure_id) = object_id.parse::<i64>().ok().filter(|id| loaded.measures.iter().any(|m| m.id == *id))
        else {
            continue;
        };
        let parse = |s: Option<String>| -> serde_json::Value {
            s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
        };
        let (before, after) = (parse(r.try_get(3)?), parse(r.try_get(4)?));
        let fields = EDITABLE
            .iter()
            .filter_map(|k| {
                let b = before.get(*k)?;
                Some(FieldChange {
                    field: k.to_string(),
                    before: b.clone(),
                    after: after.get(*k).cloned().unwrap_or_default(),
                })
            })
            .collect();
        out.push(Revision {
            measure_id,
            at: r.try_get("at")?,
            actor: r.try_get("actor")?,
            reason: after.get("reason").and_then(|v| v.as_str()).unwrap_or_default().to_string(),
            fields,
        });
    }
    Ok(out)
}
