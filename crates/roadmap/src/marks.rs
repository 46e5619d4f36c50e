//! Execution marks: for a measure and one of its due periods, whether it was done, partly done
//! or not done, when, with a comment and links to the evidence (a page, a dataset, a file).
//! Marks are appended, never overwritten, so the history of a measure stays readable.

use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

/// Words: `mark_status.*` in the mechanism's strings.
pub const STATUSES: [&str; 3] = ["done", "partly", "not_done"];

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Mark {
    pub id: i64,
    pub measure_id: i64,
    /// The due period it answers for, as the schedule names it ("I полугодие 2017", "2018 год"),
    /// or empty for a standing duty.
    pub period: String,
    pub status: String,
    pub marked_on: String,
    pub comment: String,
    pub evidence: Vec<String>,
    /// Who marked it (their sign-in address): for staff pages only, never in public files.
    #[serde(skip)]
    pub actor: String,
    pub created_at: i64,
}

/// A mark as a form sends it, checked.
pub struct NewMark {
    pub period: String,
    pub status: &'static str,
    pub marked_on: deadlines::Date,
    pub comment: String,
    pub evidence: Vec<String>,
}

/// Checks a mark form; all problems at once.
pub fn validate(period: &str, status: &str, marked_on: &str, comment: &str, evidence: &str) -> Result<NewMark> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let status = STATUSES.iter().find(|k| **k == status.trim()).copied();
    if status.is_none() {
        errors.push(("status", "выберите, исполнено ли мероприятие".into()));
    }
    let date: Option<deadlines::Date> = marked_on.trim().parse().ok();
    if date.is_none() {
        errors.push(("marked_on", format!("«{}» — не дата: укажите ГГГГ-ММ-ДД", marked_on.trim())));
    }
    let mut links = Vec::new();
    for line in evidence.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let ok = (line.starts_with("https://") || line.starts_with("http://") || line.starts_with('/'))
            && !line.contains(char::is_whitespace)
            && line.len() <= 2000;
        if ok {
            links.push(line.to_string());
        } else {
            errors.push(("evidence", format!("«{line}» — не ссылка: укажите адрес, начинающийся с https:// или с /")));
        }
    }
    if status == Some("done") && links.is_empty() {
        errors.push(("evidence", "для исполненного мероприятия укажите хотя бы одну ссылку на подтверждение".into()));
    }
    if comment.chars().count() > 5000 {
        errors.push(("comment", "комментарий — не длиннее 5000 символов".into()));
    }
    match (status, date) {
        (Some(status), Some(marked_on)) if errors.is_empty() => Ok(NewMark {
            period: period.trim().chars().take(200).collect(),
            status,
            marked_on,
            comment: comment.trim().to_string(),
            evidence: links,
        }),
        _ => Err(Error::Form(errors)),
    }
}

pub async fn add(db: &Db, actor: &Actor, now: i64, body_id: i64, measure_id: i64, m: &NewMark) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO execution_marks (measure_id, period, status, marked_on, comment, evidence, user_id, actor, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(measure_id)
    .bind(&m.period)
    .bind(m.status)
    .bind(m.marked_on.to_string())
    .bind(&m.comment)
    .bind(m.evidence.join("\n"))
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let change = Change {
        action: "create",
        object_type: "execution_mark",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: Some(serde_json::json!({
            "measure_id": measure_id, "period": m.period, "status": m.status,
            "marked_on": m.marked_on.to_string(), "comment": m.comment, "evidence": m.evidence,
        })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    let roadmap_id: i64 = sqlx::query("SELECT roadmap_id FROM measures WHERE id = $1")
        .bind(measure_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    crate::kept::bump(&mut tx, roadmap_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Every mark of a roadmap's measures, oldest first.
pub async fn for_roadmap(db: &Db, roadmap_id: i64) -> Result<Vec<Mark>> {
    let rows = sqlx::query(
        "SELECT e.id, e.measure_id, e.period, e.status, e.marked_on, e.comment, e.evidence, e.actor, e.created_at \
         FROM execution_marks e JOIN measures m ON m.id = e.measure_id WHERE m.roadmap_id = $1 ORDER BY e.id",
    )
    .bind(roadmap_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let evidence: String = r.try_get("evidence")?;
            Ok(Mark {
                id: r.try_get("id")?,
                measure_id: r.try_get("measure_id")?,
                period: r.try_get("period")?,
                status: r.try_get("status")?,
                marked_on: r.try_get("marked_on")?,
                comment: r.try_get("comment")?,
                evidence: evidence.lines().map(str::to_string).filter(|l| !l.is_empty()).collect(),
                actor: r.try_get("actor")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn a_done_mark_needs_evidence_and_links_must_be_links() {
        assert!(validate("2017", "done", "2017-06-20", "", "https://example.org/page").is_ok());
        let e = validate("2017", "done", "20.06.2017", "", "").err().map(|e| e.field_errors()).unwrap_or_default();
        assert_eq!(e.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["marked_on", "evidence"]);
        assert!(validate("", "partly", "2017-06-20", "", "javascript:alert(1)").is_err());
        assert!(validate("", "not_done", "2017-06-20", "нет средств", "").is_ok());
        assert!(validate("", "maybe", "2017-06-20", "", "").is_err());
    }
}
