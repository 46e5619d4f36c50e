//! Questions sent before a conference: moderated, then answered after it begins.

use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

use super::votes::{Decided, consent, decide, email_of};
use super::{About, Conference, MAX_LINE, MAX_TEXT, Moderation};
use crate::mail::{Answered, Letter, Moderated};

/// A question sent before the conference.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AskForm {
    pub full_name: String,
    pub ask_email: String,
    pub question: String,
    pub ask_consent: String,
    pub website: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Question {
    pub id: i64,
    /// The author's name and address: staff only, never published.
    #[serde(skip)]
    pub full_name: String,
    #[serde(skip)]
    pub email: String,
    pub question: String,
    /// new, accepted, rejected
    pub status: String,
    pub reason: String,
    pub answer: String,
    pub created_at: i64,
    pub answered_at: Option<i64>,
}

pub async fn questions(db: &Db, conference_id: i64) -> Result<Vec<Question>> {
    db.rows_by(
        "SELECT id, full_name, email, question, status, reason, answer, created_at, answered_at \
         FROM council_conference_questions WHERE conference_id = $1 ORDER BY id"
            .to_string(),
        conference_id,
        |r| {
            Ok(Question {
                id: r.try_get("id")?,
                full_name: r.try_get("full_name")?,
                email: r.try_get("email")?,
                question: r.try_get("question")?,
                status: r.try_get("status")?,
                reason: r.try_get("reason")?,
                answer: r.try_get("answer")?,
                created_at: r.try_get("created_at")?,
                answered_at: r.try_get("answered_at")?,
            })
        },
    )
    .await
}

/// A checked question: the name, the address, the text.
pub struct Asked {
    pub full_name: String,
    pub email: kernel::ids::Email,
    pub question: String,
}

pub fn check_question(now: i64, c: &Conference, f: &AskForm) -> Result<Asked> {
    let mut errors = Vec::new();
    let name = f.full_name.trim();
    if name.is_empty() {
        errors.push(("full_name", "укажите, как к вам обращаться: имя не публикуется".into()));
    } else if name.chars().count() > MAX_LINE {
        errors.push(("full_name", format!("не длиннее {MAX_LINE} символов")));
    }
    let email = email_of(("ask_email", &f.ask_email), &mut errors, "на него придёт ответ");
    let question = f.question.trim();
    if question.is_empty() {
        errors.push(("question", "впишите вопрос".into()));
    } else if question.chars().count() > 4_000 {
        errors.push(("question", "вопрос — не длиннее 4000 символов".into()));
    }
    consent(("ask_consent", &f.ask_consent), &mut errors);
    if !c.asking(now) {
        errors.push(("question", "вопросы принимаются до начала конференции: она уже началась".into()));
    }
    match email {
        Some(email) if errors.is_empty() => {
            Ok(Asked { full_name: name.to_string(), email, question: question.to_string() })
        }
        _ => Err(Error::Form(errors)),
    }
}

pub async fn ask(db: &Db, now: i64, c: &Conference, q: &Asked) -> Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO council_conference_questions (conference_id, full_name, email, question, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(c.id)
    .bind(&q.full_name)
    .bind(q.email.as_str())
    .bind(&q.question)
    .bind(now)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?)
}

/// Accepts a question for the conference or rejects it with a reason the author is sent.
pub async fn moderate_question(
    db: &Db,
    actor: &Actor,
    now: i64,
    a: &About<'_>,
    q: &Question,
    m: &Moderation,
) -> Result<()> {
    let reason = m.reason.trim();
    let letter = match m.decision.as_str() {
        "reject" => {
            let letter = Moderated {
                topic: false,
                text: &q.question,
                title: &a.conference.title,
                accepted: false,
                reason,
                page: &a.page,
            };
            Some((format!("conference-question:{}", q.id), letter.to(&q.email)?))
        }
        _ => None,
    };
    let d = Decided {
        table: "council_conference_questions",
        object: "council_conference_question",
        id: q.id,
        waiting: "new",
        was: &q.status,
        to: ("accepted", "rejected"),
        letter,
    };
    decide(db, actor, now, a.conference.body_id, d, m).await
}

/// Publishes the answer to an accepted question once the conference began; the author is sent
/// the link the first time.
pub async fn answer(db: &Db, actor: &Actor, now: i64, a: &About<'_>, q: &Question, text: &str) -> Result<()> {
    let text = text.trim();
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if !a.conference.held(now) {
        errors.push(("answer", "ответы публикуются после начала конференции".into()));
    }
    if q.status != "accepted" {
        errors.push(("answer", "ответ публикуется на принятый вопрос".into()));
    }
    if text.is_empty() {
        errors.push(("answer", "впишите ответ".into()));
    } else if text.chars().count() > MAX_TEXT {
        errors.push(("answer", format!("ответ — не длиннее {MAX_TEXT} символов")));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE council_conference_questions SET answer = $1, answered_at = COALESCE(answered_at, $2) WHERE id = $3",
    )
    .bind(text)
    .bind(now)
    .bind(q.id)
    .execute(&mut *tx)
    .await?;
    if q.answered_at.is_none() {
        let letter = Answered { title: &a.conference.title, question: &q.question, page: &a.page };
        let key = format!("conference-answer:{}", q.id);
        kernel::outbox::enqueue_email(&mut tx, now, &key, &letter.to(&q.email)?).await?;
    }
    let change = Change::update(
        "council_conference_question",
        q.id,
        Some(a.conference.body_id),
        serde_json::json!({ "answer": q.answer }),
        serde_json::json!({ "answer": text }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}
