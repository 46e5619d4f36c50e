//! A body's reference groups (seed 000 §29): the organisations, associations and social groups
//! whose interests the body's decisions touch, each with the questions worked on with it, the
//! channels used, whom in the body it belongs to, and the work done, on a public register.
//! Anyone may propose a group; the body lists it or answers why not, and the author is told.

use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

use crate::mail::{GroupAnswer, Letter};

const MAX_LINE: usize = 300;
const MAX_TEXT: usize = 10_000;

#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub id: i64,
    pub body_id: i64,
    pub name: String,
    pub about: String,
    pub questions: String,
    pub channels: String,
    pub responsible: String,
    /// listed, proposed, rejected
    pub status: String,
    pub reason: String,
    /// Who proposed it: seen by staff only.
    #[serde(skip)]
    pub email: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const GROUP: &str =
    "id, body_id, name, about, questions, channels, responsible, status, reason, email, created_at, updated_at";

fn group_row(r: &sqlx::any::AnyRow) -> Result<Group> {
    Ok(Group {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        name: r.try_get("name")?,
        about: r.try_get("about")?,
        questions: r.try_get("questions")?,
        channels: r.try_get("channels")?,
        responsible: r.try_get("responsible")?,
        status: r.try_get("status")?,
        reason: r.try_get("reason")?,
        email: r.try_get("email")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// A body's groups, every status, by name.
pub async fn of_body(db: &Db, body_id: i64) -> Result<Vec<Group>> {
    db.rows_by(
        format!("SELECT {GROUP} FROM council_reference_groups WHERE body_id = $1 ORDER BY name, id"),
        body_id,
        group_row,
    )
    .await
}

/// One entry of the work done with a group.
#[derive(Clone, Debug, Serialize)]
pub struct Work {
    pub group_id: i64,
    pub done_on: String,
    pub text: String,
}

/// The work done with a body's groups, the latest first.
pub async fn work_of_body(db: &Db, body_id: i64) -> Result<Vec<Work>> {
    db.rows_by(
        "SELECT w.group_id, w.done_on, w.text FROM council_reference_work w JOIN council_reference_groups g \
         ON g.id = w.group_id WHERE g.body_id = $1 ORDER BY w.done_on DESC, w.id DESC"
            .to_string(),
        body_id,
        |r| Ok(Work { group_id: r.try_get("group_id")?, done_on: r.try_get("done_on")?, text: r.try_get("text")? }),
    )
    .await
}

/// A group as the staff form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct GroupForm {
    pub name: String,
    pub about: String,
    pub questions: String,
    pub channels: String,
    pub responsible: String,
}

fn check_card(f: &GroupForm, errors: &mut Vec<(&'static str, String)>) {
    if f.name.trim().is_empty() {
        errors.push(("name", "назовите группу: организацию, объединение или социальную группу".into()));
    }
    for (field, value, most) in [
        ("name", &f.name, MAX_LINE),
        ("responsible", &f.responsible, MAX_LINE),
        ("about", &f.about, MAX_TEXT),
        ("questions", &f.questions, MAX_TEXT),
        ("channels", &f.channels, MAX_TEXT),
    ] {
        if value.trim().chars().count() > most {
            errors.push((field, format!("не длиннее {most} символов")));
        }
    }
}

fn trimmed(f: &GroupForm) -> GroupForm {
    GroupForm {
        name: f.name.trim().into(),
        about: f.about.trim().into(),
        questions: f.questions.trim().into(),
        channels: f.channels.trim().into(),
        responsible: f.responsible.trim().into(),
    }
}

/// Checks a group the body lists: besides its name, whom in the body it belongs to (§29).
pub fn check(f: &GroupForm) -> Result<GroupForm> {
    let mut errors = Vec::new();
    check_card(f, &mut errors);
    if f.responsible.trim().is_empty() {
        errors.push(("responsible", "укажите сотрудника, ответственного за работу с группой (п. 29)".into()));
    }
    if errors.is_empty() { Ok(trimmed(f)) } else { Err(Error::Form(errors)) }
}

/// Lists a group on the register.
pub async fn create(db: &Db, actor: &Actor, now: i64, body_id: i64, g: &GroupForm) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO council_reference_groups (body_id, name, about, questions, channels, responsible, status, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'listed', $7, $7) RETURNING id",
    )
    .bind(body_id)
    .bind(&g.name)
    .bind(&g.about)
    .bind(&g.questions)
    .bind(&g.channels)
    .bind(&g.responsible)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let change = Change {
        action: "create",
        object_type: "council_reference_group",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: audit::snapshot(g),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// What a moderator decides on a proposed group, or how a listed one changes: its card, and
/// for a proposal, list or reject (with a reason the author is sent).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Decision {
    #[serde(flatten)]
    pub card: GroupForm,
    /// list, reject; empty: keep the status (a listed group edited)
    pub decision: String,
    pub reason: String,
}

/// Edits a group; a proposal is listed (with the card as corrected) or rejected, and its author
/// told. `page` is the register's full address, for the letter.
pub async fn decide(db: &Db, actor: &Actor, now: i64, page: &str, g: &Group, d: &Decision) -> Result<()> {
    let rejecting = d.decision == "reject";
    let status = match (g.status.as_str(), d.decision.as_str()) {
        ("proposed", "list") => "listed",
        ("proposed", "reject") => "rejected",
        ("proposed", _) => return Err(Error::invalid("decision", "выберите: внести в перечень или отклонить")),
        (s, "") => s,
        _ => return Err(Error::invalid("decision", "предложение уже рассмотрено")),
    };
    let card = if rejecting {
        if d.reason.trim().is_empty() {
            return Err(Error::invalid("reason", "назовите причину отказа: её получит автор предложения"));
        }
        trimmed(&GroupForm { name: g.name.clone(), ..d.card.clone() })
    } else {
        check(&d.card)?
    };
    let reason = if rejecting { d.reason.trim() } else { "" };
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE council_reference_groups SET name = $1, about = $2, questions = $3, channels = $4, \
         responsible = $5, status = $6, reason = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&card.name)
    .bind(&card.about)
    .bind(&card.questions)
    .bind(&card.channels)
    .bind(&card.responsible)
    .bind(status)
    .bind(reason)
    .bind(now)
    .bind(g.id)
    .execute(&mut *tx)
    .await?;
    if g.status == "proposed" && !g.email.is_empty() {
        let letter = GroupAnswer { name: &g.name, listed: status == "listed", reason, page };
        let key = format!("reference-group:{}", g.id);
        kernel::outbox::enqueue_email(&mut tx, now, &key, &letter.to(&g.email)?).await?;
    }
    let change = Change::update(
        "council_reference_group",
        g.id,
        Some(g.body_id),
        serde_json::json!({ "status": g.status, "name": g.name, "responsible": g.responsible }),
        serde_json::json!({ "status": status, "card": card, "reason": reason }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// A group proposed through the public form.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProposeForm {
    pub name: String,
    pub about: String,
    pub questions: String,
    pub email: String,
    pub consent: String,
    pub website: String,
}

/// A checked proposal.
pub struct Proposal {
    pub card: GroupForm,
    pub email: kernel::ids::Email,
}

pub fn check_proposal(f: &ProposeForm) -> Result<Proposal> {
    let card = GroupForm {
        name: f.name.clone(),
        about: f.about.clone(),
        questions: f.questions.clone(),
        ..GroupForm::default()
    };
    let mut errors = Vec::new();
    check_card(&card, &mut errors);
    if f.about.trim().is_empty() {
        errors.push(("about", "опишите, кого объединяет группа и чьи интересы представляет".into()));
    }
    let email = match f.email.trim() {
        "" => {
            errors.push(("email", "укажите адрес электронной почты: на него придёт ответ".into()));
            None
        }
        e => kernel::ids::Email::parse("email", e).map_err(|e| errors.push(("email", e.to_string()))).ok(),
    };
    if f.consent != "1" {
        errors.push(("consent", "без согласия на обработку персональных данных предложение не принять".into()));
    }
    match email {
        Some(email) if errors.is_empty() => Ok(Proposal { card: trimmed(&card), email }),
        _ => Err(Error::Form(errors)),
    }
}

pub async fn propose(db: &Db, now: i64, body_id: i64, p: &Proposal) -> Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO council_reference_groups (body_id, name, about, questions, status, email, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $6) RETURNING id",
    )
    .bind(body_id)
    .bind(&p.card.name)
    .bind(&p.card.about)
    .bind(&p.card.questions)
    .bind(p.email.as_str())
    .bind(now)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?)
}

/// Work done with a group, as the staff form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct WorkForm {
    pub done_on: String,
    pub text: String,
}

/// Publishes an entry of the work done with a listed group, on a day not after today.
pub async fn add_work(
    db: &Db,
    actor: &Actor,
    (now, today): (i64, deadlines::Date),
    g: &Group,
    f: &WorkForm,
) -> Result<()> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let day = crate::store::day(&f.done_on);
    match day {
        None => errors.push(("done_on", "укажите дату в виде ДД.ММ.ГГГГ".into())),
        Some(d) if d > today => errors.push(("done_on", "дата не может быть позже сегодняшнего дня".into())),
        Some(_) => {}
    }
    let text = f.text.trim();
    if text.is_empty() {
        errors.push(("text", "опишите, что сделано: обсуждение, встреча, опрос, их итог".into()));
    } else if text.chars().count() > MAX_TEXT {
        errors.push(("text", format!("не длиннее {MAX_TEXT} символов")));
    }
    if g.status != "listed" {
        errors.push(("text", "работа публикуется по группам из перечня".into()));
    }
    let Some(day) = day.filter(|_| errors.is_empty()) else {
        return Err(Error::Form(errors));
    };
    let mut tx = db.begin().await?;
    sqlx::query("INSERT INTO council_reference_work (group_id, done_on, text, created_at) VALUES ($1, $2, $3, $4)")
        .bind(g.id)
        .bind(day.to_string())
        .bind(text)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: "create",
        object_type: "council_reference_work",
        object_id: g.id.to_string(),
        body_id: Some(g.body_id),
        before: None,
        after: Some(serde_json::json!({ "done_on": day.to_string(), "text": text })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_group_names_whom_in_the_body_it_belongs_to() {
        let f = GroupForm { name: " Союз пенсионеров ".into(), ..GroupForm::default() };
        match check(&f) {
            Err(Error::Form(list)) => assert_eq!(list.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["responsible"]),
            other => panic!("{other:?}"),
        }
        let f = GroupForm { responsible: "Иванова И.И., консультант".into(), ..f };
        assert_eq!(check(&f).expect("checked").name, "Союз пенсионеров");
    }

    #[test]
    fn a_proposal_needs_who_the_group_is_an_address_and_consent() {
        let f =
            ProposeForm {
                name: "Родители детей-инвалидов".into(), email: "почта".into(), ..ProposeForm::default()
            };
        match check_proposal(&f) {
            Err(Error::Form(list)) => {
                assert_eq!(list.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["about", "email", "consent"])
            }
            Ok(_) => panic!("accepted"),
            Err(e) => panic!("{e}"),
        }
    }
}
