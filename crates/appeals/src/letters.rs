//! Notices by post. An applicant who asked for the answer by post gets no e-mail: each legally
//! significant notice (the answer, an extension, a forwarding, an art. 11 notice) is a letter the
//! staff post. They record the day it was posted with the postal tracking number, and later the
//! day it was delivered — so the card tells, per notice, what became of it, as the outbox does for
//! e-mail. Each record is audited.

use deadlines::Date;
use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use sqlx::Row;

use crate::submissions::{Event, Submission};

/// The notices a letter is owed for: (letter, the event that calls for it), in the keys the
/// e-mail notices use.
const OWED: [(&str, &str); 4] = [
    ("extended", "extended"),
    ("answer", "answered"),
    ("forwarded", "forwarded"),
    ("no_answer", "left_without_answer"),
];

/// A letter owed to the applicant, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    /// extended, answer, forwarded or no_answer.
    pub what: &'static str,
    /// When the event that calls for it happened (ms).
    pub due_since: i64,
    pub sent_on: Option<Date>,
    pub tracking: String,
    pub delivered_on: Option<Date>,
}

/// The letters a submission's applicant is owed (none unless the answer goes by post), with
/// what has been recorded of each.
pub async fn owed(db: &Db, s: &Submission, events: &[Event]) -> Result<Vec<Letter>> {
    if s.answer_by != "post" {
        return Ok(Vec::new());
    }
    let rows =
        sqlx::query("SELECT what, sent_on, tracking, delivered_on FROM submission_letters WHERE submission_id = $1")
            .bind(s.id)
            .fetch_all(&db.pool)
            .await?;
    let mut out = Vec::new();
    for (what, event) in OWED {
        let Some(e) = events.iter().find(|e| e.status == event) else { continue };
        let mut letter = Letter { what, due_since: e.at, sent_on: None, tracking: String::new(), delivered_on: None };
        for r in &rows {
            if r.try_get::<String, _>(0)? == what {
                letter.sent_on = r.try_get::<String, _>(1)?.parse().ok();
                letter.tracking = r.try_get(2)?;
                letter.delivered_on = r.try_get::<String, _>(3)?.parse().ok();
            }
        }
        out.push(letter);
    }
    Ok(out)
}

/// The audit entry of a change to one of a submission's letters.
fn change(s: &Submission, what: &str, before: Option<serde_json::Value>, after: serde_json::Value) -> Change<'static> {
    Change {
        action: "update",
        object_type: "submission_letter",
        object_id: format!("{}:{what}", s.id),
        body_id: Some(s.body_id),
        before,
        after: Some(after),
    }
}

fn find<'a>(letters: &'a [Letter], what: &str) -> Result<&'a Letter> {
    letters.iter().find(|l| l.what == what).ok_or_else(|| Error::invalid("what", "такого письма заявителю не положено"))
}

/// Records that the letter was posted on `sent_on` (not after `today`, nor after its delivery)
/// with its tracking number (optional, up to 40 characters). Recording it again corrects it.
pub async fn sent(
    db: &Db,
    actor: &Actor,
    (now, today): (i64, Date),
    s: &Submission,
    letters: &[Letter],
    (what, sent_on, tracking): (&str, Option<Date>, &str),
) -> Result<()> {
    let letter = find(letters, what)?;
    let tracking = tracking.trim();
    let Some(sent_on) = sent_on else {
        return Err(Error::invalid("on", "укажите дату отправки письма"));
    };
    if sent_on > today {
        return Err(Error::invalid("on", "дата отправки не может быть позже сегодняшней"));
    }
    if letter.delivered_on.is_some_and(|d| sent_on > d) {
        return Err(Error::invalid("on", "письмо не могли отправить позже, чем вручили"));
    }
    if tracking.chars().count() > 40 || tracking.chars().any(char::is_control) {
        return Err(Error::invalid("tracking", "почтовый идентификатор — одна строка до 40 символов"));
    }
    let mut tx = db.begin().await?;
    let updated =
        sqlx::query("UPDATE submission_letters SET sent_on = $1, tracking = $2 WHERE submission_id = $3 AND what = $4")
            .bind(sent_on.to_string())
            .bind(tracking)
            .bind(s.id)
            .bind(what)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if updated == 0 {
        sqlx::query(
            "INSERT INTO submission_letters (submission_id, what, sent_on, tracking, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(s.id)
        .bind(what)
        .bind(sent_on.to_string())
        .bind(tracking)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let before = letter.sent_on.map(|d| serde_json::json!({ "sent_on": d.to_string(), "tracking": letter.tracking }));
    let after = serde_json::json!({ "sent_on": sent_on.to_string(), "tracking": tracking });
    audit::record(&mut tx, actor, now, change(s, what, before, after)).await?;
    tx.commit().await?;
    Ok(())
}

/// Records that the posted letter was delivered on `on` (not before it was posted, not after
/// `today`).
pub async fn delivered(
    db: &Db,
    actor: &Actor,
    (now, today): (i64, Date),
    s: &Submission,
    letters: &[Letter],
    (what, on): (&str, Option<Date>),
) -> Result<()> {
    let letter = find(letters, what)?;
    let Some(sent_on) = letter.sent_on else {
        return Err(Error::invalid("on", "сначала отметьте отправку письма"));
    };
    let Some(on) = on else {
        return Err(Error::invalid("on", "укажите дату вручения письма"));
    };
    if on < sent_on || on > today {
        return Err(Error::invalid(
            "on",
            format!("дата вручения — между отправкой ({}) и сегодняшним днём", sent_on.strftime("%d.%m.%Y")),
        ));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE submission_letters SET delivered_on = $1 WHERE submission_id = $2 AND what = $3")
        .bind(on.to_string())
        .bind(s.id)
        .bind(what)
        .execute(&mut *tx)
        .await?;
    let before = letter.delivered_on.map(|d| serde_json::json!({ "delivered_on": d.to_string() }));
    let after = serde_json::json!({ "delivered_on": on.to_string() });
    audit::record(&mut tx, actor, now, change(s, what, before, after)).await?;
    tx.commit().await?;
    Ok(())
}
