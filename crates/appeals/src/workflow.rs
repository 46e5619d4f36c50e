//! What staff do with a registered submission, each step in one transaction with its audit
//! entry, its public event and, when the applicant gave an address, its notice e-mail: extend
//! the term once (59-FZ art. 12 p. 2: up to 30 days; 8-FZ art. 18 p. 5: up to 15), before the term
//! ends and with the reason; answer, with the result in the Decree 171 typology.

use deadlines::Date;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::mail::OutgoingEmail;
use kernel::{Db, outbox};

use crate::intake::{self, MAX_TEXT, Submission};

/// Results of consideration an answer may carry (Decree 171, as ССТУ.РФ lists them).
pub const RESULTS: [(&str, &str); 5] = [
    ("explained", "Рассмотрено. Разъяснено"),
    ("supported", "Рассмотрено. Поддержано"),
    ("supported_measures", "Рассмотрено. Поддержано. Меры приняты"),
    ("not_supported", "Рассмотрено. Не поддержано"),
    ("answered", "Дан ответ автору"),
];

pub fn result_ru(code: &str) -> &'static str {
    RESULTS.iter().find(|(k, _)| *k == code).map(|(_, ru)| *ru).unwrap_or("")
}

/// Statuses after which nothing more is done.
pub fn is_final(status: &str) -> bool {
    matches!(status, "answered")
}

async fn notify(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    now: i64,
    s: &Submission,
    key: &str,
    subject: String,
    text: String,
) -> Result<()> {
    if s.answer_by == "email" && !s.email.is_empty() {
        let mail = OutgoingEmail { to: s.email.clone(), subject, text };
        outbox::enqueue_email(tx, now, key, &mail).await?;
    }
    Ok(())
}

/// Extends the term once, before it ends, with the reason; `new_due` comes from the kind's
/// extension rule.
pub async fn extend(
    db: &Db,
    actor: &Actor,
    (now, today): (i64, Date),
    s: &Submission,
    reason: &str,
    new_due: Date,
    track_url: &str,
) -> Result<()> {
    let reason = reason.trim();
    if is_final(&s.status) {
        return Err(Error::invalid("reason", "по обращению уже дан ответ"));
    }
    if intake::events(db, s.id).await?.iter().any(|e| e.status == "extended") {
        return Err(Error::invalid("reason", "срок уже продлевался: закон позволяет продлить его один раз"));
    }
    if s.due_on.as_str() < today.to_string().as_str() {
        return Err(Error::invalid("reason", "срок уже истёк: продлить его можно только до его окончания"));
    }
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(Error::invalid("reason", "укажите причину продления (до 2000 символов)"));
    }
    let note = format!("срок продлён до {}: {reason}", new_due.strftime("%d.%m.%Y"));
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE submissions SET due_on = $1 WHERE id = $2")
        .bind(new_due.to_string())
        .bind(s.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO submission_events (submission_id, at, status, note) VALUES ($1, $2, 'extended', $3)")
        .bind(s.id)
        .bind(now)
        .bind(&note)
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: "update",
        object_type: "submission",
        object_id: s.id.to_string(),
        body_id: Some(s.body_id),
        before: Some(serde_json::json!({ "due_on": s.due_on })),
        after: Some(serde_json::json!({ "due_on": new_due.to_string(), "reason": reason })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    notify(
        &mut tx,
        now,
        s,
        &format!("submission:{}:extended", s.id),
        format!("Срок рассмотрения обращения № {} продлён", s.number),
        format!("Здравствуйте, {}!\n\nСрок рассмотрения вашего обращения № {} продлён до {}.\nПричина: {reason}\n\n{track_url}\n", s.author_name, s.number, new_due.strftime("%d.%m.%Y")),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Answers a submission with its result; the answer goes to the applicant by e-mail when they
/// asked for it so (by post, staff send the letter).
pub async fn answer(
    db: &Db,
    actor: &Actor,
    (now, publish_by): (i64, Date),
    s: &Submission,
    result: &str,
    text: &str,
    track_url: &str,
) -> Result<()> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if is_final(&s.status) {
        errors.push(("answer", "по обращению уже дан ответ".into()));
    }
    if result_ru(result).is_empty() {
        errors.push(("result", "выберите результат рассмотрения".into()));
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        errors.push(("answer", format!("напишите ответ (до {MAX_TEXT} символов)")));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.pool.begin().await?;
    let updated = sqlx::query(
        "UPDATE submissions SET status = 'answered', result = $1, answer = $2, answered_at = $3 \
         WHERE id = $4 AND status <> 'answered'",
    )
    .bind(result)
    .bind(text)
    .bind(now)
    .bind(s.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(Error::Conflict {
            field: "answer",
            message: "ответ тем временем уже дан: обновите страницу".into(),
        });
    }
    // Questions not given a result of their own take the answer's.
    sqlx::query("UPDATE submission_questions SET result = $1 WHERE submission_id = $2 AND result = ''")
        .bind(result)
        .bind(s.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO submission_events (submission_id, at, status, note) VALUES ($1, $2, 'answered', $3)")
        .bind(s.id)
        .bind(now)
        .bind(result_ru(result))
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: "update",
        object_type: "submission",
        object_id: s.id.to_string(),
        body_id: Some(s.body_id),
        before: Some(serde_json::json!({ "status": s.status })),
        after: Some(serde_json::json!({ "status": "answered", "result": result })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    // The draft of its publication, with personal data redacted, for staff to review.
    let (question, redacted) = crate::publication::draft(s, text);
    sqlx::query(
        "INSERT INTO submission_publications (submission_id, body_id, question, answer, result, due_on) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(s.id)
    .bind(s.body_id)
    .bind(&question)
    .bind(&redacted)
    .bind(result)
    .bind(publish_by.to_string())
    .execute(&mut *tx)
    .await?;
    notify(
        &mut tx,
        now,
        s,
        &format!("submission:{}:answer", s.id),
        format!("Ответ на обращение № {}", s.number),
        format!("Здравствуйте, {}!\n\n{}\n\n{}\n\n{track_url}\n", s.author_name, result_ru(result), text),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
