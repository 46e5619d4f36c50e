//! Requests to publish new datasets (seed 003 §3.1: a feedback service in the open-data
//! section; the received requests and the answers are published; each is answered not later
//! than 30 days after registration — `opendata_request_days`). Anyone may ask a body; the body's
//! publishers answer; the requester is told by e-mail when they left an address, which is never
//! shown or exported.

use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::{Db, outbox};
use serde::Serialize;
use sqlx::Row;

/// How a request was decided.
/// Words: `request_decision.*` (no decision yet: `request_decision.`).
pub const DECISIONS: [&str; 3] = ["published", "planned", "refused"];

/// A decision in Russian, for letters.
pub fn decision_ru(d: &str) -> &'static str {
    crate::russian("request_decision", d)
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Request {
    pub id: i64,
    pub body_id: i64,
    pub title: String,
    pub description: String,
    pub author_name: String,
    #[serde(skip)]
    pub email: String,
    /// The last day for the answer, YYYY-MM-DD.
    pub due_on: String,
    pub decision: String,
    pub answer: String,
    pub answered_at: Option<i64>,
    pub created_at: i64,
}

/// A request as the public form sends it, unchecked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RequestForm {
    pub body: String,
    pub title: String,
    pub description: String,
    pub author_name: String,
    pub email: String,
    pub consent: String,
    /// A field people do not see; only robots fill it in.
    pub website: String,
}

pub struct NewRequest {
    pub body_id: i64,
    pub title: String,
    pub description: String,
    pub author_name: String,
    pub email: Option<kernel::ids::Email>,
}

/// Checks a request; all problems at once. `bodies` are the (id, slug) pairs one may ask.
pub fn validate(f: &RequestForm, bodies: &[(i64, String)]) -> Result<NewRequest> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let body_id = bodies.iter().find(|(_, slug)| *slug == f.body.trim()).map(|(id, _)| *id);
    if body_id.is_none() {
        errors.push(("body", "выберите орган, которому адресован запрос".into()));
    }
    let title = f.title.trim().to_string();
    if title.is_empty() {
        errors.push(("title", "опишите коротко, какие данные нужны".into()));
    } else if title.chars().count() > 300 {
        errors.push(("title", "не длиннее 300 символов".into()));
    }
    let description = f.description.trim().to_string();
    if description.chars().count() > 5000 {
        errors.push(("description", "не длиннее 5000 символов".into()));
    }
    let sender = kernel::ids::Sender::check(&f.author_name, &f.email, &f.consent, "запрос", &mut errors);
    match body_id {
        Some(body_id) if errors.is_empty() => {
            Ok(NewRequest { body_id, title, description, author_name: sender.author_name, email: sender.email })
        }
        _ => Err(Error::Form(errors)),
    }
}

const COLUMNS: &str =
    "id, body_id, title, description, author_name, email, due_on, decision, answer, answered_at, created_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Request> {
    Ok(Request {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        author_name: r.try_get("author_name")?,
        email: r.try_get("email")?,
        due_on: r.try_get("due_on")?,
        decision: r.try_get("decision")?,
        answer: r.try_get("answer")?,
        answered_at: r.try_get("answered_at")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Registers a request with its answer deadline; the acknowledgement e-mail is queued with it.
pub async fn add(db: &Db, now: i64, due_on: deadlines::Date, page: &str, new: &NewRequest) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO dataset_requests (body_id, title, description, author_name, email, due_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(new.body_id)
    .bind(&new.title)
    .bind(&new.description)
    .bind(&new.author_name)
    .bind(new.email.as_ref().map(|e| e.as_str()).unwrap_or_default())
    .bind(due_on.to_string())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    if let Some(email) = &new.email {
        let letter =
            crate::mail::RequestReceived { title: &new.title, id, due: due_on.strftime("%d.%m.%Y").to_string(), page };
        let mail = crate::mail::Letter::to(&letter, email.as_str())?;
        outbox::enqueue_email(&mut tx, now, &format!("dataset-request:{id}"), &mail).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Requests, newest first; of one body, or of all when `body_id` is None.
pub async fn list(db: &Db, body_id: Option<i64>) -> Result<Vec<Request>> {
    db.rows_by(
        format!("SELECT {COLUMNS} FROM dataset_requests WHERE ($1 IS NULL OR body_id = $1) ORDER BY id DESC"),
        body_id,
        from_row,
    )
    .await
}

/// Answers a request (or corrects the answer); audited; the answer is e-mailed once per text.
pub async fn answer(
    db: &Db,
    actor: &Actor,
    now: i64,
    page: &str,
    before: &Request,
    decision: &str,
    text: &str,
) -> Result<()> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if !DECISIONS.contains(&decision) {
        errors.push(("decision", "выберите решение".into()));
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 5000 {
        errors.push(("answer", "напишите ответ (до 5000 символов)".into()));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE dataset_requests SET decision = $1, answer = $2, answered_at = $3 WHERE id = $4")
        .bind(decision)
        .bind(text)
        .bind(now)
        .bind(before.id)
        .execute(&mut *tx)
        .await?;
    let change = Change::update(
        "dataset_request",
        before.id,
        Some(before.body_id),
        serde_json::json!({ "decision": before.decision, "answer": before.answer }),
        serde_json::json!({ "decision": decision, "answer": text }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    if !before.email.is_empty() && text != before.answer {
        let letter = crate::mail::RequestAnswered { id: before.id, decision: decision_ru(decision), text, page };
        let mail = crate::mail::Letter::to(&letter, &before.email)?;
        let key = format!("dataset-request-answer:{}:{}", before.id, &kernel::staff::sha256_hex(text)[..16]);
        outbox::enqueue_email(&mut tx, now, &key, &mail).await?;
    }
    tx.commit().await?;
    Ok(())
}
