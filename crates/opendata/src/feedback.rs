//! Reports of errors in published open data (seed 000 §24; 8-FZ art. 22 p. 4: a body fixes
//! inaccurate information on a user's reasoned application). Anyone may report an error in a
//! dataset, optionally naming the row and the column; the body's publishers answer before the
//! deadline (`opendata_report_days`): the report is accepted (relevant: the data will be fixed in
//! the source) or rejected with the reason, and an accepted report is closed by naming the data
//! version that carries the fix. Every step is audited and e-mailed to the reporter when they
//! left an address, which is never shown or exported. Reports and answers are public.

use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::ids::Sender;
use kernel::{Db, outbox};
use serde::Serialize;
use sqlx::Row;

use crate::store::{DataVersion, Dataset};

/// The states of a report, in the order of its life (words: `feedback_status.*`).
pub const STATUSES: [&str; 4] = ["registered", "accepted", "rejected", "fixed"];

/// A state in Russian, for letters.
pub fn status_ru(s: &str) -> &'static str {
    crate::russian("feedback_status", s)
}

/// The decisions a publisher may take on a report in `status`.
pub fn next_steps(status: &str) -> &'static [&'static str] {
    match status {
        "registered" => &["accepted", "rejected"],
        "accepted" => &["fixed", "rejected"],
        _ => &[],
    }
}

const MAX_TEXT: usize = 5000;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    pub id: i64,
    pub dataset_id: i64,
    pub body_id: i64,
    pub version_stamp: String,
    pub row_no: Option<i64>,
    pub field: String,
    pub text: String,
    pub author_name: String,
    #[serde(skip)]
    pub email: String,
    pub status: String,
    pub response: String,
    /// The last day for the answer, YYYY-MM-DD.
    pub due_on: String,
    pub fixed_stamp: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A report as the public form sends it, unchecked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReportForm {
    pub row: String,
    pub field: String,
    pub text: String,
    pub author_name: String,
    pub email: String,
    pub consent: String,
    /// A field people do not see; only robots fill it in.
    pub website: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewReport {
    pub row_no: Option<i64>,
    pub field: String,
    pub text: String,
    pub sender: Sender,
}

/// Checks a report against the dataset's current version; all problems at once.
pub fn validate(f: &ReportForm, fields: &[String], current: Option<&DataVersion>) -> Result<NewReport> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let text = f.text.trim().to_string();
    if text.is_empty() {
        errors.push(("text", "опишите ошибку: что неверно и как должно быть".into()));
    } else if text.chars().count() > MAX_TEXT {
        errors.push(("text", format!("сообщение — не длиннее {MAX_TEXT} символов")));
    }
    let row_no = match f.row.trim() {
        "" => None,
        r => {
            let rows = current.map(|v| v.rows).unwrap_or(0);
            match r.parse::<i64>() {
                Ok(n) if (1..=rows).contains(&n) => Some(n),
                _ => {
                    errors.push(("row", format!("номер строки — целое число от 1 до {rows} (строк в наборе)")));
                    None
                }
            }
        }
    };
    let field = f.field.trim().to_string();
    if !field.is_empty() && !fields.contains(&field) {
        errors.push(("field", "выберите поле из списка".into()));
    }
    let sender = Sender::check(&f.author_name, &f.email, &f.consent, "сообщение", &mut errors);
    if errors.is_empty() { Ok(NewReport { row_no, field, text, sender }) } else { Err(Error::Form(errors)) }
}

const COLUMNS: &str = "id, dataset_id, body_id, version_stamp, row_no, field, text, author_name, email, status, \
                       response, due_on, fixed_stamp, created_at, updated_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Report> {
    Ok(Report {
        id: r.try_get("id")?,
        dataset_id: r.try_get("dataset_id")?,
        body_id: r.try_get("body_id")?,
        version_stamp: r.try_get("version_stamp")?,
        row_no: r.try_get("row_no")?,
        field: r.try_get("field")?,
        text: r.try_get("text")?,
        author_name: r.try_get("author_name")?,
        email: r.try_get("email")?,
        status: r.try_get("status")?,
        response: r.try_get("response")?,
        due_on: r.try_get("due_on")?,
        fixed_stamp: r.try_get("fixed_stamp")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Registers a report with its answer deadline; the acknowledgement e-mail is queued with it.
pub async fn add(
    db: &Db,
    now: i64,
    due_on: deadlines::Date,
    page: &str,
    dataset: &Dataset,
    version_stamp: &str,
    new: &NewReport,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO dataset_reports (dataset_id, body_id, version_stamp, row_no, field, text, author_name, email, \
         due_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(dataset.id)
    .bind(dataset.body_id)
    .bind(version_stamp)
    .bind(new.row_no)
    .bind(&new.field)
    .bind(&new.text)
    .bind(&new.sender.author_name)
    .bind(new.sender.email.as_ref().map(|e| e.as_str()).unwrap_or_default())
    .bind(due_on.to_string())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    if let Some(email) = &new.sender.email {
        let letter = crate::mail::ReportReceived {
            dataset: &dataset.title,
            id,
            due: due_on.strftime("%d.%m.%Y").to_string(),
            page,
        };
        let mail = crate::mail::Letter::to(&letter, email.as_str())?;
        outbox::enqueue_email(&mut tx, now, &format!("dataset-report:{id}"), &mail).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Reports on one dataset, newest first.
pub async fn for_dataset(db: &Db, dataset_id: i64) -> Result<Vec<Report>> {
    db.rows_by(
        format!("SELECT {COLUMNS} FROM dataset_reports WHERE dataset_id = $1 ORDER BY id DESC"),
        dataset_id,
        from_row,
    )
    .await
}

/// Reports on a body's datasets: open ones first, the nearest deadline first among them.
pub async fn for_body(db: &Db, body_id: i64) -> Result<Vec<Report>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM dataset_reports WHERE body_id = $1")))
        .bind(body_id)
        .fetch_all(&db.pool)
        .await?;
    let mut list = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    list.sort_by(|a, b| {
        let open = |r: &Report| next_steps(&r.status).is_empty();
        (open(a), &a.due_on, a.id).cmp(&(open(b), &b.due_on, b.id))
    });
    Ok(list)
}

/// A publisher's decision on a report.
pub struct Decision<'a> {
    pub status: &'a str,
    pub response: &'a str,
    /// For "fixed": the data version that carries the fix.
    pub fixed_stamp: &'a str,
}

/// Moves a report on; audited; the reporter is told by e-mail.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    now: i64,
    page: &str,
    before: &Report,
    versions: &[DataVersion],
    d: &Decision<'_>,
) -> Result<()> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if !next_steps(&before.status).contains(&d.status) {
        errors
            .push(("status", format!("сообщение «{}»: выберите одно из возможных решений", status_ru(&before.status))));
    }
    let response = d.response.trim();
    if response.is_empty() || response.chars().count() > MAX_TEXT {
        errors.push(("response", format!("напишите ответ заявителю (до {MAX_TEXT} символов)")));
    }
    let fixed_stamp = if d.status == "fixed" {
        // The fix is a version published after the version the reporter saw.
        match versions.iter().find(|v| v.stamp == d.fixed_stamp && v.stamp.as_str() > before.version_stamp.as_str()) {
            Some(v) => v.stamp.clone(),
            None => {
                errors.push(("fixed_stamp", "укажите версию данных, в которой ошибка исправлена".into()));
                String::new()
            }
        }
    } else {
        String::new()
    };
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    let updated = sqlx::query(
        "UPDATE dataset_reports SET status = $1, response = $2, fixed_stamp = $3, updated_at = $4 \
         WHERE id = $5 AND status = $6",
    )
    .bind(d.status)
    .bind(response)
    .bind(&fixed_stamp)
    .bind(now)
    .bind(before.id)
    .bind(&before.status)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(Error::Conflict {
            field: "status",
            message: "сообщение тем временем рассмотрено другим сотрудником: обновите страницу".into(),
        });
    }
    let change = Change::update(
        "dataset_report",
        before.id,
        Some(before.body_id),
        serde_json::json!({ "status": before.status, "response": before.response }),
        serde_json::json!({ "status": d.status, "response": response, "fixed_stamp": fixed_stamp }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    if !before.email.is_empty() {
        let letter = crate::mail::ReportDecided {
            id: before.id,
            decision: status_ru(d.status),
            response,
            fixed: &fixed_stamp,
            page,
        };
        let mail = crate::mail::Letter::to(&letter, &before.email)?;
        outbox::enqueue_email(&mut tx, now, &format!("dataset-report:{}:{}", before.id, d.status), &mail).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// How many reports the portal has received.
pub async fn count_all(db: &Db) -> Result<usize> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM dataset_reports").fetch_one(&db.pool).await?.try_get(0)?;
    Ok(usize::try_from(n).unwrap_or(0))
}
