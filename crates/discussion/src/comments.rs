//! Comments on something under discussion. Anyone may comment on the whole draft or on one of
//! its parts; a comment waits for moderation, which publishes or rejects it (with a reason, under
//! the published rules) and gives the body's answer — a reply, or a position on the proposal
//! (accepted, partly accepted, rejected) with its reason. Nothing submitted is dropped: a
//! rejected or unconfirmed comment stays, with its state, in the staff list. The e-mail address
//! is used only to confirm the comment and to send the body's answer; it is never shown or
//! exported (152-FZ).

use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::{Db, outbox};
use serde::Serialize;
use sqlx::Row;

pub const MAX_TEXT: usize = 5000;
const MAX_REASON: usize = 1000;

/// How a mechanism asks commenters to identify themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identify {
    /// A signature and an address are optional; the comment goes straight to moderation.
    Optional,
    /// An address is required, and the comment goes to moderation once the link e-mailed to it
    /// is followed (the identification of appeals, through ESIA, will be another variant).
    ConfirmedEmail,
}

/// A mechanism's table of comments. Its columns are the engine's: `id`, the subject column,
/// the unit column (BIGINT, may be NULL), `version`, `author_name`, `email`, `text`, `status`,
/// `reject_reason`, `reply`, `replied_at`, `moderated_at`, `position`, `confirm_token`,
/// `created_at`.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    /// The column naming what is discussed (the plan, the draft).
    pub subject: &'static str,
    /// The column naming the part a comment is on (a measure, a structural unit's anchor).
    pub unit: &'static str,
    /// A comment's name in the audit log.
    pub audit: &'static str,
    pub identify: Identify,
}

/// What is discussed, as the engine needs it.
pub struct Subject<'a> {
    pub id: i64,
    pub body_id: i64,
    /// Its title, as letters name it.
    pub title: &'a str,
    /// The full address of its public discussion page.
    pub page: String,
    /// The version of the draft a new comment is made on (0: not versioned).
    pub version: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Comment {
    pub id: i64,
    pub subject_id: i64,
    pub unit: Option<i64>,
    /// The version of the draft it was made on (0: not versioned).
    pub version: i64,
    /// How the person asked to be signed; empty for an unsigned comment.
    pub author_name: String,
    #[serde(skip)]
    pub email: String,
    pub text: String,
    /// unconfirmed, pending, published or rejected.
    pub status: String,
    #[serde(skip)]
    pub reject_reason: String,
    /// The body's answer: a reply, or the reason of its position.
    pub reply: String,
    pub replied_at: Option<i64>,
    /// The body's position on the proposal: empty, accepted, partly or rejected.
    pub position: String,
    pub created_at: i64,
}

/// A comment as the public form sends it, unchecked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CommentForm {
    /// The part it is on (empty: the whole draft).
    pub unit: String,
    pub author_name: String,
    pub email: String,
    pub text: String,
    pub consent: String,
    /// A field people do not see; only robots fill it in.
    pub website: String,
}

#[derive(Debug)]
pub struct NewComment {
    pub unit: Option<i64>,
    pub author_name: String,
    pub email: Option<kernel::ids::Email>,
    pub text: String,
}

/// Checks a comment on a subject whose parts are `units`; all problems at once.
pub fn validate(table: &Table, units: &[i64], f: &CommentForm) -> Result<NewComment> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let text = f.text.trim().to_string();
    if text.is_empty() {
        errors.push(("text", "напишите комментарий".into()));
    } else if text.chars().count() > MAX_TEXT {
        errors.push(("text", format!("комментарий — не длиннее {MAX_TEXT} символов")));
    }
    let sender = kernel::ids::Sender::check(&f.author_name, &f.email, &f.consent, "комментарий", &mut errors);
    if table.identify == Identify::ConfirmedEmail && f.email.trim().is_empty() {
        errors.push(("email", "укажите адрес электронной почты: на него придёт ссылка для подтверждения".into()));
    }
    let unit = match f.unit.trim() {
        "" => None,
        u => match u.parse::<i64>().ok().filter(|id| units.contains(id)) {
            Some(id) => Some(id),
            None => {
                errors.push(("unit", "выберите из списка, к чему комментарий".into()));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok(NewComment { unit, author_name: sender.author_name, email: sender.email, text })
    } else {
        Err(Error::Form(errors))
    }
}

fn columns(t: &Table) -> String {
    format!(
        "id, {} AS subject_id, {} AS unit, version, author_name, email, text, status, reject_reason, reply, \
         replied_at, position, created_at",
        t.subject, t.unit
    )
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<Comment> {
    Ok(Comment {
        id: r.try_get("id")?,
        subject_id: r.try_get("subject_id")?,
        unit: r.try_get("unit")?,
        version: r.try_get("version")?,
        author_name: r.try_get("author_name")?,
        email: r.try_get("email")?,
        text: r.try_get("text")?,
        status: r.try_get("status")?,
        reject_reason: r.try_get("reject_reason")?,
        reply: r.try_get("reply")?,
        replied_at: r.try_get("replied_at")?,
        position: r.try_get("position")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A stored comment: its number, and whether it waits for its author to confirm it.
#[derive(Debug, PartialEq, Eq)]
pub struct Added {
    pub id: i64,
    pub unconfirmed: bool,
}

/// Stores a comment and, in the same transaction, queues its letter: the link that confirms it
/// (`ConfirmedEmail`), or the acknowledgement when an address was given.
pub async fn add(db: &Db, now: i64, table: &Table, subject: &Subject<'_>, new: &NewComment) -> Result<Added> {
    let confirm = table.identify == Identify::ConfirmedEmail;
    let token = if confirm { kernel::staff::random_token() } else { String::new() };
    let stored_token = if confirm { kernel::staff::sha256_hex(&token) } else { String::new() };
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO {} ({}, {}, version, author_name, email, text, status, confirm_token, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        table.name, table.subject, table.unit
    )))
    .bind(subject.id)
    .bind(new.unit)
    .bind(subject.version)
    .bind(&new.author_name)
    .bind(new.email.as_ref().map(|e| e.as_str()).unwrap_or_default())
    .bind(&new.text)
    .bind(if confirm { "unconfirmed" } else { "pending" })
    .bind(&stored_token)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    if let Some(email) = &new.email {
        let (key, mail) = if confirm {
            let link = format!("{}/confirm/{id}/{token}", subject.page);
            let letter = crate::mail::ConfirmComment { subject: subject.title, id, link: &link, text: &new.text };
            (format!("comment-confirm:{}:{id}", table.name), crate::mail::Letter::to(&letter, email.as_str())?)
        } else {
            let letter =
                crate::mail::CommentReceived { subject: subject.title, id, page: &subject.page, text: &new.text };
            (format!("comment-received:{}:{id}", table.name), crate::mail::Letter::to(&letter, email.as_str())?)
        };
        outbox::enqueue_email(&mut tx, now, &key, &mail).await?;
    }
    tx.commit().await?;
    Ok(Added { id, unconfirmed: confirm })
}

/// Follows the link of a confirmation letter: the comment goes to moderation. True when the
/// link is the comment's (followed again, it still is); false for any other link.
pub async fn confirm(db: &Db, table: &Table, subject_id: i64, id: i64, token: &str) -> Result<bool> {
    if token.is_empty() || token.len() > 200 {
        return Ok(false);
    }
    let hash = kernel::staff::sha256_hex(token);
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {} SET status = CASE WHEN status = 'unconfirmed' THEN 'pending' ELSE status END \
         WHERE id = $1 AND {} = $2 AND confirm_token = $3",
        table.name, table.subject
    )))
    .bind(id)
    .bind(subject_id)
    .bind(&hash)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every comment on a subject, oldest first.
pub async fn for_subject(db: &Db, table: &Table, subject_id: i64) -> Result<Vec<Comment>> {
    db.rows_by(
        format!("SELECT {} FROM {} WHERE {} = $1 ORDER BY id", columns(table), table.name, table.subject),
        subject_id,
        from_row,
    )
    .await
}

/// The body's position on a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Accepted,
    Partly,
    Rejected,
}

impl Position {
    pub const ALL: [Position; 3] = [Position::Accepted, Position::Partly, Position::Rejected];

    pub fn key(self) -> &'static str {
        match self {
            Position::Accepted => "accepted",
            Position::Partly => "partly",
            Position::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Position> {
        Position::ALL.into_iter().find(|p| p.key() == s)
    }

    /// As the summary of proposals writes it.
    pub fn ru(self) -> &'static str {
        match self {
            Position::Accepted => "учтено",
            Position::Partly => "учтено частично",
            Position::Rejected => "отклонено",
        }
    }
}

/// What a moderator does with a comment.
pub enum Moderation<'a> {
    Publish,
    /// Not published: it breaks the rules of moderation (the reason says which).
    Reject {
        reason: &'a str,
    },
    Reply {
        text: &'a str,
    },
    /// The body's position on the proposal; a reason is required unless it is accepted.
    Position {
        position: Position,
        reason: &'a str,
    },
}

/// Publishes, rejects or answers a comment; audited. An answer publishes the comment with it and
/// is e-mailed to the person when they left an address.
pub async fn moderate(
    db: &Db,
    actor: &Actor,
    now: i64,
    table: &Table,
    subject: &Subject<'_>,
    before: &Comment,
    action: Moderation<'_>,
) -> Result<()> {
    if before.status == "unconfirmed" && !matches!(action, Moderation::Reject { .. }) {
        return Err(Error::invalid(
            "reason",
            "автор ещё не подтвердил комментарий по ссылке из письма: его можно только отклонить",
        ));
    }
    let (status, reason, reply, position) = match action {
        Moderation::Publish => ("published", String::new(), before.reply.clone(), before.position.clone()),
        Moderation::Reject { reason } => {
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > MAX_REASON {
                return Err(Error::invalid("reason", "укажите причину отклонения (до 1000 символов)"));
            }
            ("rejected", reason.to_string(), before.reply.clone(), before.position.clone())
        }
        Moderation::Reply { text } => {
            let text = text.trim();
            if text.is_empty() || text.chars().count() > MAX_TEXT {
                return Err(Error::invalid("reply", format!("напишите ответ (до {MAX_TEXT} символов)")));
            }
            ("published", String::new(), text.to_string(), before.position.clone())
        }
        Moderation::Position { position, reason } => {
            let reason = reason.trim();
            if reason.chars().count() > MAX_TEXT {
                return Err(Error::invalid("reply", format!("обоснование — не длиннее {MAX_TEXT} символов")));
            }
            if reason.is_empty() && position != Position::Accepted {
                return Err(Error::invalid("reply", "укажите, почему предложение учтено частично или отклонено"));
            }
            ("published", String::new(), reason.to_string(), position.key().to_string())
        }
    };
    let replied = reply != before.reply && !reply.is_empty();
    let mut tx = db.begin().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {} SET status = $1, reject_reason = $2, reply = $3, position = $4, \
         replied_at = CASE WHEN $5 = 1 THEN $6 ELSE replied_at END, moderated_at = $6 WHERE id = $7",
        table.name
    )))
    .bind(status)
    .bind(&reason)
    .bind(&reply)
    .bind(&position)
    .bind(i64::from(replied))
    .bind(now)
    .bind(before.id)
    .execute(&mut *tx)
    .await?;
    let change = Change::update(
        table.audit,
        before.id,
        Some(subject.body_id),
        serde_json::json!({
            "status": before.status, "reject_reason": before.reject_reason, "reply": before.reply,
            "position": before.position,
        }),
        serde_json::json!({ "status": status, "reject_reason": reason, "reply": reply, "position": position }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    if replied && !before.email.is_empty() {
        let said = match Position::parse(&position) {
            Some(p) => format!("Предложение {}. {reply}", p.ru()),
            None => reply.clone(),
        };
        let letter =
            crate::mail::CommentReply { subject: subject.title, id: before.id, reply: &said, page: &subject.page };
        let mail = crate::mail::Letter::to(&letter, &before.email)?;
        // One letter per answer: correcting an answer sends the corrected one.
        let key = format!("comment-reply:{}:{}:{}", table.name, before.id, &kernel::staff::sha256_hex(&said)[..16]);
        outbox::enqueue_email(&mut tx, now, &key, &mail).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether a discussion takes comments on `today`: open, and not past its last day (if it has one).
pub fn accepting(open: bool, until: Option<deadlines::Date>, today: deadlines::Date) -> bool {
    open && until.is_none_or(|until| today <= until)
}

/// The moderation form of a comment, as a moderator sends it.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ModerateForm {
    pub action: String,
    pub reason: String,
    pub reply: String,
    pub position: String,
}

impl ModerateForm {
    /// What the moderator asked for, or why it cannot be done.
    pub fn action(&self) -> Result<Moderation<'_>> {
        match self.action.as_str() {
            "publish" => Ok(Moderation::Publish),
            "reject" => Ok(Moderation::Reject { reason: &self.reason }),
            "reply" => Ok(Moderation::Reply { text: &self.reply }),
            "position" => match Position::parse(&self.position) {
                Some(position) => Ok(Moderation::Position { position, reason: &self.reply }),
                None => Err(Error::invalid("position", "выберите позицию: учтено, учтено частично или отклонено")),
            },
            _ => Err(Error::invalid("action", "выберите действие: опубликовать, отклонить, ответить или дать позицию")),
        }
    }
}
