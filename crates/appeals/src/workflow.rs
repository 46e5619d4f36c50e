//! What staff do with a registered submission, each step in one transaction with its audit
//! entry, its public event and, when the applicant gave an address, its notice e-mail: extend
//! the term once (59-FZ art. 12 p. 2: up to 30 days; 8-FZ art. 18 p. 5: up to 15), before the term
//! ends and with the reason; answer, with the result in the Decree 171 typology.

use deadlines::Date;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::mail::OutgoingEmail;
use kernel::{Db, outbox};
use sqlx::Row;

use crate::intake::{self, MAX_TEXT};
use crate::mail::{self, Letter};
use crate::submissions::{self, Submission};

/// Results of consideration (Decree 171, as ССТУ.РФ lists them): the first five an answer may
/// carry; the last two are given by forwarding and by leaving without an answer.
/// Their words: `result.*` in the strings.
pub const RESULTS: [&str; 7] =
    ["explained", "supported", "supported_measures", "not_supported", "answered", "transferred", "left_without_answer"];

/// The results an answer (or a question before it) may carry.
pub fn answer_results() -> &'static [&'static str] {
    &RESULTS[..5]
}

/// A result as Decree 171 names it, for letters, event notes and reports.
pub fn result_ru(code: &str) -> &'static str {
    crate::russian("result", code)
}

/// Whether an answer may carry this result.
pub fn answer_result(code: &str) -> bool {
    answer_results().contains(&code)
}

/// Statuses after which nothing more is done.
pub const FINAL: [&str; 4] = ["answered", "forwarded", "left_without_answer", "refused"];

pub fn is_final(status: &str) -> bool {
    FINAL.contains(&status)
}

/// The SQL condition of a submission still under consideration.
pub fn still_open() -> String {
    format!("status NOT IN ({})", FINAL.map(|s| format!("'{s}'")).join(", "))
}

/// Ends consideration: status, result, the text sent (the answer or the note) and when — only if
/// nobody ended it meanwhile (then a conflict on `field`).
async fn end(
    tx: &mut sqlx::AnyConnection,
    now: i64,
    s: &Submission,
    (status, result, text): (&str, &str, &str),
    field: &'static str,
) -> Result<()> {
    let sql = format!(
        "UPDATE submissions SET status = $1, result = $2, answer = $3, answered_at = $4 WHERE id = $5 AND {}",
        still_open()
    );
    let updated = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(status)
        .bind(result)
        .bind(text)
        .bind(now)
        .bind(s.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if updated == 0 {
        return Err(Error::Conflict {
            field, message: "обращение тем временем уже закрыто: обновите страницу".into()
        });
    }
    Ok(())
}

/// The grounds of 59-FZ art. 11 on which an appeal is left without an answer on the merits, each
/// with its article; what the applicant is told is `no_answer_ground.*` (specs/ru-rules.md §1.5). (An unsigned appeal, p. 1, needs no
/// step: it is never answered.)
pub const NO_ANSWER_GROUNDS: [(&str, &str); 7] = [
    ("court_decision", "ст. 11 ч. 2"),
    ("abuse", "ст. 11 ч. 3"),
    ("unreadable", "ст. 11 ч. 4"),
    ("no_substance", "ст. 11 ч. 4.1"),
    ("repeated", "ст. 11 ч. 5"),
    ("answered_online", "ст. 11 ч. 5.1"),
    ("secret", "ст. 11 ч. 6"),
];

async fn notify(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    now: i64,
    s: &Submission,
    key: &str,
    letter: &impl Letter,
) -> Result<()> {
    if s.answer_by == "email" && !s.email.is_empty() {
        outbox::enqueue_email(tx, now, key, &letter.to(&s.email)?).await?;
    }
    Ok(())
}

/// What a step of a submission's life leaves behind, the one way every step records it: the
/// public event (its status and note, what the applicant's history shows), the audit entry
/// (the submission's values before and after), and the body's list marked as changed.
struct Recorded<'a> {
    status: &'a str,
    note: &'a str,
    before: serde_json::Value,
    after: serde_json::Value,
}

async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    now: i64,
    s: &Submission,
    r: Recorded<'_>,
) -> Result<()> {
    sqlx::query("INSERT INTO submission_events (submission_id, at, status, note) VALUES ($1, $2, $3, $4)")
        .bind(s.id)
        .bind(now)
        .bind(r.status)
        .bind(r.note)
        .execute(&mut **tx)
        .await?;
    let change = Change::update("submission", s.id, Some(s.body_id), r.before, r.after);
    audit::record(tx, actor, now, change).await?;
    submissions::bump(tx, s.body_id).await
}

/// Moves a submission's term to `due` by a step (`extended`, `deferred`): the new term, the
/// public event with its note, and the audit entry with the reason.
async fn move_term(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    now: i64,
    s: &Submission,
    (step, due, note, reason): (&str, Date, &str, &str),
) -> Result<()> {
    sqlx::query("UPDATE submissions SET due_on = $1 WHERE id = $2")
        .bind(due.to_string())
        .bind(s.id)
        .execute(&mut **tx)
        .await?;
    let before = serde_json::json!({ "due_on": s.due_on });
    let after = serde_json::json!({ "due_on": due.to_string(), "reason": reason });
    record(tx, actor, now, s, Recorded { status: step, note, before, after }).await
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
    if submissions::events(db, s.id).await?.iter().any(|e| e.status == "extended") {
        return Err(Error::invalid("reason", "срок уже продлевался: закон позволяет продлить его один раз"));
    }
    if s.due_on.as_str() < today.to_string().as_str() {
        return Err(Error::invalid("reason", "срок уже истёк: продлить его можно только до его окончания"));
    }
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(Error::invalid("reason", "укажите причину продления (до 2000 символов)"));
    }
    let note = format!("срок продлён до {}: {reason}", new_due.strftime("%d.%m.%Y"));
    let mut tx = db.begin().await?;
    move_term(&mut tx, actor, now, s, ("extended", new_due, &note, reason)).await?;
    notify(
        &mut tx,
        now,
        s,
        &format!("submission:{}:extended", s.id),
        &mail::Extended {
            name: &s.author_name,
            number: &s.number,
            due: new_due.strftime("%d.%m.%Y").to_string(),
            reason,
            track: track_url,
        },
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
    if !answer_result(result) {
        errors.push(("result", "выберите результат рассмотрения".into()));
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        errors.push(("answer", format!("напишите ответ (до {MAX_TEXT} символов)")));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    end(&mut tx, now, s, ("answered", result, text), "answer").await?;
    // Questions not given a result of their own take the answer's.
    sqlx::query("UPDATE submission_questions SET result = $1 WHERE submission_id = $2 AND result = ''")
        .bind(result)
        .bind(s.id)
        .execute(&mut *tx)
        .await?;
    let before = serde_json::json!({ "status": s.status });
    let after = serde_json::json!({ "status": "answered", "result": result });
    record(&mut tx, actor, now, s, Recorded { status: "answered", note: result_ru(result), before, after }).await?;
    // The draft of its publication, with personal data redacted, for staff to review.
    let body = kernel::bodies::by_id(db, s.body_id).await?.ok_or(Error::NotFound("body"))?;
    let (question, redacted) = crate::publication::draft(s, &body, text);
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
        &mail::Answered { name: &s.author_name, number: &s.number, result: result_ru(result), text, track: track_url },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where a submission is forwarded: another body of this portal (it is registered there under
/// that body's number) or a body outside it, named, with the covering letter.
pub enum Destination<'a> {
    Portal { body_id: i64, body_name: &'a str, registered_on: Date, due_on: Date },
    Outside { name: &'a str },
}

/// Closes a submission by one of the steps that end it without an answer on the merits: its
/// status, result, public event, audit entry, the result of its questions and the notice.
async fn close(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    now: i64,
    s: &Submission,
    (status, result, note): (&str, &str, &str),
    (key, letter): (&str, &impl Letter),
) -> Result<()> {
    end(tx, now, s, (status, result, note), "reason").await?;
    sqlx::query("UPDATE submission_questions SET result = $1 WHERE submission_id = $2")
        .bind(result)
        .bind(s.id)
        .execute(&mut **tx)
        .await?;
    let before = serde_json::json!({ "status": s.status });
    let after = serde_json::json!({ "status": status, "result": result, "note": note });
    record(tx, actor, now, s, Recorded { status, note, before, after }).await?;
    notify(tx, now, s, key, letter).await
}

/// Forwards a submission to the competent body within 7 days of registration, with notice to the
/// applicant (59-FZ art. 8 p. 3; 8-FZ art. 18 p. 6). Returns the new number when the body is on
/// this portal; the applicant's notice then carries the new tracking link.
pub async fn forward(
    db: &Db,
    actor: &Actor,
    now: i64,
    s: &Submission,
    to: Destination<'_>,
    letter: &str,
    public_url: &str,
) -> Result<Option<String>> {
    let letter = letter.trim();
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if is_final(&s.status) {
        errors.push(("letter", "обращение уже закрыто".into()));
    }
    if letter.is_empty() || letter.chars().count() > MAX_TEXT {
        errors.push(("letter", "напишите сопроводительное письмо: почему и куда направлено обращение".into()));
    }
    match &to {
        Destination::Portal { body_id, .. } if *body_id == s.body_id => {
            errors.push(("to", "обращение уже в этом органе: выберите другой".into()));
        }
        Destination::Outside { name } if name.trim().is_empty() || name.chars().count() > 300 => {
            errors.push(("to_outside", "укажите орган, в который направлено обращение".into()));
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    let (note, number, track) = match to {
        Destination::Portal { body_id, body_name, registered_on, due_on } => {
            let year = i64::from(registered_on.year());
            let seq: i64 = sqlx::query(
                "INSERT INTO submission_counters (body_id, year, last) VALUES ($1, $2, 1) \
                 ON CONFLICT (body_id, year) DO UPDATE SET last = submission_counters.last + 1 RETURNING last",
            )
            .bind(body_id)
            .bind(year)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            let token = kernel::staff::random_token();
            let id: i64 = sqlx::query(
                "INSERT INTO submissions (body_id, kind, year, seq, topic, text, author_name, email, phone, \
                 postal_address, answer_by, identified_by, token_hash, registered_on, due_on, created_at, outlet, \
                 respondent) \
                 SELECT $1, kind, $2, $3, topic, text, author_name, email, phone, postal_address, answer_by, \
                 identified_by, $4, $5, $6, $7, outlet, respondent FROM submissions WHERE id = $8 RETURNING id",
            )
            .bind(body_id)
            .bind(year)
            .bind(seq)
            .bind(kernel::staff::sha256_hex(&token))
            .bind(registered_on.to_string())
            .bind(due_on.to_string())
            .bind(now)
            .bind(s.id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            sqlx::query(
                "INSERT INTO submission_files (submission_id, name, content_type, bytes, sha256, file_key) \
                 SELECT $1, name, content_type, bytes, sha256, file_key FROM submission_files WHERE submission_id = $2",
            )
            .bind(id)
            .bind(s.id)
            .execute(&mut *tx)
            .await?;
            submissions::bump(&mut tx, body_id).await?;
            let number = intake::number(seq, year);
            sqlx::query(
                "INSERT INTO submission_events (submission_id, at, status, note) VALUES ($1, $2, 'registered', $3)",
            )
            .bind(id)
            .bind(now)
            .bind(format!("поступило по компетенции (№ {} в прежнем органе)", s.number))
            .execute(&mut *tx)
            .await?;
            let track = format!("{}/appeals/track/{token}", public_url.trim_end_matches('/'));
            (format!("направлено по компетенции: {body_name}, № {number}"), Some(number), track)
        }
        Destination::Outside { name } => (format!("направлено по компетенции: {}", name.trim()), None, String::new()),
    };
    let forwarded = mail::Forwarded { name: &s.author_name, number: &s.number, note: &note, letter, track: &track };
    let key = format!("submission:{}:forwarded", s.id);
    close(&mut tx, actor, now, s, ("forwarded", "transferred", &note), (&key, &forwarded)).await?;
    tx.commit().await?;
    Ok(number)
}

/// Leaves an appeal without an answer on the merits on a ground of 59-FZ art. 11, telling the
/// applicant why.
pub async fn leave_without_answer(
    db: &Db,
    actor: &Actor,
    now: i64,
    s: &Submission,
    ground: &str,
    comment: &str,
) -> Result<()> {
    let comment = comment.trim();
    let Some((_, article)) = NO_ANSWER_GROUNDS.iter().find(|(k, _)| *k == ground) else {
        return Err(Error::invalid("ground", "выберите основание из статьи 11 Закона № 59-ФЗ"));
    };
    if is_final(&s.status) {
        return Err(Error::invalid("ground", "обращение уже закрыто"));
    }
    if comment.chars().count() > 2000 {
        return Err(Error::invalid("comment", "пояснение — не длиннее 2000 символов"));
    }
    let told = crate::russian("no_answer_ground", ground);
    let note = format!("оставлено без ответа по существу (59-ФЗ, {article})");
    let letter = mail::NoAnswer { name: &s.author_name, number: &s.number, note: &note, told, comment };
    let key = format!("submission:{}:no_answer", s.id);
    let mut tx = db.begin().await?;
    close(&mut tx, actor, now, s, ("left_without_answer", "left_without_answer", &note), (&key, &letter)).await?;
    tx.commit().await?;
    Ok(())
}

/// What a media request may be refused for (Law 2124-1 art. 40): only information holding a secret
/// the law protects.
/// Their words: `media_ground.*` (the Russian ones fit «информация содержит …»).
pub const MEDIA_REFUSAL_GROUNDS: [&str; 3] = ["state_secret", "commercial_secret", "other_secret"];

fn media_only(s: &Submission, field: &'static str) -> Result<()> {
    if s.kind != crate::rules::Kind::MediaRequest.code() {
        return Err(Error::invalid(field, "отсрочка и отказ по статье 40 Закона о СМИ — только для запросов редакций"));
    }
    if is_final(&s.status) {
        return Err(Error::invalid(field, "запрос уже закрыт"));
    }
    Ok(())
}

/// Defers the answer to a media request that cannot be given within 7 days (Law 2124-1 art. 40):
/// the notice names the reasons, the date by which the information will be given, the official
/// and the date of the decision; the term becomes that date. `today` is the day of the decision.
pub async fn defer(
    db: &Db,
    actor: &Actor,
    (now, today): (i64, Date),
    s: &Submission,
    (reason, until): (&str, Option<Date>),
    track_url: &str,
) -> Result<()> {
    media_only(s, "until")?;
    let reason = reason.trim();
    let Some(until) = until else {
        return Err(Error::invalid("until", "укажите дату, к которой информация будет предоставлена"));
    };
    let due: Date = s.due_on.parse().map_err(|_| Error::invalid("until", "срок запроса не прочитан"))?;
    if until <= due || until <= today {
        return Err(Error::invalid(
            "until",
            format!(
                "дата предоставления должна быть позже срока {}: отсрочка нужна, когда информацию нельзя дать в этот срок",
                due.max(today).strftime("%d.%m.%Y")
            ),
        ));
    }
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(Error::invalid("reason", "укажите причины отсрочки (до 2000 символов)"));
    }
    let until_ru = until.strftime("%d.%m.%Y").to_string();
    let note = format!("предоставление информации отсрочено до {until_ru}: {reason}");
    let mut tx = db.begin().await?;
    let deferred =
        sqlx::query("SELECT COUNT(*) FROM submission_events WHERE submission_id = $1 AND status = 'deferred'")
            .bind(s.id)
            .fetch_one(&mut *tx)
            .await?
            .try_get::<i64, _>(0)?;
    move_term(&mut tx, actor, now, s, ("deferred", until, &note, reason)).await?;
    notify(
        &mut tx,
        now,
        s,
        &format!("submission:{}:deferred-{}", s.id, deferred + 1),
        &mail::Deferred {
            number: &s.number,
            topic: &s.topic,
            reason,
            until: until_ru.clone(),
            official: &actor.label,
            decided: today.strftime("%d.%m.%Y").to_string(),
            track: track_url,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Refuses a media request whose information holds a secret the law protects (Law 2124-1 art.
/// 40): the notice says why the information cannot be separated from the secret, the official
/// and the date of the decision.
pub async fn refuse(
    db: &Db,
    actor: &Actor,
    (now, today): (i64, Date),
    s: &Submission,
    (ground, why): (&str, &str),
) -> Result<()> {
    media_only(s, "ground")?;
    let why = why.trim();
    let Some(secret) = MEDIA_REFUSAL_GROUNDS.iter().find(|k| **k == ground).map(|k| crate::russian("media_ground", k))
    else {
        return Err(Error::invalid("ground", "выберите, какую охраняемую законом тайну содержит информация"));
    };
    if why.is_empty() || why.chars().count() > 2000 {
        return Err(Error::invalid("why", "объясните, почему информацию нельзя отделить от тайны (до 2000 символов)"));
    }
    let note = format!("информация содержит {secret}. {why}");
    let letter = mail::Refused {
        number: &s.number,
        topic: &s.topic,
        secret,
        why,
        official: &actor.label,
        decided: today.strftime("%d.%m.%Y").to_string(),
    };
    let key = format!("submission:{}:refused", s.id);
    let mut tx = db.begin().await?;
    close(&mut tx, actor, now, s, ("refused", "", &note), (&key, &letter)).await?;
    tx.commit().await?;
    Ok(())
}

/// A legally significant notice to the applicant and what became of it.
#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub struct Notice {
    /// registered, extended, answer, forwarded, no_answer
    pub what: String,
    pub to: String,
    pub queued_at: i64,
    /// queued, running, done or failed (the outbox's own words).
    pub status: String,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub last_error: String,
}

/// Every notice sent (or being sent) to a submission's applicant, one per recipient and kind.
pub async fn notices(db: &Db, submission_id: i64) -> Result<Vec<Notice>> {
    let prefix = format!("submission:{submission_id}:");
    let rows = sqlx::query(
        "SELECT idempotency_key, payload, created_at, status, attempts, done_at, COALESCE(last_error, '') AS last_error \
         FROM jobs \
         WHERE idempotency_key LIKE $1 ORDER BY id",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let key: String = r.try_get("idempotency_key")?;
            let payload: String = r.try_get("payload")?;
            let to = serde_json::from_str::<OutgoingEmail>(&payload).map(|m| m.to).unwrap_or_default();
            Ok(Notice {
                what: key.strip_prefix(&prefix).unwrap_or_default().to_string(),
                to,
                queued_at: r.try_get("created_at")?,
                status: r.try_get("status")?,
                attempts: r.try_get("attempts")?,
                sent_at: r.try_get("done_at")?,
                last_error: r.try_get("last_error")?,
            })
        })
        .collect()
}

/// The body's appeals officers (of the body or a body above it), active, by e-mail.
pub fn officers(users: &[kernel::staff::StaffUser], chain: &[i64]) -> Vec<kernel::staff::StaffUser> {
    users
        .iter()
        .filter(|u| !u.disabled)
        .filter(|u| {
            u.grants
                .iter()
                .any(|g| g.role == kernel::staff::Role::AppealsOfficer && g.body_id.is_some_and(|b| chain.contains(&b)))
        })
        .cloned()
        .collect()
}

/// Assigns a submission to one of the body's appeals officers (or to nobody), audited; the
/// officer is told by e-mail with the link to the card.
pub async fn assign(
    db: &Db,
    actor: &Actor,
    now: i64,
    s: &Submission,
    to: Option<&kernel::staff::StaffUser>,
    card_url: &str,
) -> Result<()> {
    if is_final(&s.status) {
        return Err(Error::invalid("assignee", "обращение уже закрыто"));
    }
    if to.map(|u| u.id) == s.assignee_id {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE submissions SET assignee_id = $1 WHERE id = $2")
        .bind(to.map(|u| u.id))
        .bind(s.id)
        .execute(&mut *tx)
        .await?;
    submissions::bump(&mut tx, s.body_id).await?;
    let change = Change::update(
        "submission",
        s.id,
        Some(s.body_id),
        serde_json::json!({ "assignee_id": s.assignee_id }),
        serde_json::json!({ "assignee_id": to.map(|u| u.id) }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    if let Some(u) = to {
        // The applicant's history says that someone now works on it, never who.
        sqlx::query("INSERT INTO submission_events (submission_id, at, status) VALUES ($1, $2, 'assigned')")
            .bind(s.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let letter = mail::Assigned { number: &s.number, topic: &s.topic, due: &s.due_on, card: card_url };
        let key = format!("appeal-assigned:{}:{}:{now}", s.id, u.id);
        outbox::enqueue_email(&mut tx, now, &key, &letter.to(&u.email)?).await?;
    }
    tx.commit().await?;
    Ok(())
}
