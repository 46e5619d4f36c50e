//! Publishing answers (seed 000 §37 «б»: answers to the appeals received are published after
//! moderation within 10 working days). When an answer is given, a draft of the question and the
//! answer is made with personal data redacted (`redact`); staff see each replacement and may undo
//! it, correct the texts, write the question as a reader would put it (the heading), then
//! publish it or withhold it with the reason. Every decision is audited.

use deadlines::{Calendar, Date, Term};
use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

use crate::intake::MAX_TEXT;
use crate::redact::{Known, Replacement, Writer, redact};
use crate::submissions::Submission;

/// The longest heading of a published answer.
pub const MAX_SUMMARY: usize = 300;

/// Working days to publish an answer after it is given (seed 000 §37 «б», a recommendation).
pub const PUBLISH_WORKING_DAYS: u32 = 10;

/// The day by which an answer given on `answered` is to be published.
pub fn due(cal: &Calendar, answered: Date) -> Result<Date> {
    cal.add(answered, &Term::working_days(PUBLISH_WORKING_DAYS))
        .map(|c| c.date)
        .map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))
}

/// The draft of a submission's publication, redacted, to insert with its answer.
pub fn draft(s: &Submission, body: &kernel::bodies::Body, answer: &str) -> (String, String) {
    let own = own(body);
    let known = known(s, &own);
    let question = format!("{}\n\n{}", s.topic, s.text);
    (redact(&question, &known, Writer::Applicant), redact(answer, &known, Writer::Body))
}

/// What of the body stays in a publication: its phone, e-mail, site, address and head.
fn own(body: &kernel::bodies::Body) -> [&str; 5] {
    [&body.phone, &body.email, &body.website, &body.address, &body.head_name]
}

fn known<'a>(s: &'a Submission, own: &'a [&'a str]) -> Known<'a> {
    Known { name: &s.author_name, email: &s.email, phone: &s.phone, address: &s.postal_address, body: own }
}

/// The question as the applicant wrote it: its topic, then its text.
fn written(s: &Submission) -> String {
    format!("{}\n\n{}", s.topic, s.text)
}

/// One automatic replacement shown to staff: in the question (`q`) or the answer (`a`), the
/// words replaced with a little of the text around them, the mark, and whether it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub key: String,
    pub before: String,
    pub original: String,
    pub after: String,
    pub mark: &'static str,
    pub kept: bool,
}

/// Up to `n` characters of `text` before `at` (or after it), cut at a word.
fn around(text: &str, at: usize, n: usize, before: bool) -> String {
    if before {
        let start = text[..at].char_indices().rev().nth(n).map_or(0, |(k, _)| k);
        let cut = &text[start..at];
        if start == 0 { cut.to_string() } else { format!("…{}", cut.split_once(' ').map_or(cut, |(_, r)| r)) }
    } else {
        let end = text[at..].char_indices().nth(n).map_or(text.len(), |(k, _)| at + k);
        let cut = &text[at..end];
        if end == text.len() { cut.to_string() } else { format!("{}…", cut.rsplit_once(' ').map_or(cut, |(l, _)| l)) }
    }
}

/// Every automatic replacement in a submission's question and answer, as staff review them.
pub fn review(s: &Submission, body: &kernel::bodies::Body, undone: &str) -> Vec<Review> {
    let own = own(body);
    let known = known(s, &own);
    let undone: Vec<&str> = undone.split(',').collect();
    let mut out = Vec::new();
    for (part, text, writer) in [("q", written(s), Writer::Applicant), ("a", s.answer.clone(), Writer::Body)] {
        for r in crate::redact::find(&text, &known, writer) {
            let key = format!("{part}:{}", r.start);
            out.push(Review {
                kept: !undone.contains(&key.as_str()),
                before: around(&text, r.start, 40, true),
                original: text[r.start..r.end].to_string(),
                after: around(&text, r.end, 40, false),
                mark: r.mark,
                key,
            });
        }
    }
    out
}

/// Makes the draft's texts again from what was written, with the replacements staff kept (by
/// key) and without those they undid; audited.
pub async fn choose(
    db: &Db,
    actor: &Actor,
    now: i64,
    p: &Publication,
    (s, body): (&Submission, &kernel::bodies::Body),
    kept: &[String],
) -> Result<()> {
    if p.status != "draft" {
        return Err(Error::Form(vec![("question", "решение о публикации уже принято".into())]));
    }
    let own = own(body);
    let known = known(s, &own);
    let mut undone = Vec::new();
    let mut texts = Vec::new();
    for (part, text, writer) in [("q", written(s), Writer::Applicant), ("a", s.answer.clone(), Writer::Body)] {
        let chosen: Vec<Replacement> = crate::redact::find(&text, &known, writer)
            .into_iter()
            .filter(|r| {
                let key = format!("{part}:{}", r.start);
                let keep = kept.contains(&key);
                if !keep {
                    undone.push(key);
                }
                keep
            })
            .collect();
        texts.push(crate::redact::apply(&text, &chosen));
    }
    let undone = undone.join(",");
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE submission_publications SET question = $1, answer = $2, undone = $3 \
         WHERE submission_id = $4 AND status = 'draft'",
    )
    .bind(&texts[0])
    .bind(&texts[1])
    .bind(&undone)
    .bind(p.submission_id)
    .execute(&mut *tx)
    .await?;
    let change = Change::update(
        "submission_publication",
        p.submission_id,
        Some(p.body_id),
        serde_json::json!({ "undone": p.undone }),
        serde_json::json!({ "undone": undone }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Publication {
    pub submission_id: i64,
    pub body_id: i64,
    pub number: String,
    /// The question as a reader would put it: the heading (empty until published).
    pub summary: String,
    pub question: String,
    pub answer: String,
    pub result: String,
    pub status: String,
    pub reason: String,
    pub due_on: String,
    pub published_at: Option<i64>,
    pub undone: String,
}

const SELECT: &str = "SELECT p.submission_id, p.body_id, s.seq, s.year, p.summary, p.question, p.answer, p.result, \
                      p.status, p.reason, p.due_on, p.published_at, p.undone FROM submission_publications p \
                      JOIN submissions s ON s.id = p.submission_id";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Publication> {
    Ok(Publication {
        submission_id: r.try_get("submission_id")?,
        body_id: r.try_get("body_id")?,
        number: crate::intake::number(r.try_get("seq")?, r.try_get("year")?),
        summary: r.try_get("summary")?,
        question: r.try_get("question")?,
        answer: r.try_get("answer")?,
        result: r.try_get("result")?,
        status: r.try_get("status")?,
        reason: r.try_get("reason")?,
        due_on: r.try_get("due_on")?,
        published_at: r.try_get("published_at")?,
        undone: r.try_get("undone")?,
    })
}

/// A body's publications in one status; drafts by their due day, the published newest first.
pub async fn list(db: &Db, body_id: i64, status: &str) -> Result<Vec<Publication>> {
    let order = if status == "draft" { "p.due_on, p.submission_id" } else { "p.published_at DESC" };
    let rows =
        sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE p.body_id = $1 AND p.status = $2 ORDER BY {order}")))
            .bind(body_id)
            .bind(status)
            .fetch_all(&db.pool)
            .await?;
    rows.iter().map(from_row).collect()
}

/// Publishes a reviewed draft (with the texts as staff left them) or withholds it with the reason.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    now: i64,
    p: &Publication,
    publish: bool,
    (summary, question, answer, reason): (&str, &str, &str, &str),
) -> Result<()> {
    let (summary, question, answer, reason) = (summary.trim(), question.trim(), answer.trim(), reason.trim());
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if p.status != "draft" {
        errors.push(("question", "решение о публикации уже принято".into()));
    }
    if publish {
        if summary.is_empty() || summary.chars().count() > MAX_SUMMARY {
            errors.push((
                "summary",
                format!("напишите вопрос коротко, как его задал бы читатель (до {MAX_SUMMARY} символов)"),
            ));
        }
        if question.is_empty() || question.chars().count() > MAX_TEXT {
            errors.push(("question", "вопрос для публикации не может быть пустым".into()));
        }
        if answer.is_empty() || answer.chars().count() > MAX_TEXT {
            errors.push(("answer", "ответ для публикации не может быть пустым".into()));
        }
    } else if reason.is_empty() {
        errors.push(("reason", "укажите, почему ответ не публикуется".into()));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE submission_publications SET status = $1, question = $2, answer = $3, reason = $4, published_at = $5, \
         summary = $7 WHERE submission_id = $6 AND status = 'draft'",
    )
    .bind(if publish { "published" } else { "withheld" })
    .bind(if publish { question } else { p.question.as_str() })
    .bind(if publish { answer } else { p.answer.as_str() })
    .bind(reason)
    .bind(publish.then_some(now))
    .bind(p.submission_id)
    .bind(if publish { summary } else { "" })
    .execute(&mut *tx)
    .await?;
    let change = Change::update(
        "submission_publication",
        p.submission_id,
        Some(p.body_id),
        serde_json::json!({ "status": "draft", "question": p.question, "answer": p.answer }),
        if publish {
            serde_json::json!({ "status": "published", "summary": summary, "question": question, "answer": answer })
        } else {
            serde_json::json!({ "status": "withheld", "reason": reason })
        },
    );
    audit::record(&mut tx, actor, now, change).await?;
    crate::searched::changed(&mut tx, p.submission_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The classifier codes of each published answer of a body, by submission.
pub async fn published_codes(db: &Db, body_id: i64) -> Result<std::collections::HashMap<i64, Vec<String>>> {
    let rows = sqlx::query(
        "SELECT q.submission_id, q.code FROM submission_questions q \
         JOIN submission_publications p ON p.submission_id = q.submission_id \
         WHERE p.body_id = $1 AND p.status = 'published' ORDER BY q.id",
    )
    .bind(body_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for r in rows {
        out.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
    }
    Ok(out)
}

/// The published answers that contain every word of `q` (any case, in the question or the
/// answer) and, with a `topic`, whose questions carry that code or one under it.
pub fn search<'a>(
    items: &'a [Publication],
    codes: &std::collections::HashMap<i64, Vec<String>>,
    q: &str,
    topic: &str,
) -> Vec<&'a Publication> {
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    let topic = topic.trim();
    items
        .iter()
        .filter(|p| {
            let text = format!("{} {}", p.question, p.answer).to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .filter(|p| {
            topic.is_empty()
                || codes
                    .get(&p.submission_id)
                    .is_some_and(|cs| cs.iter().any(|c| c == topic || c.starts_with(&format!("{topic}."))))
        })
        .collect()
}

/// The most frequent classifier codes: of the published answers (the FAQ), or of every question
/// registered since a day (the rating of topical appeals); (code, title, count), the most first.
pub async fn frequent(db: &Db, body_id: i64, since: Option<Date>, limit: usize) -> Result<Vec<(String, String, i64)>> {
    let rows = match since {
        None => {
            sqlx::query(
                "SELECT q.code, t.title, COUNT(*) AS n FROM submission_questions q \
                 JOIN appeal_topics t ON t.code = q.code \
                 JOIN submission_publications p ON p.submission_id = q.submission_id \
                 WHERE p.body_id = $1 AND p.status = 'published' GROUP BY q.code, t.title",
            )
            .bind(body_id)
            .fetch_all(&db.pool)
            .await?
        }
        Some(day) => {
            sqlx::query(
                "SELECT q.code, t.title, COUNT(*) AS n FROM submission_questions q \
                 JOIN appeal_topics t ON t.code = q.code JOIN submissions s ON s.id = q.submission_id \
                 WHERE s.body_id = $1 AND s.registered_on >= $2 GROUP BY q.code, t.title",
            )
            .bind(body_id)
            .bind(day.to_string())
            .fetch_all(&db.pool)
            .await?
        }
    };
    let mut out: Vec<(String, String, i64)> =
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect::<Result<_>>()?;
    out.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    out.truncate(limit);
    Ok(out)
}
