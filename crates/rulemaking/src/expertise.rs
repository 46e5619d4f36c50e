//! Independent anti-corruption expertise (seed 000 §34; 172-FZ art. 5): a draft is published for
//! expertise on the day it goes for approval, with the first and last day conclusions are taken
//! (`expertise_working_days`, five in Tomsk Region) and the address they go to. A conclusion is
//! entered as the Ministry of Justice's form has it (order No. 363 of 21.10.2011): the expert or
//! organisation, the accreditation order's number and date, the act's details, and each finding —
//! the structural unit, the corruptogenic factor of the Government's Methodology (read from
//! `data/corruption-factors.tsv`) and the proposed remedy. The body answers within 30 days of
//! receipt (reminded once before the term), and the reasoned answer is published with it.

use std::collections::HashMap;

use deadlines::{Calendar, Date, DayOffPolicy, Term, Unit};
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::{Config, Db};
use serde::Serialize;
use sqlx::Row;

use crate::store::Draft;

const FACTORS: &str = include_str!("../data/corruption-factors.tsv");

/// The corruptogenic factors: (code, name), in the Methodology's order.
pub fn factors() -> Vec<(&'static str, &'static str)> {
    FACTORS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).filter_map(|l| l.split_once('\t')).collect()
}

/// A factor's name with its point: «широта дискреционных полномочий (п. 3 «а» Методики)».
pub fn factor_name(code: &str) -> String {
    let Some((_, name)) = factors().into_iter().find(|(c, _)| *c == code) else { return code.to_string() };
    let mut chars = code.chars();
    let point: String = chars.by_ref().take_while(char::is_ascii_digit).collect();
    let letter: String = code.chars().skip(point.len()).collect();
    format!("{name} (п. {point} «{letter}» Методики)")
}

/// The days conclusions are taken: from the day of publication, `days` working days counting it.
pub fn window(cal: &Calendar, today: Date, days: i64) -> Result<(Date, Date, String)> {
    let term = Term {
        amount: u32::try_from(days).unwrap_or(5),
        unit: Unit::WorkingDays,
        on_day_off: DayOffPolicy::Keep,
        counts_start_day: true,
    };
    let c = cal.add(today, &term).map_err(|e| Error::invalid("expertise_email", e.to_string()))?;
    Ok((today, c.date, c.explain_ru()))
}

/// Publishes the draft for independent expertise today; audited, on the timeline.
pub async fn publish(
    db: &Db,
    actor: &Actor,
    now: i64,
    draft: &Draft,
    email: &str,
    (from, until): (Date, Date),
) -> Result<()> {
    let email = kernel::ids::Email::parse("expertise_email", email.trim())?;
    if !draft.expertise_from.is_empty() {
        return Err(Error::invalid(
            "expertise_email",
            "проект уже размещён для независимой антикоррупционной экспертизы",
        ));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE drafts SET expertise_from = $1, expertise_until = $2, expertise_email = $3 WHERE id = $4")
        .bind(from.to_string())
        .bind(until.to_string())
        .bind(email.as_str())
        .bind(draft.id)
        .execute(&mut *tx)
        .await?;
    let span = format!("с {} по {}", from.strftime("%d.%m.%Y"), until.strftime("%d.%m.%Y"));
    crate::store::event(&mut tx, draft.id, now, "expertise", &span).await?;
    let change = Change::update(
        "draft",
        draft.id,
        Some(draft.body_id),
        serde_json::json!({ "expertise_from": "" }),
        serde_json::json!({ "expertise_from": from.to_string(), "expertise_until": until.to_string(), "expertise_email": email.as_str() }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// One finding of a conclusion.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Finding {
    /// The structural unit, as the conclusion names it («статья 2», «пункт 3.1»).
    pub unit: String,
    /// The factor's code (`3а` … `4в`).
    pub factor: String,
    /// The provision that has it, quoted or described.
    pub provision: String,
    pub remedy: String,
}

/// A conclusion as stored.
#[derive(Clone, Debug, Serialize)]
pub struct Conclusion {
    pub id: i64,
    pub draft_id: i64,
    pub expert_kind: String,
    pub expert_name: String,
    pub accreditation_number: String,
    pub accreditation_date: String,
    pub act_details: String,
    pub received_on: String,
    pub answer_due: String,
    pub answer_due_ru: String,
    pub answer: String,
    pub answered_at: Option<i64>,
    pub findings: Vec<Finding>,
}

/// Rows of findings the staff form offers.
pub const FINDING_ROWS: usize = 5;

/// A conclusion checked: everything but its term.
#[derive(Debug)]
pub struct NewConclusion {
    pub expert_kind: String,
    pub expert_name: String,
    pub accreditation_number: String,
    pub accreditation_date: Date,
    pub act_details: String,
    pub received_on: Date,
    pub findings: Vec<Finding>,
}

fn day(errors: &mut Vec<(&'static str, String)>, field: &'static str, value: &str, what: &str) -> Option<Date> {
    match value.trim() {
        "" => {
            errors.push((field, format!("укажите {what}")));
            None
        }
        v => match v.parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push((field, format!("{what}: дата в виде ГГГГ-ММ-ДД")));
                None
            }
        },
    }
}

/// Checks a conclusion as the staff form sends it (`f` by field name); all problems at once.
pub fn check(f: &HashMap<String, String>, today: Date) -> Result<NewConclusion> {
    let get = |k: &str| f.get(k).map(|v| v.trim()).unwrap_or_default();
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let expert_kind = get("expert_kind");
    if !matches!(expert_kind, "person" | "organisation") {
        errors.push(("expert_kind", "укажите, кто эксперт: гражданин или организация".into()));
    }
    let expert_name = get("expert_name");
    if expert_name.is_empty() || expert_name.chars().count() > 500 {
        errors.push(("expert_name", "укажите фамилию, имя, отчество эксперта или наименование организации".into()));
    }
    let accreditation_number = get("accreditation_number");
    if accreditation_number.is_empty() || accreditation_number.chars().count() > 100 {
        errors.push((
            "accreditation_number",
            "укажите номер распоряжения Минюста России об аккредитации эксперта: без него заключение не принимается"
                .into(),
        ));
    }
    let accreditation_date =
        day(&mut errors, "accreditation_date", get("accreditation_date"), "дату распоряжения об аккредитации");
    let act_details = get("act_details");
    if act_details.is_empty() || act_details.chars().count() > 2000 {
        errors.push(("act_details", "укажите вид и наименование проекта акта, как в заключении".into()));
    }
    let received_on = day(&mut errors, "received_on", get("received_on"), "дату получения заключения");
    if received_on.is_some_and(|d| d > today) {
        errors.push(("received_on", "дата получения заключения не может быть позже сегодняшней".into()));
    }
    let codes: Vec<&str> = factors().into_iter().map(|(c, _)| c).collect();
    let mut findings = Vec::new();
    for i in 1..=FINDING_ROWS {
        let (unit, factor, provision, remedy) = (
            get(&format!("unit_{i}")),
            get(&format!("factor_{i}")),
            get(&format!("provision_{i}")),
            get(&format!("remedy_{i}")),
        );
        if [unit, factor, provision, remedy].iter().all(|v| v.is_empty()) {
            continue;
        }
        if unit.is_empty() || provision.is_empty() || remedy.is_empty() || !codes.contains(&factor) {
            errors.push((
                "findings",
                format!("строка {i}: укажите структурную единицу, коррупциогенный фактор из списка, положение и способ устранения"),
            ));
            continue;
        }
        if [unit, provision, remedy].iter().any(|v| v.chars().count() > 5000) {
            errors.push(("findings", format!("строка {i}: не длиннее 5000 символов в каждом поле")));
            continue;
        }
        findings.push(Finding {
            unit: unit.to_string(),
            factor: factor.to_string(),
            provision: provision.to_string(),
            remedy: remedy.to_string(),
        });
    }
    match (accreditation_date, received_on) {
        (Some(accreditation_date), Some(received_on)) if errors.is_empty() => Ok(NewConclusion {
            expert_kind: expert_kind.to_string(),
            expert_name: expert_name.to_string(),
            accreditation_number: accreditation_number.to_string(),
            accreditation_date,
            act_details: act_details.to_string(),
            received_on,
            findings,
        }),
        _ => Err(Error::Form(errors)),
    }
}

/// The term to answer a conclusion: 30 days from its receipt (172-FZ art. 5), a day off moved
/// as the portal's legal deadlines are (`deadline_day_off`).
pub fn answer_term(cal: &Calendar, received: Date, cfg: &Config) -> Result<deadlines::Computed> {
    let policy = DayOffPolicy::parse(&cfg.deadline_day_off).unwrap_or(DayOffPolicy::Preceding);
    cal.add(received, &Term::calendar_days(30, policy)).map_err(|e| Error::invalid("received_on", e.to_string()))
}

/// Stores a conclusion with its findings and its term; audited, on the timeline.
pub async fn add(
    db: &Db,
    actor: &Actor,
    now: i64,
    draft: &Draft,
    c: &NewConclusion,
    due: &deadlines::Computed,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO draft_conclusions (draft_id, expert_kind, expert_name, accreditation_number, accreditation_date, \
         act_details, received_on, answer_due, answer_due_ru, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10) RETURNING id",
    )
    .bind(draft.id)
    .bind(&c.expert_kind)
    .bind(&c.expert_name)
    .bind(&c.accreditation_number)
    .bind(c.accreditation_date.to_string())
    .bind(&c.act_details)
    .bind(c.received_on.to_string())
    .bind(due.date.to_string())
    .bind(due.explain_ru())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    for f in &c.findings {
        sqlx::query(
            "INSERT INTO draft_findings (conclusion_id, unit, factor, provision, remedy) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(&f.unit)
        .bind(&f.factor)
        .bind(&f.provision)
        .bind(&f.remedy)
        .execute(&mut *tx)
        .await?;
    }
    crate::store::event(&mut tx, draft.id, now, "conclusion", &c.expert_name).await?;
    let change = Change {
        action: "create",
        object_type: "draft_conclusion",
        object_id: id.to_string(),
        body_id: Some(draft.body_id),
        before: None,
        after: Some(serde_json::json!({
            "draft": draft.id, "expert": c.expert_name, "accreditation": c.accreditation_number,
            "received_on": c.received_on.to_string(), "findings": c.findings,
        })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// The body's reasoned answer to a conclusion, published with it; audited, on the timeline.
pub async fn answer(db: &Db, actor: &Actor, now: i64, draft: &Draft, c: &Conclusion, text: &str) -> Result<()> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 20_000 {
        return Err(Error::invalid("answer", "напишите мотивированный ответ на заключение (до 20 000 символов)"));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE draft_conclusions SET answer = $1, answered_at = $2 WHERE id = $3")
        .bind(text)
        .bind(now)
        .bind(c.id)
        .execute(&mut *tx)
        .await?;
    crate::store::event(&mut tx, draft.id, now, "answer", &c.expert_name).await?;
    let change = Change::update(
        "draft_conclusion",
        c.id,
        Some(draft.body_id),
        serde_json::json!({ "answer": c.answer }),
        serde_json::json!({ "answer": text }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

const COLUMNS: &str = "id, draft_id, expert_kind, expert_name, accreditation_number, accreditation_date, act_details, \
                       received_on, answer_due, answer_due_ru, answer, answered_at";

fn conclusion_row(r: &sqlx::any::AnyRow) -> Result<Conclusion> {
    Ok(Conclusion {
        id: r.try_get("id")?,
        draft_id: r.try_get("draft_id")?,
        expert_kind: r.try_get("expert_kind")?,
        expert_name: r.try_get("expert_name")?,
        accreditation_number: r.try_get("accreditation_number")?,
        accreditation_date: r.try_get("accreditation_date")?,
        act_details: r.try_get("act_details")?,
        received_on: r.try_get("received_on")?,
        answer_due: r.try_get("answer_due")?,
        answer_due_ru: r.try_get("answer_due_ru")?,
        answer: r.try_get("answer")?,
        answered_at: r.try_get("answered_at")?,
        findings: Vec::new(),
    })
}

/// A draft's conclusions with their findings, in the order received.
pub async fn for_draft(db: &Db, draft_id: i64) -> Result<Vec<Conclusion>> {
    let mut list = db
        .rows_by(
            format!("SELECT {COLUMNS} FROM draft_conclusions WHERE draft_id = $1 ORDER BY id"),
            draft_id,
            conclusion_row,
        )
        .await?;
    let findings: Vec<(i64, Finding)> = db
        .rows_by(
            "SELECT f.conclusion_id, f.unit, f.factor, f.provision, f.remedy FROM draft_findings f JOIN draft_conclusions c \
             ON c.id = f.conclusion_id WHERE c.draft_id = $1 ORDER BY f.id"
                .to_string(),
            draft_id,
            |r| {
                Ok((
                    r.try_get("conclusion_id")?,
                    Finding {
                        unit: r.try_get("unit")?,
                        factor: r.try_get("factor")?,
                        provision: r.try_get("provision")?,
                        remedy: r.try_get("remedy")?,
                    },
                ))
            },
        )
        .await?;
    for c in &mut list {
        c.findings = findings.iter().filter(|(id, _)| *id == c.id).map(|(_, f)| f.clone()).collect();
    }
    Ok(list)
}

/// A conclusion with its term to answer: its draft, body, the address conclusions go to, and when
/// it was answered, if it was.
#[derive(Clone, Debug)]
pub struct Waiting {
    pub id: i64,
    pub draft_id: i64,
    pub body_id: i64,
    pub title: String,
    pub expert_name: String,
    pub due: Date,
    pub email: String,
    pub answered_at: Option<i64>,
}

/// The conclusions the condition `filter` (on `c`, the conclusion; `$1` bound to `since` when
/// given) keeps, in the order `order`.
async fn with_terms(db: &Db, filter: &str, since: Option<String>, order: &str) -> Result<Vec<Waiting>> {
    let query = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT c.id, c.draft_id, d.body_id, d.title, c.expert_name, c.answer_due, d.expertise_email, c.answered_at \
         FROM draft_conclusions c JOIN drafts d ON d.id = c.draft_id WHERE {filter} ORDER BY {order}"
    )));
    let query = match since {
        Some(day) => query.bind(day),
        None => query,
    };
    let rows = query.fetch_all(&db.pool).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let due: String = r.try_get("answer_due")?;
        let Ok(due) = due.parse::<Date>() else { continue };
        out.push(Waiting {
            id: r.try_get("id")?,
            draft_id: r.try_get("draft_id")?,
            body_id: r.try_get("body_id")?,
            title: r.try_get("title")?,
            expert_name: r.try_get("expert_name")?,
            due,
            email: r.try_get("expertise_email")?,
            answered_at: r.try_get("answered_at")?,
        });
    }
    Ok(out)
}

/// Every conclusion received in the year before `today`, and every older one still unanswered
/// (the compliance engine's obligations).
pub async fn terms(db: &Db, today: Date) -> Result<Vec<Waiting>> {
    let year_ago = today.checked_sub(jiff::Span::new().days(366)).unwrap_or(today);
    with_terms(db, "(c.received_on >= $1 OR c.answer = '')", Some(year_ago.to_string()), "c.id").await
}

/// Every conclusion without an answer, nearest term first.
pub async fn waiting(db: &Db) -> Result<Vec<Waiting>> {
    with_terms(db, "c.answer = ''", None, "c.answer_due, c.id").await
}

/// E-mails the address conclusions go to, once per conclusion, `reminder_working_days` working
/// days before its term to answer (or at once when it is nearer).
pub async fn remind(db: &Db, cfg: &Config, now: i64) -> anyhow::Result<usize> {
    let tz = jiff::tz::TimeZone::get(&cfg.timezone)?;
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz).date();
    let cal = kernel::calendar::calendar(db, cfg).await?;
    let mut conn = db.pool.acquire().await?;
    let mut queued = 0;
    for w in waiting(db).await? {
        let Ok(first_after) = today.tomorrow() else { continue };
        if w.email.is_empty()
            || (w.due >= first_after && cal.working_days_between(first_after, w.due) > cfg.reminder_working_days)
        {
            continue;
        }
        let body = kernel::bodies::by_id(db, w.body_id).await?;
        let slug = body.as_ref().map(|b| b.slug.as_str()).unwrap_or_default();
        let letter = crate::mail::AnswerReminder {
            title: &w.title,
            expert: &w.expert_name,
            due: w.due.strftime("%d.%m.%Y").to_string(),
            link: format!("{}/staff/o/{slug}/drafts/{}#conclusions", cfg.public_url.trim_end_matches('/'), w.draft_id),
        };
        let mail = crate::mail::Letter::to(&letter, &w.email)?;
        if kernel::outbox::enqueue_email(&mut conn, now, &format!("conclusion-reminder:{}", w.id), &mail).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// A body's year of independent expertise, for its yearly report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub year: i16,
    /// Drafts published for expertise that year.
    pub published: usize,
    /// Conclusions received that year, those that found factors, and the findings.
    pub conclusions: usize,
    pub with_factors: usize,
    pub findings: usize,
    /// Findings per factor: (code, count), in the Methodology's order, factors found only.
    pub by_factor: Vec<(&'static str, usize)>,
    pub answered: usize,
    pub answered_in_term: usize,
    /// Conclusions without an answer whose term has passed.
    pub overdue: usize,
}

/// The year's figures of a body's expertise (`today` tells what is overdue).
pub async fn report(db: &Db, body_id: i64, year: i16, today: Date, tz: &jiff::tz::TimeZone) -> Result<Report> {
    let prefix = format!("{year:04}-");
    let drafts = crate::store::list(db, Some(body_id)).await?;
    let mut r = Report { year, ..Report::default() };
    r.published = drafts.iter().filter(|d| d.expertise_from.starts_with(&prefix)).count();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for d in &drafts {
        for c in for_draft(db, d.id).await?.into_iter().filter(|c| c.received_on.starts_with(&prefix)) {
            r.conclusions += 1;
            r.with_factors += usize::from(!c.findings.is_empty());
            r.findings += c.findings.len();
            for f in &c.findings {
                *counts.entry(f.factor.clone()).or_default() += 1;
            }
            let due = c.answer_due.parse::<Date>().ok();
            match c.answered_at {
                Some(at) => {
                    r.answered += 1;
                    let on = jiff::Timestamp::from_millisecond(at).map(|t| t.to_zoned(tz.clone()).date()).ok();
                    r.answered_in_term += usize::from(matches!((on, due), (Some(on), Some(due)) if on <= due));
                }
                None => r.overdue += usize::from(due.is_some_and(|due| due < today)),
            }
        }
    }
    r.by_factor = factors().into_iter().filter_map(|(code, _)| counts.get(code).map(|n| (code, *n))).collect();
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_methodology_s_twelve_factors() {
        let f = factors();
        assert_eq!(f.len(), 12);
        assert_eq!(f[0], ("3а", "широта дискреционных полномочий"));
        assert_eq!(f[11].0, "4в");
        assert_eq!(factor_name("3б"), "определение компетенции по формуле «вправе» (п. 3 «б» Методики)");
    }

    #[test]
    fn five_working_days_counting_the_day_of_publication() {
        let cal = Calendar::federal();
        // Thursday 30.04.2026: 30.04, 04.05, 05.05, 06.05, 07.05 (01–03.05 are days off).
        let (from, until, _) = window(&cal, "2026-04-30".parse().expect("date"), 5).expect("window");
        assert_eq!((from.to_string(), until.to_string()), ("2026-04-30".into(), "2026-05-07".into()));
    }

    #[test]
    fn a_conclusion_without_accreditation_is_refused_and_empty_rows_are_skipped() {
        let today: Date = "2026-03-10".parse().expect("date");
        let mut f: HashMap<String, String> = [
            ("expert_kind", "person"),
            ("expert_name", "Петров Пётр Петрович"),
            ("accreditation_number", ""),
            ("accreditation_date", ""),
            ("act_details", "проект приказа"),
            ("received_on", "2026-03-05"),
            ("unit_1", "статья 2"),
            ("factor_1", "3а"),
            ("provision_1", "«вправе отказать»"),
            ("remedy_1", "перечислить основания отказа"),
            ("unit_2", "статья 3"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let Err(Error::Form(errors)) = check(&f, today) else { panic!("refused") };
        let fields: Vec<&str> = errors.iter().map(|(k, _)| *k).collect();
        assert_eq!(fields, ["accreditation_number", "accreditation_date", "findings"]);
        f.insert("accreditation_number".into(), "1234-р".into());
        f.insert("accreditation_date".into(), "2024-01-15".into());
        f.remove("unit_2");
        let c = check(&f, today).expect("accepted");
        assert_eq!(c.findings.len(), 1);
        f.insert("received_on".into(), "2026-03-11".into());
        assert!(check(&f, today).is_err(), "received tomorrow");
    }
}
