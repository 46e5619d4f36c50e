//! A submission split into questions, each classified by the national typical thematic
//! classifier (codes `SSSS.TTTT.MMMM.QQQQ`, a fifth `.PPPP` in current editions) and given its
//! own result in the Decree 171 typology; the classifier itself, loaded from the official file;
//! and the monthly export of results per question for the Decree 171 reporting.

use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

use crate::submissions::Submission;
use crate::workflow::{is_final, result_ru};

/// A code of the classifier: 4 digits, then up to four more groups of 4 after dots.
pub fn valid_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('.').collect();
    (1..=5).contains(&parts.len()) && parts.iter().all(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Topic {
    pub code: String,
    pub title: String,
}

pub async fn topics(db: &Db) -> Result<Vec<Topic>> {
    let rows = sqlx::query("SELECT code, title FROM appeal_topics ORDER BY code").fetch_all(&db.pool).await?;
    rows.iter().map(|r| Ok(Topic { code: r.try_get("code")?, title: r.try_get("title")? })).collect()
}

/// What a load of the classifier did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub added: usize,
    pub renamed: usize,
}

/// Reads the classifier as a table of code and title (comma or semicolon separated, a header
/// line allowed); every problem with its line number, nothing stored unless all lines are right.
pub fn read_topics(text: &str) -> Result<Vec<Topic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let sep = if line.contains(';') { ';' } else { ',' };
        let Some((code, title)) = line.split_once(sep) else {
            errors.push(("file", format!("строка {}: нужны код и название через «;» или «,»", n + 1)));
            continue;
        };
        let (code, title) = (code.trim().trim_matches('"'), title.trim().trim_matches('"').replace("\"\"", "\""));
        if n == 0 && !valid_code(code) && !code.chars().any(|c| c.is_ascii_digit()) {
            continue; // a header line
        }
        if !valid_code(code) {
            errors.push(("file", format!("строка {}: «{code}» — не код классификатора (ЧЧЧЧ.ЧЧЧЧ.ЧЧЧЧ.ЧЧЧЧ)", n + 1)));
        } else if title.is_empty() || title.chars().count() > 500 {
            errors
                .push(("file", format!("строка {}: у кода {code} нет названия (или оно длиннее 500 символов)", n + 1)));
        } else {
            out.push(Topic { code: code.to_string(), title });
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(("file", "в файле нет ни одного кода".into()));
    }
    if errors.is_empty() { Ok(out) } else { Err(Error::Form(errors)) }
}

/// Adds new codes and renames changed ones (a code is never removed: questions keep theirs).
pub async fn load_topics(db: &Db, actor: &Actor, now: i64, list: &[Topic]) -> Result<Loaded> {
    let before: std::collections::HashMap<String, String> =
        topics(db).await?.into_iter().map(|t| (t.code, t.title)).collect();
    let mut loaded = Loaded::default();
    let mut tx = db.begin().await?;
    for t in list {
        match before.get(&t.code) {
            Some(title) if *title == t.title => continue,
            Some(_) => loaded.renamed += 1,
            None => loaded.added += 1,
        }
        sqlx::query(
            "INSERT INTO appeal_topics (code, title) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET title = $2",
        )
        .bind(&t.code)
        .bind(&t.title)
        .execute(&mut *tx)
        .await?;
    }
    let change = Change {
        action: "update",
        object_type: "appeal_topics",
        object_id: "classifier".into(),
        body_id: None,
        before: None,
        after: Some(serde_json::json!({ "added": loaded.added, "renamed": loaded.renamed })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(loaded)
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Question {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub summary: String,
    pub result: String,
}

pub async fn for_submission(db: &Db, submission_id: i64) -> Result<Vec<Question>> {
    let rows = sqlx::query(
        "SELECT q.id, q.code, t.title, q.summary, q.result FROM submission_questions q \
         JOIN appeal_topics t ON t.code = q.code WHERE q.submission_id = $1 ORDER BY q.id",
    )
    .bind(submission_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Question {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                title: r.try_get("title")?,
                summary: r.try_get("summary")?,
                result: r.try_get("result")?,
            })
        })
        .collect()
}

fn audit_change(s: &Submission, id: i64, action: &'static str, value: serde_json::Value) -> Change<'static> {
    let (before, after) = if action == "delete" { (Some(value), None) } else { (None, Some(value)) };
    Change {
        action,
        object_type: "submission_question",
        object_id: id.to_string(),
        body_id: Some(s.body_id),
        before,
        after: after.map(|mut v| {
            v["submission_id"] = s.id.into();
            v
        }),
    }
}

/// Adds a question to a submission still under consideration, with its classifier code.
pub async fn add(db: &Db, actor: &Actor, now: i64, s: &Submission, code: &str, summary: &str) -> Result<i64> {
    let (code, summary) = (code.trim(), summary.trim());
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if is_final(&s.status) {
        errors.push(("summary", "по обращению уже дан ответ: вопросы больше не меняются".into()));
    }
    if summary.is_empty() || summary.chars().count() > 1000 {
        errors.push(("summary", "сформулируйте вопрос (до 1000 символов)".into()));
    }
    let known = sqlx::query("SELECT COUNT(*) FROM appeal_topics WHERE code = $1")
        .bind(code)
        .fetch_one(&db.pool)
        .await?
        .try_get::<i64, _>(0)?
        > 0;
    if !known {
        errors.push(("code", format!("«{code}» нет в классификаторе: выберите код из списка")));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO submission_questions (submission_id, code, summary, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(s.id)
    .bind(code)
    .bind(summary)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let value = serde_json::json!({ "code": code, "summary": summary });
    audit::record(&mut tx, actor, now, audit_change(s, id, "create", value)).await?;
    tx.commit().await?;
    Ok(id)
}

async fn own(db: &Db, s: &Submission, id: i64) -> Result<Question> {
    for_submission(db, s.id).await?.into_iter().find(|q| q.id == id).ok_or(Error::NotFound("вопрос"))
}

/// Gives one question its result before the answer (the answer gives its own to the rest).
pub async fn set_result(db: &Db, actor: &Actor, now: i64, s: &Submission, id: i64, result: &str) -> Result<()> {
    let q = own(db, s, id).await?;
    if is_final(&s.status) {
        return Err(Error::invalid("result", "по обращению уже дан ответ: результаты больше не меняются"));
    }
    if !crate::workflow::answer_result(result) {
        return Err(Error::invalid("result", "выберите результат рассмотрения вопроса"));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE submission_questions SET result = $1 WHERE id = $2")
        .bind(result)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let value = serde_json::json!({ "result": result, "was": q.result });
    audit::record(&mut tx, actor, now, audit_change(s, id, "update", value)).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a question added by mistake, while the submission is under consideration.
pub async fn remove(db: &Db, actor: &Actor, now: i64, s: &Submission, id: i64) -> Result<()> {
    let q = own(db, s, id).await?;
    if is_final(&s.status) {
        return Err(Error::invalid("summary", "по обращению уже дан ответ: вопросы больше не меняются"));
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM submission_questions WHERE id = $1").bind(id).execute(&mut *tx).await?;
    let value = serde_json::json!({ "code": q.code, "summary": q.summary, "result": q.result, "submission_id": s.id });
    audit::record(&mut tx, actor, now, audit_change(s, id, "delete", value)).await?;
    tx.commit().await?;
    Ok(())
}

/// The Decree 171 monthly return of a body: every question of the submissions answered between
/// `from` and `to` (ms), one CSV row each; a submission nobody split into questions is one row
/// without a code, so that it is seen and classified rather than lost from the count.
pub async fn results_csv(db: &Db, body_id: i64, (from, to): (i64, i64), day: impl Fn(i64) -> String) -> Result<String> {
    let rows = sqlx::query(
        "SELECT s.seq, s.year, s.kind, s.registered_on, s.answered_at, s.result, q.code, t.title, q.summary, \
                q.result AS question_result \
         FROM submissions s LEFT JOIN submission_questions q ON q.submission_id = s.id \
         LEFT JOIN appeal_topics t ON t.code = q.code \
         WHERE s.body_id = $1 AND s.answered_at >= $2 AND s.answered_at < $3 ORDER BY s.year, s.seq, q.id",
    )
    .bind(body_id)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    let mut out = kernel::csv::row(&[
        "Номер",
        "Вид",
        "Дата регистрации",
        "Дата ответа",
        "Код по классификатору",
        "Тематика",
        "Вопрос",
        "Код результата",
        "Результат рассмотрения",
    ]);
    for r in rows {
        let number = crate::intake::number(r.try_get("seq")?, r.try_get("year")?);
        let kind: String = r.try_get("kind")?;
        let answered: Option<i64> = r.try_get("answered_at")?;
        let own: Option<String> = r.try_get("question_result")?;
        let result = own.filter(|x| !x.is_empty()).unwrap_or(r.try_get("result")?);
        let code: Option<String> = r.try_get("code")?;
        let title: Option<String> = r.try_get("title")?;
        let summary: Option<String> = r.try_get("summary")?;
        out.push_str(&kernel::csv::row(&[
            number.as_str(),
            crate::rules::Kind::parse(&kind).map(|k| k.ru()).unwrap_or_default(),
            r.try_get::<String, _>(3)?.as_str(),
            answered.map(&day).unwrap_or_default().as_str(),
            code.as_deref().unwrap_or_default(),
            title.as_deref().unwrap_or_default(),
            summary.as_deref().unwrap_or("(вопросы не выделены)"),
            result.as_str(),
            result_ru(&result),
        ]));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{read_topics, valid_code};

    #[test]
    fn codes_have_one_to_five_groups_of_four_digits() {
        for ok in ["0002", "0002.0007", "0005.0005.0056.1160", "0004.0015.0158.0965.0064"] {
            assert!(valid_code(ok), "{ok}");
        }
        for bad in ["", "2.7", "0002.007", "0002.0007.", "0002.0007.0056.1160.0001.0001", "00a2"] {
            assert!(!valid_code(bad), "{bad}");
        }
    }

    #[test]
    fn the_official_file_is_read_with_every_problem_by_line() {
        let list =
            read_topics("\u{feff}Код;Наименование\n0002;Социальная сфера\n\"0002.0007\";\"Соц. обеспечение\"\n\n")
                .expect("read");
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].title, "Соц. обеспечение");
        let err = read_topics("0002;Социальная сфера\n2.7;Что-то\n0003;\nбез разделителя").expect_err("refused");
        let all: Vec<String> = err.field_errors().into_iter().map(|(_, m)| m).collect();
        assert_eq!(all.len(), 3, "{all:?}");
        assert!(all[0].starts_with("строка 2:") && all[1].starts_with("строка 3:") && all[2].starts_with("строка 4:"));
    }
}
