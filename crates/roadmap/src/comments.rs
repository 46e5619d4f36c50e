//! Public comments on a draft plan under discussion (seed 000 §4 recommends discussing the
//! plan before approval). Anyone may comment on the whole plan or on one measure; a comment
//! waits for a planner, who publishes or rejects it and may reply. Nothing submitted is
//! dropped: a rejected comment stays, with its reason, in the staff list. The e-mail address is
//! used only to tell the person their comment arrived and what the body replied; it is never
//! shown or exported (152-FZ).

use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::{Db, outbox};
use serde::Serialize;
use sqlx::Row;

use crate::store::{Loaded, Roadmap};

pub const MAX_TEXT: usize = 5000;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Comment {
    pub id: i64,
    pub roadmap_id: i64,
    pub measure_id: Option<i64>,
    /// How the person asked to be signed; empty for an unsigned comment.
    pub author_name: String,
    #[serde(skip)]
    pub email: String,
    pub text: String,
    /// pending, published or rejected.
    pub status: String,
    #[serde(skip)]
    pub reject_reason: String,
    pub reply: String,
    pub replied_at: Option<i64>,
    pub created_at: i64,
}

/// A comment as the public form sends it, unchecked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CommentForm {
    pub measure: String,
    pub author_name: String,
    pub email: String,
    pub text: String,
    pub consent: String,
    /// A field people do not see; only robots fill it in.
    pub website: String,
}

pub struct NewComment {
    pub measure_id: Option<i64>,
    pub author_name: String,
    pub email: Option<kernel::ids::Email>,
    pub text: String,
}

/// Whether the plan takes comments on `today`: under discussion and not past its last day.
pub fn accepting(roadmap: &Roadmap, today: deadlines::Date) -> bool {
    roadmap.status == "discussion"
        && (roadmap.discussion_until.is_empty()
            || roadmap.discussion_until.parse::<deadlines::Date>().is_ok_and(|until| today <= until))
}

/// Checks a comment; all problems at once.
pub fn validate(loaded: &Loaded, f: &CommentForm) -> Result<NewComment> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let text = f.text.trim().to_string();
    if text.is_empty() {
        errors.push(("text", "напишите комментарий".into()));
    } else if text.chars().count() > MAX_TEXT {
        errors.push(("text", format!("комментарий — не длиннее {MAX_TEXT} символов")));
    }
    let sender = kernel::ids::Sender::check(&f.author_name, &f.email, &f.consent, "комментарий", &mut errors);
    let measure_id = match f.measure.trim() {
        "" => None,
        m => match m.parse::<i64>().ok().filter(|id| loaded.measures.iter().any(|x| x.id == *id)) {
            Some(id) => Some(id),
            None => {
                errors.push(("measure", "выберите мероприятие из списка".into()));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok(NewComment { measure_id, author_name: sender.author_name, email: sender.email, text })
    } else {
        Err(Error::Form(errors))
    }
}

const COLUMNS: &str = "id, roadmap_id, measure_id, author_name, email, text, status, reject_reason, reply, \
                       replied_at, created_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Comment> {
    Ok(Comment {
        id: r.try_get("id")?,
        roadmap_id: r.try_get("roadmap_id")?,
        measure_id: r.try_get("measure_id")?,
        author_name: r.try_get("author_name")?,
        email: r.try_get("email")?,
        text: r.try_get("text")?,
        status: r.try_get("status")?,
        reject_reason: r.try_get("reject_reason")?,
        reply: r.try_get("reply")?,
        replied_at: r.try_get("replied_at")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Where the discussion of a plan is on the public site.
pub fn page_url(public_url: &str, body_slug: &str, roadmap_id: i64) -> String {
    format!("{}/o/{body_slug}/openness/discussion/{roadmap_id}", public_url.trim_end_matches('/'))
}

/// Stores a comment as pending and, when an address was given, queues the acknowledgement in
/// the same transaction.
pub async fn add(db: &Db, now: i64, roadmap: &Roadmap, page: &str, new: &NewComment) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO roadmap_comments (roadmap_id, measure_id, author_name, email, text, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING id",
    )
    .bind(roadmap.id)
    .bind(new.measure_id)
    .bind(&new.author_name)
    .bind(new.email.as_ref().map(|e| e.as_str()).unwrap_or_default())
    .bind(&new.text)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    if let Some(email) = &new.email {
        let letter = crate::mail::CommentReceived { plan: &roadmap.title, id, page, text: &new.text };
        let mail = crate::mail::Letter::to(&letter, email.as_str())?;
        outbox::enqueue_email(&mut tx, now, &format!("comment-received:{id}"), &mail).await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn for_roadmap(db: &Db, roadmap_id: i64) -> Result<Vec<Comment>> {
    db.rows_by(
        format!("SELECT {COLUMNS} FROM roadmap_comments WHERE roadmap_id = $1 ORDER BY id"),
        roadmap_id,
        from_row,
    )
    .await
}

/// What a planner does with a comment.
pub enum Moderation<'a> {
    Publish,
    Reject { reason: &'a str },
    Reply { text: &'a str },
}

/// Publishes, rejects or answers a comment; audited. A reply publishes the comment with it and
/// is e-mailed to the person when they left an address.
pub async fn moderate(
    db: &Db,
    actor: &Actor,
    now: i64,
    roadmap: &Roadmap,
    page: &str,
    before: &Comment,
    action: Moderation<'_>,
) -> Result<()> {
    let (status, reason, reply) = match action {
        Moderation::Publish => ("published", String::new(), before.reply.clone()),
        Moderation::Reject { reason } => {
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > 1000 {
                return Err(Error::invalid("reason", "укажите причину отклонения (до 1000 символов)"));
            }
            ("rejected", reason.to_string(), before.reply.clone())
        }
        Moderation::Reply { text } => {
            let text = text.trim();
            if text.is_empty() || text.chars().count() > MAX_TEXT {
                return Err(Error::invalid("reply", format!("напишите ответ (до {MAX_TEXT} символов)")));
            }
            ("published", String::new(), text.to_string())
        }
    };
    let replied = reply != before.reply;
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE roadmap_comments SET status = $1, reject_reason = $2, reply = $3, \
         replied_at = CASE WHEN $4 = 1 THEN $5 ELSE replied_at END, moderated_at = $5 WHERE id = $6",
    )
    .bind(status)
    .bind(&reason)
    .bind(&reply)
    .bind(i64::from(replied))
    .bind(now)
    .bind(before.id)
    .execute(&mut *tx)
    .await?;
    let change = Change::update(
        "roadmap_comment",
        before.id,
        Some(roadmap.body_id),
        serde_json::json!({
            "status": before.status, "reject_reason": before.reject_reason, "reply": before.reply,
        }),
        serde_json::json!({ "status": status, "reject_reason": reason, "reply": reply }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    if replied && !before.email.is_empty() {
        let letter = crate::mail::CommentReply { plan: &roadmap.title, id: before.id, reply: &reply, page };
        let mail = crate::mail::Letter::to(&letter, &before.email)?;
        // One letter per reply text: correcting a reply sends the corrected one.
        let key = format!("comment-reply:{}:{}", before.id, &kernel::staff::sha256_hex(&reply)[..16]);
        outbox::enqueue_email(&mut tx, now, &key, &mail).await?;
    }
    tx.commit().await?;
    Ok(())
}
