//! Statistics of appeals and requests per body and kind for a quarter or a year (seed 000 §13.3
//! «а», roadmap 002 item 35): received, answered on time and late, forwarded, left without an
//! answer, still open and overdue, by theme of the classifier, and complaints satisfied or not.
//! A period is published once it has ended: the pages list every ended quarter and year.

use std::collections::BTreeMap;

use deadlines::Date;
use kernel::Db;
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

use crate::rules::Kind;
use crate::workflow::is_final;

/// A quarter or a year: `2026-Q1`, `2026`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    pub code: String,
    pub label: String,
    pub from: Date,
    /// The first day after it.
    pub until: Date,
}

impl Period {
    pub fn parse(code: &str) -> Option<Period> {
        let (year, quarter) = match code.split_once("-Q") {
            Some((y, q)) => (y.parse::<i16>().ok()?, Some(q.parse::<i8>().ok().filter(|q| (1..=4).contains(q))?)),
            None => (code.parse::<i16>().ok()?, None),
        };
        if !(2000..=2100).contains(&year) {
            return None;
        }
        Some(match quarter {
            Some(q) => {
                let from = Date::new(year, (q - 1) * 3 + 1, 1).ok()?;
                let until =
                    if q == 4 { Date::new(year + 1, 1, 1).ok()? } else { Date::new(year, q * 3 + 1, 1).ok()? };
                Period {
                    code: format!("{year}-Q{q}"), label: format!("{q}-й квартал {year} года"), from, until
                }
            }
            None => Period {
                code: year.to_string(),
                label: format!("{year} год"),
                from: Date::new(year, 1, 1).ok()?,
                until: Date::new(year + 1, 1, 1).ok()?,
            },
        })
    }

    /// Every quarter and year that ended by `today`, from `first_year` on, the newest first.
    pub fn ended(today: Date, first_year: i16) -> Vec<Period> {
        let mut out = Vec::new();
        for year in (first_year..=today.year()).rev() {
            if let Some(y) = Period::parse(&year.to_string()).filter(|p| p.until <= today) {
                out.push(y);
            }
            for q in (1..=4).rev() {
                if let Some(p) = Period::parse(&format!("{year}-Q{q}")).filter(|p| p.until <= today) {
                    out.push(p);
                }
            }
        }
        out
    }
}

/// The figures of one kind (or of all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub received: i64,
    pub answered_on_time: i64,
    pub answered_late: i64,
    pub forwarded: i64,
    pub left_without_answer: i64,
    /// Media requests refused (Law 2124-1 art. 40).
    pub refused: i64,
    /// Not closed yet, and of them past their term.
    pub open: i64,
    pub overdue: i64,
    /// Complaints only: the complaint was supported (with or without measures) or not.
    pub satisfied: i64,
    pub not_satisfied: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// By kind (its code: `appeal_kind.*` are its words).
    pub by_kind: Vec<(&'static str, Figures)>,
    pub total: Figures,
    /// (theme code `SSSS.TTTT`, its title when known, questions).
    pub themes: Vec<(String, String, i64)>,
}

/// The figures of the submissions registered in the period, of one body or of all; `day` turns
/// an instant (ms) into the portal's date.
pub async fn compute(
    db: &Db,
    body_id: Option<i64>,
    period: &Period,
    today: Date,
    day: impl Fn(i64) -> Option<Date>,
) -> Result<Stats> {
    let rows = sqlx::query(
        "SELECT kind, due_on, status, result, answered_at FROM submissions \
         WHERE ($1 = 0 OR body_id = $1) AND registered_on >= $2 AND registered_on < $3",
    )
    .bind(body_id.unwrap_or(0))
    .bind(period.from.to_string())
    .bind(period.until.to_string())
    .fetch_all(&db.pool)
    .await?;
    let mut by_kind: Vec<(Kind, Figures)> = Kind::ALL.iter().map(|k| (*k, Figures::default())).collect();
    for r in &rows {
        let kind: String = r.try_get("kind")?;
        let due: String = r.try_get("due_on")?;
        let status: String = r.try_get("status")?;
        let result: String = r.try_get("result")?;
        let answered: Option<i64> = r.try_get("answered_at")?;
        let Some((k, f)) = by_kind.iter_mut().find(|(k, _)| k.code() == kind) else { continue };
        f.received += 1;
        let due: Option<Date> = due.parse().ok();
        match status.as_str() {
            "answered" => {
                if on_time(answered, due, &day) {
                    f.answered_on_time += 1
                } else {
                    f.answered_late += 1
                }
                if *k == Kind::Complaint {
                    if matches!(result.as_str(), "supported" | "supported_measures") {
                        f.satisfied += 1
                    } else {
                        f.not_satisfied += 1
                    }
                }
            }
            "forwarded" => f.forwarded += 1,
            "left_without_answer" => f.left_without_answer += 1,
            "refused" => f.refused += 1,
            s if !is_final(s) => {
                f.open += 1;
                if due.is_some_and(|d| d < today) {
                    f.overdue += 1;
                }
            }
            _ => {}
        }
    }
    let mut total = Figures::default();
    for (_, f) in &by_kind {
        total.received += f.received;
        total.answered_on_time += f.answered_on_time;
        total.answered_late += f.answered_late;
        total.forwarded += f.forwarded;
        total.left_without_answer += f.left_without_answer;
        total.refused += f.refused;
        total.open += f.open;
        total.overdue += f.overdue;
        total.satisfied += f.satisfied;
        total.not_satisfied += f.not_satisfied;
    }
    let rows = sqlx::query(
        "SELECT q.code FROM submission_questions q JOIN submissions s ON s.id = q.submission_id \
         WHERE ($1 = 0 OR s.body_id = $1) AND s.registered_on >= $2 AND s.registered_on < $3",
    )
    .bind(body_id.unwrap_or(0))
    .bind(period.from.to_string())
    .bind(period.until.to_string())
    .fetch_all(&db.pool)
    .await?;
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for r in rows {
        let code: String = r.try_get(0)?;
        let theme: String = code.split('.').take(2).collect::<Vec<_>>().join(".");
        *counts.entry(theme).or_default() += 1;
    }
    let titles: BTreeMap<String, String> =
        crate::questions::topics(db).await?.into_iter().map(|t| (t.code, t.title)).collect();
    let mut themes: Vec<(String, String, i64)> =
        counts.into_iter().map(|(code, n)| (code.clone(), titles.get(&code).cloned().unwrap_or_default(), n)).collect();
    themes.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    Ok(Stats { by_kind: by_kind.into_iter().map(|(k, f)| (k.code(), f)).collect(), total, themes })
}

/// A submission as the compliance engine counts it: its answer's term, when it was answered, its
/// status — numbers and dates alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub id: i64,
    pub body_id: i64,
    pub number: String,
    pub kind: &'static str,
    pub due_on: Date,
    pub status: String,
    pub answered_on: Option<Date>,
}

/// Every submission registered in the year before `today`, and every older one still open.
pub async fn terms(db: &Db, today: Date, day: impl Fn(i64) -> Option<Date>) -> Result<Vec<Term>> {
    let year_ago = today.checked_sub(jiff::Span::new().days(366)).unwrap_or(today);
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, body_id, seq, year, kind, due_on, status, answered_at FROM submissions \
         WHERE registered_on >= $1 OR {} ORDER BY id",
        crate::workflow::still_open()
    )))
    .bind(year_ago.to_string())
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let Ok(due_on) = r.try_get::<String, _>("due_on")?.parse::<Date>() else { continue };
        let answered: Option<i64> = r.try_get("answered_at")?;
        out.push(Term {
            id: r.try_get("id")?,
            body_id: r.try_get("body_id")?,
            number: crate::intake::number(r.try_get("seq")?, r.try_get("year")?),
            kind: Kind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(Kind::Appeal).code(),
            due_on,
            status: r.try_get("status")?,
            answered_on: answered.and_then(&day),
        });
    }
    Ok(out)
}

/// Whether an answer given at `answered` (ms) came by its term.
fn on_time(answered: Option<i64>, due: Option<Date>, day: &impl Fn(i64) -> Option<Date>) -> bool {
    answered.and_then(day).zip(due).is_some_and(|(a, d)| a <= d)
}

/// A submission that broke its term — answered after it, or still open past it — told by number,
/// kind and dates alone (nothing the applicant wrote).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Breach {
    pub id: i64,
    pub number: String,
    /// The kind's code (`appeal_kind.*`).
    pub kind: &'static str,
    pub registered_on: Date,
    pub due_on: Date,
    pub answered_on: Option<Date>,
    /// Calendar days past the term: to the answer, or to today.
    pub days_late: i64,
}

/// The submissions of a body registered in the period that were answered late, and those still
/// open past their term — the figures of [`compute`] one by one, the longest late first.
pub async fn breaches(
    db: &Db,
    body_id: i64,
    period: &Period,
    today: Date,
    day: impl Fn(i64) -> Option<Date>,
) -> Result<(Vec<Breach>, Vec<Breach>)> {
    let rows = sqlx::query(
        "SELECT id, seq, kind, registered_on, due_on, status, answered_at, year FROM submissions \
         WHERE body_id = $1 AND registered_on >= $2 AND registered_on < $3",
    )
    .bind(body_id)
    .bind(period.from.to_string())
    .bind(period.until.to_string())
    .fetch_all(&db.pool)
    .await?;
    let (mut late, mut overdue) = (Vec::new(), Vec::new());
    for r in &rows {
        let (Ok(registered_on), Ok(due_on)) = (
            r.try_get::<String, _>("registered_on")?.parse::<Date>(),
            r.try_get::<String, _>("due_on")?.parse::<Date>(),
        ) else {
            continue;
        };
        let status: String = r.try_get("status")?;
        let answered: Option<i64> = r.try_get("answered_at")?;
        let kind = Kind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(Kind::Appeal).code();
        let breach = |until: Date| -> Result<Breach> {
            let days = (until - due_on).get_days().into();
            Ok(Breach {
                id: r.try_get("id")?,
                number: crate::intake::number(r.try_get("seq")?, r.try_get("year")?),
                kind,
                registered_on,
                due_on,
                answered_on: answered.and_then(&day),
                days_late: days,
            })
        };
        if status == "answered" && !on_time(answered, Some(due_on), &day) {
            late.push(breach(answered.and_then(&day).unwrap_or(today))?);
        } else if !is_final(&status) && due_on < today {
            overdue.push(breach(today)?);
        }
    }
    for list in [&mut late, &mut overdue] {
        list.sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.id.cmp(&b.id)));
    }
    Ok((late, overdue))
}

/// The statistics as CSV: a row per kind and the total, then a row per theme.
pub fn csv(stats: &Stats, period: &Period) -> String {
    let mut out = kernel::csv::row(&[
        "Период",
        "Вид",
        "Поступило",
        "Отвечено в срок",
        "Отвечено с нарушением срока",
        "Направлено по компетенции",
        "Оставлено без ответа",
        "Отказано (запросы СМИ)",
        "На рассмотрении",
        "Из них просрочено",
        "Жалобы удовлетворены",
        "Жалобы не удовлетворены",
    ]);
    let rows =
        stats.by_kind.iter().map(|(k, f)| (crate::russian("appeal_kind", k), f)).chain([("всего", &stats.total)]);
    for (kind, f) in rows {
        let n = [
            f.received,
            f.answered_on_time,
            f.answered_late,
            f.forwarded,
            f.left_without_answer,
            f.refused,
            f.open,
            f.overdue,
            f.satisfied,
            f.not_satisfied,
        ];
        let mut cells = vec![period.code.clone(), kind.to_string()];
        cells.extend(n.iter().map(i64::to_string));
        out.push_str(&kernel::csv::row(&cells));
    }
    out.push_str(&kernel::csv::row(&["Период", "Тематика (код)", "Тематика", "Вопросов"]));
    for (code, title, n) in &stats.themes {
        out.push_str(&kernel::csv::row(&[period.code.as_str(), code, title, &n.to_string()]));
    }
    out
}

/// The year of the first submission, if any.
pub async fn first_year(db: &Db) -> Result<Option<i16>> {
    let first: Option<i64> = sqlx::query("SELECT MIN(year) FROM submissions").fetch_one(&db.pool).await?.try_get(0)?;
    Ok(first.and_then(|y| i16::try_from(y).ok()))
}

/// The period a request names, or the newest ended one; an error in Russian for a bad name.
pub fn chosen(code: &str, ended: &[Period]) -> Result<Option<Period>> {
    match code.trim() {
        "" => Ok(ended.first().cloned()),
        c => match ended.iter().find(|p| p.code == c) {
            Some(p) => Ok(Some(p.clone())),
            None => {
                Err(Error::invalid("period", "такого периода нет: выберите завершившийся квартал или год из списка"))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::Period;

    #[test]
    fn periods_are_published_once_they_end() {
        let today: deadlines::Date = "2026-07-01".parse().expect("date");
        let codes: Vec<String> = Period::ended(today, 2025).into_iter().map(|p| p.code).collect();
        assert_eq!(codes, ["2026-Q2", "2026-Q1", "2025", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]);
        let q4 = Period::parse("2025-Q4").expect("q4");
        assert_eq!((q4.from.to_string(), q4.until.to_string()), ("2025-10-01".into(), "2026-01-01".into()));
        assert!(Period::parse("2025-Q5").is_none() && Period::parse("весна").is_none());
    }
}
