//! Submissions as stored: read by column names for staff and for the applicant's tracking
//! page, their history and files, the confirmation of the applicant's address, and the Russian
//! words for their statuses. Taking a new one is `intake`'s work.

use kernel::Db;
use kernel::error::Result;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::intake::number;

/// A submission as staff see it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Submission {
    pub id: i64,
    pub body_id: i64,
    pub kind: String,
    pub number: String,
    pub topic: String,
    pub text: String,
    pub author_name: String,
    pub email: String,
    pub phone: String,
    pub postal_address: String,
    pub answer_by: String,
    pub identified_by: String,
    pub status: String,
    pub registered_on: String,
    pub due_on: String,
    pub created_at: i64,
    /// Decree 171 result code, the answer and when it was given.
    pub result: String,
    pub answer: String,
    pub answered_at: Option<i64>,
    pub outlet: String,
    /// The appeals officer it is assigned to, if any.
    pub assignee_id: Option<i64>,
    /// Whom a complaint is about.
    pub respondent: String,
}

const COLUMNS: &str = "id, body_id, kind, seq, year, topic, text, author_name, email, phone, postal_address, answer_by, \
                       identified_by, status, registered_on, due_on, created_at, result, answer, answered_at, outlet, \
                       assignee_id, respondent";

/// A submission's row, read by column names.
#[derive(Deserialize)]
struct Stored {
    id: i64,
    body_id: i64,
    kind: String,
    seq: i64,
    year: i64,
    topic: String,
    text: String,
    author_name: String,
    email: String,
    phone: String,
    postal_address: String,
    answer_by: String,
    identified_by: String,
    status: String,
    registered_on: String,
    due_on: String,
    created_at: i64,
    result: String,
    answer: String,
    answered_at: Option<i64>,
    outlet: String,
    assignee_id: Option<i64>,
    respondent: String,
}

impl From<Stored> for Submission {
    fn from(r: Stored) -> Submission {
        Submission {
            id: r.id,
            body_id: r.body_id,
            kind: r.kind,
            number: number(r.seq, r.year),
            topic: r.topic,
            text: r.text,
            author_name: r.author_name,
            email: r.email,
            phone: r.phone,
            postal_address: r.postal_address,
            answer_by: r.answer_by,
            identified_by: r.identified_by,
            status: r.status,
            registered_on: r.registered_on,
            due_on: r.due_on,
            created_at: r.created_at,
            result: r.result,
            answer: r.answer,
            answered_at: r.answered_at,
            outlet: r.outlet,
            assignee_id: r.assignee_id,
            respondent: r.respondent,
        }
    }
}

/// Submissions matching `condition` (a SQL condition on `submissions` with one parameter), the
/// newest first, read by column names as one JSON value (a body's list is the officers' most
/// used page).
async fn select<'q, T>(db: &Db, condition: &str, value: T) -> Result<Vec<Submission>>
where
    T: 'q + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send,
{
    let columns: Vec<&str> = COLUMNS.split(',').map(str::trim).collect();
    let sql = db.json_rows_sql(&columns, &format!("SELECT {COLUMNS} FROM submissions WHERE {condition}"));
    let text: String = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).fetch_one(&db.pool).await?.try_get(0)?;
    let mut rows: Vec<Stored> = kernel::db::from_json_rows(&text)?;
    rows.sort_by_key(|r| std::cmp::Reverse((r.year, r.seq)));
    Ok(rows.into_iter().map(Submission::from).collect())
}

/// A submission as a body's list shows it: what an officer scans, not its text or the
/// applicant's addresses (less to read for the officers' most used page).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Listed {
    pub id: i64,
    pub kind: String,
    seq: i64,
    year: i64,
    pub topic: String,
    pub author_name: String,
    pub status: String,
    pub registered_on: String,
    pub due_on: String,
    pub assignee_id: Option<i64>,
}

impl Listed {
    pub fn number(&self) -> String {
        number(self.seq, self.year)
    }
}

/// Each body's list as this node keeps it: the counter `appeals:{body_id}` moves with every
/// submission the body gets and every change of one shown in the list (status, term,
/// assignee), in the same transaction ([`bump`]).
pub struct KeptLists(shell::snapshot::Keyed<Vec<Listed>>);

const LISTS: &str = "appeals";

/// Marks the body's list as changed by the transaction on `tx`.
pub async fn bump(tx: &mut sqlx::AnyConnection, body_id: i64) -> Result<()> {
    kernel::versions::bump_record(tx, LISTS, body_id).await
}

impl KeptLists {
    pub fn new(recheck: std::time::Duration) -> KeptLists {
        KeptLists(shell::snapshot::Keyed::new(LISTS, recheck))
    }

    /// The body's list as it stands.
    pub async fn get(&self, db: &Db, body_id: i64) -> Result<std::sync::Arc<Vec<Listed>>> {
        self.0.get(db, body_id, || listed(db, body_id)).await
    }

    /// After a change made through this node: every kept list is asked about at its next view.
    pub fn recheck_now(&self) {
        self.0.recheck_now();
    }
}

/// A body's submissions as its list shows them, the newest first.
pub async fn listed(db: &Db, body_id: i64) -> Result<Vec<Listed>> {
    let columns =
        ["id", "kind", "seq", "year", "topic", "author_name", "status", "registered_on", "due_on", "assignee_id"];
    let select = format!("SELECT {} FROM submissions WHERE body_id = $1", columns.join(", "));
    let text: String = sqlx::query(sqlx::AssertSqlSafe(db.json_rows_sql(&columns, &select)))
        .bind(body_id)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    let mut rows: Vec<Listed> = kernel::db::from_json_rows(&text)?;
    rows.sort_by_key(|r| std::cmp::Reverse((r.year, r.seq)));
    Ok(rows)
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Submission>> {
    Ok(select(db, "id = $1", id).await?.pop())
}

/// The submission a tracking token opens.
pub async fn by_token(db: &Db, token: &str) -> Result<Option<Submission>> {
    let condition = "token_hash = $1 OR id IN (SELECT submission_id FROM submission_links WHERE token_hash = $1)";
    Ok(select(db, condition, kernel::staff::sha256_hex(token)).await?.pop())
}

/// A number as an applicant types it (`12/2026`, `№ 12/2026`, `12 / 2026`): (seq, year).
pub fn parse_number(text: &str) -> Option<(i64, i64)> {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '№').collect();
    let (seq, year) = t.split_once('/')?;
    let (seq, year) = (seq.parse::<i64>().ok()?, year.parse::<i64>().ok()?);
    (seq > 0 && (2000..=9999).contains(&year)).then_some((seq, year))
}

/// Sends the tracking page again to an applicant who gives a submission's number and the e-mail
/// address it was sent from: for each submission with both (numbers are per body, so there may be
/// several), a new link in a letter to that address, the link and the letter in one transaction.
/// Says nothing of what it found, to the caller as to the visitor: returns how many were sent.
pub async fn send_link_again(
    db: &Db,
    now: i64,
    base: &str,
    (seq, year): (i64, i64),
    email: &str,
    body_name: impl Fn(i64) -> String,
) -> Result<usize> {
    let email = email.trim().to_lowercase();
    let rows =
        sqlx::query("SELECT id, body_id, topic, email FROM submissions WHERE seq = $1 AND year = $2 AND email <> ''")
            .bind(seq)
            .bind(year)
            .fetch_all(&db.pool)
            .await?;
    let mut sent = 0;
    for row in rows {
        let (id, body_id, topic, to): (i64, i64, String, String) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
        if to.trim().to_lowercase() != email {
            continue;
        }
        let token = kernel::staff::random_token();
        let hash = kernel::staff::sha256_hex(&token);
        let number = number(seq, year);
        let track = format!("{base}/appeals/track/{token}");
        let letter =
            crate::mail::TrackingLink { number: &number, body: &body_name(body_id), topic: &topic, track: &track };
        let mut tx = db.begin().await?;
        sqlx::query("INSERT INTO submission_links (token_hash, submission_id, created_at) VALUES ($1, $2, $3)")
            .bind(&hash)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        kernel::outbox::enqueue_email(
            &mut tx,
            now,
            &format!("appeal-link-{hash}"),
            &crate::mail::Letter::to(&letter, &to)?,
        )
        .await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

/// One step of a submission's history.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Event {
    pub at: i64,
    pub status: String,
    pub note: String,
}

pub async fn events(db: &Db, submission_id: i64) -> Result<Vec<Event>> {
    let rows = sqlx::query("SELECT at, status, note FROM submission_events WHERE submission_id = $1 ORDER BY id")
        .bind(submission_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok(Event { at: r.try_get("at")?, status: r.try_get("status")?, note: r.try_get("note")? }))
        .collect()
}

/// A stored attachment.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct File {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub bytes: i64,
    pub sha256: String,
    #[serde(skip)]
    pub file_key: String,
}

pub async fn files(db: &Db, submission_id: i64) -> Result<Vec<File>> {
    let rows = sqlx::query(
        "SELECT id, name, content_type, bytes, sha256, file_key FROM submission_files WHERE submission_id = $1 ORDER BY id",
    )
    .bind(submission_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(File {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                content_type: r.try_get("content_type")?,
                bytes: r.try_get("bytes")?,
                sha256: r.try_get("sha256")?,
                file_key: r.try_get("file_key")?,
            })
        })
        .collect()
}

/// The submission whose address confirmation secret this is.
pub async fn by_confirm_secret(db: &Db, secret: &str) -> Result<Option<Submission>> {
    Ok(select(db, "confirm_hash = $1 AND confirm_hash <> ''", kernel::staff::sha256_hex(secret)).await?.pop())
}

/// Confirms the applicant's address by the secret sent to it; None for an unknown secret, the
/// submission with `true` when this call confirmed it (`false`: it was already).
pub async fn confirm_email(db: &Db, now: i64, secret: &str) -> Result<Option<(Submission, bool)>> {
    let Some(s) = by_confirm_secret(db, secret).await? else { return Ok(None) };
    if s.identified_by == "email_link" {
        return Ok(Some((s, false)));
    }
    let mut tx = db.begin().await?;
    let changed = sqlx::query(
        "UPDATE submissions SET identified_by = 'email_link', email_confirmed_at = $1 \
         WHERE id = $2 AND identified_by <> 'email_link'",
    )
    .bind(now)
    .bind(s.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 1 {
        sqlx::query("INSERT INTO submission_events (submission_id, at, status) VALUES ($1, $2, 'email_confirmed')")
            .bind(s.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Some((s, changed == 1)))
}

/// A submission's statuses and the steps of its history (words: `appeal_status.*`).
pub const STATUSES: [&str; 9] = [
    "registered",
    "email_confirmed",
    "assigned",
    "extended",
    "answered",
    "forwarded",
    "left_without_answer",
    "deferred",
    "refused",
];

/// How an applicant may be identified (words: `identified.*`); `none` when by post only.
pub const IDENTIFIED: [&str; 3] = ["email_link", "email_unverified", "none"];
