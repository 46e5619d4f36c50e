//! The experts database and the open selection of candidates to a council (seed 000 §30). The
//! database is public except personal data: an expert's competences, affiliation and
//! participation always, the name only with consent (152-FZ art. 10.1). A call for candidates
//! names its requirements and its last day; applications with their documents are taken until
//! the end of that day; then the result is published with its grounds and the names of those
//! selected (applicants consent to that when they apply).

use deadlines::Date;
use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::Row;

const MAX_LINE: usize = 300;
const MAX_TEXT: usize = 20_000;
/// The most documents one application carries.
pub const MAX_FILES: usize = 5;

#[derive(Clone, Debug, Serialize)]
pub struct Expert {
    pub id: i64,
    pub body_id: i64,
    #[serde(skip)]
    pub full_name: String,
    pub competences: String,
    pub affiliation: String,
    pub consent: bool,
    #[serde(skip)]
    pub email: String,
    pub participation: String,
    pub updated_at: i64,
}

impl Expert {
    /// The name as the public sees it: only with consent.
    pub fn public_name(&self) -> Option<&str> {
        self.consent.then_some(self.full_name.as_str())
    }
}

pub async fn experts(db: &Db, body_id: i64) -> Result<Vec<Expert>> {
    db.rows_by(
        "SELECT id, body_id, full_name, competences, affiliation, consent, email, participation, updated_at \
         FROM council_experts WHERE body_id = $1 ORDER BY full_name, id"
            .to_string(),
        body_id,
        |r| {
            Ok(Expert {
                id: r.try_get("id")?,
                body_id: r.try_get("body_id")?,
                full_name: r.try_get("full_name")?,
                competences: r.try_get("competences")?,
                affiliation: r.try_get("affiliation")?,
                consent: r.try_get::<i64, _>("consent")? == 1,
                email: r.try_get("email")?,
                participation: r.try_get("participation")?,
                updated_at: r.try_get("updated_at")?,
            })
        },
    )
    .await
}

/// An expert as the staff form sends it (a new one, or one changed).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ExpertForm {
    pub full_name: String,
    pub competences: String,
    pub affiliation: String,
    pub consent: String,
    pub email: String,
    pub participation: String,
}

fn check_expert(f: &ExpertForm) -> Result<ExpertForm> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if f.full_name.trim().is_empty() {
        errors.push(("full_name", "укажите фамилию, имя и отчество эксперта".into()));
    }
    if f.competences.trim().is_empty() {
        errors.push(("competences", "перечислите компетенции: по ним эксперта находят".into()));
    }
    let email = f.email.trim();
    if !email.is_empty()
        && let Err(e) = kernel::ids::Email::parse("email", email)
    {
        errors.push(("email", e.to_string()));
    }
    for (field, value, most) in [
        ("full_name", &f.full_name, MAX_LINE),
        ("affiliation", &f.affiliation, MAX_LINE),
        ("competences", &f.competences, MAX_TEXT),
        ("participation", &f.participation, MAX_TEXT),
    ] {
        if value.trim().chars().count() > most {
            errors.push((field, format!("не длиннее {most} символов")));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    Ok(ExpertForm {
        full_name: f.full_name.trim().into(),
        competences: f.competences.trim().into(),
        affiliation: f.affiliation.trim().into(),
        consent: if f.consent == "1" { "1".into() } else { String::new() },
        email: email.to_lowercase(),
        participation: f.participation.trim().into(),
    })
}

/// Adds an expert (`id` None) or changes one; audited.
pub async fn save_expert(
    db: &Db,
    actor: &Actor,
    now: i64,
    body_id: i64,
    id: Option<&Expert>,
    f: &ExpertForm,
) -> Result<i64> {
    let e = check_expert(f)?;
    let consent = i64::from(e.consent == "1");
    let mut tx = db.begin().await?;
    let (saved, before) = match id {
        None => {
            let id: i64 = sqlx::query(
                "INSERT INTO council_experts (body_id, full_name, competences, affiliation, consent, email, \
                 participation, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
            )
            .bind(body_id)
            .bind(&e.full_name)
            .bind(&e.competences)
            .bind(&e.affiliation)
            .bind(consent)
            .bind(&e.email)
            .bind(&e.participation)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            (id, None)
        }
        Some(old) => {
            sqlx::query(
                "UPDATE council_experts SET full_name = $1, competences = $2, affiliation = $3, consent = $4, \
                 email = $5, participation = $6, updated_at = $7 WHERE id = $8",
            )
            .bind(&e.full_name)
            .bind(&e.competences)
            .bind(&e.affiliation)
            .bind(consent)
            .bind(&e.email)
            .bind(&e.participation)
            .bind(now)
            .bind(old.id)
            .execute(&mut *tx)
            .await?;
            (old.id, audit::snapshot(old))
        }
    };
    let change = Change {
        action: if before.is_some() { "update" } else { "create" },
        object_type: "council_expert",
        object_id: saved.to_string(),
        body_id: Some(body_id),
        before,
        after: audit::snapshot(&e),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(saved)
}

#[derive(Clone, Debug, Serialize)]
pub struct Call {
    pub id: i64,
    pub council_id: i64,
    pub title: String,
    pub requirements: String,
    pub deadline_on: String,
    pub result: String,
    pub decided_at: Option<i64>,
    pub created_at: i64,
}

impl Call {
    /// The last day of applications as people write it.
    pub fn last_day(&self) -> String {
        self.deadline_on.parse::<Date>().map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default()
    }

    /// Applications are taken through the end of the last day.
    pub fn open(&self, today: Date) -> bool {
        self.decided_at.is_none() && self.deadline_on.parse::<Date>().is_ok_and(|d| today <= d)
    }
}

const CALL: &str = "id, council_id, title, requirements, deadline_on, result, decided_at, created_at";

fn call_row(r: &sqlx::any::AnyRow) -> Result<Call> {
    Ok(Call {
        id: r.try_get("id")?,
        council_id: r.try_get("council_id")?,
        title: r.try_get("title")?,
        requirements: r.try_get("requirements")?,
        deadline_on: r.try_get("deadline_on")?,
        result: r.try_get("result")?,
        decided_at: r.try_get("decided_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn call(db: &Db, id: i64) -> Result<Option<Call>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {CALL} FROM council_calls WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(call_row).transpose()
}

/// Calls of every council of a body with their council's name, the latest first.
pub async fn calls_of_body(db: &Db, body_id: i64) -> Result<Vec<(Call, String)>> {
    let columns = CALL.split(", ").map(|c| format!("k.{c}")).collect::<Vec<_>>().join(", ");
    db.rows_by(
        format!(
            "SELECT {columns}, c.name AS council_name FROM council_calls k JOIN councils c ON c.id = k.council_id \
             WHERE c.body_id = $1 ORDER BY k.id DESC"
        ),
        body_id,
        |r| Ok((call_row(r)?, r.try_get("council_name")?)),
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CallForm {
    /// The council's id.
    pub council: String,
    pub title: String,
    pub requirements: String,
    pub deadline_on: String,
}

/// Announces a call for candidates; its last day not before today.
pub async fn announce_call(
    db: &Db,
    actor: &Actor,
    (now, today): (i64, Date),
    council: &crate::store::Council,
    f: &CallForm,
) -> Result<i64> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if f.title.trim().is_empty() {
        errors.push(("title", "назовите отбор: например, «Отбор кандидатов в состав общественного совета»".into()));
    }
    if f.requirements.trim().is_empty() {
        errors
            .push(("requirements", "перечислите требования к кандидатам и документы, которые нужно приложить".into()));
    }
    let deadline = crate::store::day(&f.deadline_on);
    match deadline {
        None => errors.push(("deadline_on", "укажите последний день приёма заявлений в виде ДД.ММ.ГГГГ".into())),
        Some(d) if d < today => {
            errors.push(("deadline_on", "последний день приёма не может быть раньше сегодняшнего".into()))
        }
        Some(_) => {}
    }
    if f.title.trim().chars().count() > MAX_LINE || f.requirements.trim().chars().count() > MAX_TEXT {
        errors.push(("requirements", format!("название — до {MAX_LINE} символов, требования — до {MAX_TEXT}")));
    }
    let Some(deadline) = deadline.filter(|_| errors.is_empty()) else {
        return Err(Error::Form(errors));
    };
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO council_calls (council_id, title, requirements, deadline_on, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(council.id)
    .bind(f.title.trim())
    .bind(f.requirements.trim())
    .bind(deadline.to_string())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let change = Change {
        action: "create",
        object_type: "council_call",
        object_id: id.to_string(),
        body_id: Some(council.body_id),
        before: None,
        after: audit::snapshot(f),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// A document attached to an application, in storage.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Attached {
    pub key: String,
    pub name: String,
    pub size: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Application {
    pub id: i64,
    pub call_id: i64,
    pub full_name: String,
    #[serde(skip)]
    pub email: String,
    pub about: String,
    pub files: Vec<Attached>,
    /// received, selected, not_selected
    pub status: String,
    pub created_at: i64,
}

pub async fn applications(db: &Db, call_id: i64) -> Result<Vec<Application>> {
    db.rows_by(
        "SELECT id, call_id, full_name, email, about, files, status, created_at FROM council_applications \
         WHERE call_id = $1 ORDER BY id"
            .to_string(),
        call_id,
        |r| {
            let files: String = r.try_get("files")?;
            Ok(Application {
                id: r.try_get("id")?,
                call_id: r.try_get("call_id")?,
                full_name: r.try_get("full_name")?,
                email: r.try_get("email")?,
                about: r.try_get("about")?,
                files: serde_json::from_str(&files).map_err(|e| Error::Internal(e.into()))?,
                status: r.try_get("status")?,
                created_at: r.try_get("created_at")?,
            })
        },
    )
    .await
}

/// An application as the public form sends it (its documents come apart).
#[derive(Clone, Debug, Default)]
pub struct ApplyForm {
    pub full_name: String,
    pub email: String,
    pub about: String,
    pub consent: String,
}

/// A checked application: the name, the address, what the candidate says of themselves.
pub struct Applied {
    pub full_name: String,
    pub email: kernel::ids::Email,
    pub about: String,
}

/// Checks an application: the call open, the fields, the consent, at least one document.
pub fn check_application(today: Date, call: &Call, f: &ApplyForm, documents: usize) -> Result<Applied> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if !call.open(today) {
        errors.push(("full_name", "приём заявлений закончился".into()));
    }
    let name = f.full_name.trim();
    if name.is_empty() {
        errors.push(("full_name", "укажите фамилию, имя и отчество".into()));
    } else if name.chars().count() > MAX_LINE {
        errors.push(("full_name", format!("не длиннее {MAX_LINE} символов")));
    }
    let email = match f.email.trim() {
        "" => {
            errors.push(("email", "укажите адрес электронной почты: на него сообщат итог отбора".into()));
            None
        }
        e => kernel::ids::Email::parse("email", e).map_err(|e| errors.push(("email", e.to_string()))).ok(),
    };
    let about = f.about.trim();
    if about.is_empty() {
        errors.push(("about", "расскажите о себе: опыт, образование, почему хотите войти в совет".into()));
    } else if about.chars().count() > MAX_TEXT {
        errors.push(("about", format!("не длиннее {MAX_TEXT} символов")));
    }
    if documents == 0 {
        errors.push(("documents", "приложите документы, которые требует отбор".into()));
    } else if documents > MAX_FILES {
        errors.push(("documents", format!("не больше {MAX_FILES} файлов")));
    }
    if f.consent != "1" {
        errors.push((
            "consent",
            "без согласия на обработку персональных данных (и на публикацию ФИО, если вас отберут) заявление не принять"
                .into(),
        ));
    }
    match email {
        Some(email) if errors.is_empty() => Ok(Applied { full_name: name.into(), email, about: about.into() }),
        _ => Err(Error::Form(errors)),
    }
}

/// Stores an application whose documents are already in storage.
pub async fn apply(db: &Db, now: i64, call: &Call, a: &Applied, files: &[Attached]) -> Result<i64> {
    let files = serde_json::to_string(files).map_err(|e| Error::Internal(e.into()))?;
    Ok(sqlx::query(
        "INSERT INTO council_applications (call_id, full_name, email, about, files, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(call.id)
    .bind(&a.full_name)
    .bind(a.email.as_str())
    .bind(&a.about)
    .bind(files)
    .bind(now)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?)
}

/// Publishes the result after the last day: who is selected, and the grounds; every applicant
/// is written to.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    (now, today): (i64, Date),
    (body_id, page): (i64, &str),
    call: &Call,
    (selected, grounds): (&[i64], &str),
) -> Result<()> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if call.open(today) {
        errors.push(("result", format!("итог публикуется после последнего дня приёма ({})", call.last_day())));
    }
    if call.decided_at.is_some() {
        errors.push(("result", "итог этого отбора уже опубликован".into()));
    }
    let grounds = grounds.trim();
    if grounds.is_empty() {
        errors.push(("result", "изложите основания решения: по каким критериям отобраны кандидаты".into()));
    } else if grounds.chars().count() > MAX_TEXT {
        errors.push(("result", format!("не длиннее {MAX_TEXT} символов")));
    }
    let list = applications(db, call.id).await?;
    if selected.iter().any(|id| !list.iter().any(|a| a.id == *id)) {
        errors.push(("result", "отмечено заявление не из этого отбора".into()));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    for a in &list {
        let chosen = selected.contains(&a.id);
        sqlx::query("UPDATE council_applications SET status = $1 WHERE id = $2")
            .bind(if chosen { "selected" } else { "not_selected" })
            .bind(a.id)
            .execute(&mut *tx)
            .await?;
        let letter = crate::mail::Selection { title: &call.title, selected: chosen, page };
        let key = format!("council-selection:{}", a.id);
        kernel::outbox::enqueue_email(&mut tx, now, &key, &crate::mail::Letter::to(&letter, &a.email)?).await?;
    }
    sqlx::query("UPDATE council_calls SET result = $1, decided_at = $2 WHERE id = $3")
        .bind(grounds)
        .bind(now)
        .bind(call.id)
        .execute(&mut *tx)
        .await?;
    let change = Change::update(
        "council_call",
        call.id,
        Some(body_id),
        serde_json::json!({ "result": "" }),
        serde_json::json!({ "result": grounds, "selected": selected }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a_call(deadline: &str) -> Call {
        Call {
            id: 1,
            council_id: 1,
            title: "Отбор".into(),
            requirements: "Требования".into(),
            deadline_on: deadline.into(),
            result: String::new(),
            decided_at: None,
            created_at: 0,
        }
    }

    #[test]
    fn applications_are_taken_through_the_end_of_the_last_day() {
        let call = a_call("2026-12-20");
        assert!(call.open(Date::constant(2026, 12, 20)));
        assert!(!call.open(Date::constant(2026, 12, 21)));
        let f = ApplyForm {
            full_name: "Иванов".into(),
            email: "ivanov@example.org".into(),
            about: "Юрист".into(),
            consent: "1".into(),
        };
        assert!(check_application(Date::constant(2026, 12, 20), &call, &f, 1).is_ok());
        match check_application(Date::constant(2026, 12, 21), &call, &f, 0) {
            Err(Error::Form(list)) => {
                assert_eq!(list.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["full_name", "documents"])
            }
            other => panic!("{:?}", other.err()),
        }
    }

    #[test]
    fn an_expert_is_named_only_with_consent() {
        let e = check_expert(&ExpertForm {
            full_name: "Орлова Н.В.".into(),
            competences: "право".into(),
            ..ExpertForm::default()
        })
        .expect("checked");
        assert_eq!(e.consent, "");
        match check_expert(&ExpertForm { email: "почта".into(), ..ExpertForm::default() }) {
            Err(Error::Form(list)) => {
                assert_eq!(list.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["full_name", "competences", "email"])
            }
            other => panic!("{other:?}"),
        }
    }
}
