//! The topic of a conference put to citizens' vote: the ballot, votes counted once confirmed by
//! their link and once per address, the results hidden until the close; topics proposed by
//! citizens and the moderation shared with questions.

use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::mail::OutgoingEmail;
use serde::Serialize;
use sqlx::Row;

use super::{Conference, MAX_LINE, MAX_TEXT};
use crate::mail::{Letter, Moderated, VoteToConfirm};

/// A topic: on the ballot, proposed and awaiting moderation, or rejected with its reason.
#[derive(Clone, Debug, Serialize)]
pub struct Topic {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub reason: String,
    /// Who proposed it ('' for the body's own): seen by staff only.
    #[serde(skip)]
    pub email: String,
    /// Counted votes.
    pub votes: i64,
}

/// A conference's topics in order, each with its counted votes.
pub async fn topics(db: &Db, conference_id: i64) -> Result<Vec<Topic>> {
    db.rows_by(
        "SELECT t.id, t.title, t.status, t.reason, t.email, \
         (SELECT COUNT(*) FROM council_conference_votes v WHERE v.topic_id = t.id AND v.status = 'counted') AS votes \
         FROM council_conference_topics t WHERE t.conference_id = $1 ORDER BY t.id"
            .to_string(),
        conference_id,
        |r| {
            Ok(Topic {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                status: r.try_get("status")?,
                reason: r.try_get("reason")?,
                email: r.try_get("email")?,
                votes: r.try_get("votes")?,
            })
        },
    )
    .await
}

/// The results once the vote closed: the topics on the ballot, most votes first.
pub fn results(c: &Conference, topics: &[Topic], now: i64) -> Option<Vec<Topic>> {
    if !c.results_shown(now) {
        return None;
    }
    let mut on = topics.iter().filter(|t| t.status == "open").cloned().collect::<Vec<_>>();
    on.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.id.cmp(&b.id)));
    Some(on)
}

/// What a letter about a conference names: the conference, its page, when it starts.
pub struct About<'a> {
    pub conference: &'a Conference,
    /// The conference's page, full address.
    pub page: String,
    pub when: String,
}

/// A vote as the public form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct VoteForm {
    pub topic: String,
    pub vote_email: String,
    pub vote_consent: String,
    pub website: String,
}

pub(super) fn email_of(
    (field, value): (&'static str, &str),
    errors: &mut Vec<(&'static str, String)>,
    why: &str,
) -> Option<kernel::ids::Email> {
    match value.trim() {
        "" => {
            errors.push((field, format!("укажите адрес электронной почты: {why}")));
            None
        }
        e => match kernel::ids::Email::parse(field, e) {
            Ok(e) => Some(e),
            Err(err) => {
                errors.push(("email", err.to_string()));
                None
            }
        },
    }
}

pub(super) fn consent((field, value): (&'static str, &str), errors: &mut Vec<(&'static str, String)>) {
    if value != "1" {
        errors.push((field, "без согласия на обработку персональных данных форму не принять".into()));
    }
}

/// Checks a vote: the topic on the ballot, the address, the consent, the vote open.
pub fn check_vote(now: i64, c: &Conference, topics: &[Topic], f: &VoteForm) -> Result<(i64, kernel::ids::Email)> {
    let mut errors = Vec::new();
    if !c.voting(now) {
        errors.push(("topic", "голосование за тему этой конференции закрыто".into()));
    }
    let topic =
        f.topic.trim().parse::<i64>().ok().filter(|id| topics.iter().any(|t| t.id == *id && t.status == "open"));
    if topic.is_none() {
        errors.push(("topic", "выберите тему из списка".into()));
    }
    let email =
        email_of(("vote_email", &f.vote_email), &mut errors, "на него придёт ссылка, которой голос подтверждается");
    consent(("vote_consent", &f.vote_consent), &mut errors);
    match (topic, email) {
        (Some(t), Some(e)) if errors.is_empty() => Ok((t, e)),
        _ => Err(Error::Form(errors)),
    }
}

const VOTED: &str = "с этого адреса голос уже подтверждён: в одном голосовании засчитывается один голос с адреса";

async fn counted_for(db: &Db, conference_id: i64, email: &str) -> Result<bool> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) FROM council_conference_votes WHERE conference_id = $1 AND email = $2 AND status = 'counted'",
    )
    .bind(conference_id)
    .bind(email)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?;
    Ok(n > 0)
}

/// Stores a vote to be confirmed and queues the letter with its link; an address whose vote is
/// counted already is refused.
pub async fn vote(db: &Db, now: i64, a: &About<'_>, topic: i64, email: &kernel::ids::Email) -> Result<i64> {
    if counted_for(db, a.conference.id, email.as_str()).await? {
        return Err(Error::invalid("vote_email", VOTED));
    }
    let token = kernel::staff::random_token();
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO council_conference_votes (conference_id, topic_id, email, token, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(a.conference.id)
    .bind(topic)
    .bind(email.as_str())
    .bind(kernel::staff::sha256_hex(&token))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let letter = VoteToConfirm { title: &a.conference.title, link: format!("{}/v/{id}/{token}", a.page) };
    kernel::outbox::enqueue_email(&mut tx, now, &format!("conference-vote:{id}"), &letter.to(email.as_str())?).await?;
    tx.commit().await?;
    Ok(id)
}

/// A vote as its link finds it.
#[derive(Clone, Debug)]
pub struct Vote {
    pub id: i64,
    pub topic_id: i64,
    pub email: String,
    pub status: String,
}

pub async fn vote_by_link(db: &Db, conference_id: i64, id: i64, token: &str) -> Result<Option<Vote>> {
    let r = sqlx::query(
        "SELECT id, topic_id, email, status FROM council_conference_votes WHERE id = $1 AND conference_id = $2 \
         AND token = $3",
    )
    .bind(id)
    .bind(conference_id)
    .bind(kernel::staff::sha256_hex(token))
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| {
        Ok(Vote {
            id: r.try_get("id")?,
            topic_id: r.try_get("topic_id")?,
            email: r.try_get("email")?,
            status: r.try_get("status")?,
        })
    })
    .transpose()
}

/// What became of a confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmed {
    Counted,
    /// The address had a counted vote already: this one is not counted.
    Refused,
    /// The vote closed before the link was opened.
    Closed,
}

/// Confirms a vote by its link: counted unless the address's vote is counted already (the
/// database's unique index decides between two confirmations at once).
pub async fn confirm_vote(db: &Db, now: i64, c: &Conference, v: &Vote) -> Result<Confirmed> {
    match v.status.as_str() {
        "counted" => return Ok(Confirmed::Counted),
        "refused" => return Ok(Confirmed::Refused),
        _ => {}
    }
    if !c.voting(now) {
        return Ok(Confirmed::Closed);
    }
    let counted = sqlx::query(
        "UPDATE council_conference_votes SET status = 'counted', confirmed_at = $1 WHERE id = $2 \
         AND status = 'unconfirmed'",
    )
    .bind(now)
    .bind(v.id)
    .execute(&db.pool)
    .await
    .map_err(kernel::error::on_unique("vote_email", VOTED));
    match counted {
        Ok(_) => Ok(Confirmed::Counted),
        Err(Error::Conflict { .. }) => {
            sqlx::query("UPDATE council_conference_votes SET status = 'refused' WHERE id = $1")
                .bind(v.id)
                .execute(&db.pool)
                .await?;
            Ok(Confirmed::Refused)
        }
        Err(e) => Err(e),
    }
}

/// Confirmed votes so far: the only figure staff see before the vote closes.
pub async fn votes_counted(db: &Db, conference_id: i64) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM council_conference_votes WHERE conference_id = $1 AND status = 'counted'")
        .bind(conference_id)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?)
}

/// A topic proposed by a citizen.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProposeForm {
    pub proposal: String,
    pub proposal_email: String,
    pub proposal_consent: String,
    pub website: String,
}

pub fn check_proposal(now: i64, c: &Conference, f: &ProposeForm) -> Result<(String, kernel::ids::Email)> {
    let mut errors = Vec::new();
    if !c.voting(now) {
        errors.push(("proposal", "голосование закрыто: новые темы не принимаются".into()));
    }
    let title = f.proposal.trim();
    if title.is_empty() {
        errors.push(("proposal", "впишите тему, которую предлагаете".into()));
    } else if title.chars().count() > MAX_LINE {
        errors.push(("proposal", format!("тема — не длиннее {MAX_LINE} символов")));
    }
    let email = email_of(("proposal_email", &f.proposal_email), &mut errors, "на него придёт ответ модератора");
    consent(("proposal_consent", &f.proposal_consent), &mut errors);
    match email {
        Some(e) if errors.is_empty() => Ok((title.to_string(), e)),
        _ => Err(Error::Form(errors)),
    }
}

pub async fn propose(db: &Db, now: i64, c: &Conference, (title, email): &(String, kernel::ids::Email)) -> Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO council_conference_topics (conference_id, title, status, email, created_at) \
         VALUES ($1, $2, 'proposed', $3, $4) RETURNING id",
    )
    .bind(c.id)
    .bind(title)
    .bind(email.as_str())
    .bind(now)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?)
}

/// A moderator's answer to a proposed topic or a question: accepted, or rejected with a reason.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct Moderation {
    /// accept, reject
    pub decision: String,
    pub reason: String,
}

fn check_moderation(m: &Moderation) -> Result<bool> {
    match (m.decision.as_str(), m.reason.trim()) {
        ("accept", _) => Ok(true),
        ("reject", "") => Err(Error::invalid("reason", "назовите причину отказа: её получит автор")),
        ("reject", r) if r.chars().count() > MAX_TEXT => Err(Error::invalid("reason", "причина слишком длинная")),
        ("reject", _) => Ok(false),
        _ => Err(Error::invalid("decision", "выберите: принять или отклонить")),
    }
}

/// What one moderation changes: the row, its table and audit name, and the statuses it moves
/// between.
pub(super) struct Decided<'a> {
    pub(super) table: &'static str,
    pub(super) object: &'static str,
    pub(super) id: i64,
    /// The status it must have (awaiting moderation), and the one it has.
    pub(super) waiting: &'static str,
    pub(super) was: &'a str,
    /// The status for accepted, and for rejected.
    pub(super) to: (&'static str, &'static str),
    /// What the author is sent, if anything: (idempotency key, letter).
    pub(super) letter: Option<(String, OutgoingEmail)>,
}

pub(super) async fn decide(
    db: &Db,
    actor: &Actor,
    now: i64,
    body_id: i64,
    d: Decided<'_>,
    m: &Moderation,
) -> Result<()> {
    let accepted = check_moderation(m)?;
    if d.was != d.waiting {
        return Err(Error::invalid("decision", "уже рассмотрено"));
    }
    let status = if accepted { d.to.0 } else { d.to.1 };
    let reason = if accepted { "" } else { m.reason.trim() };
    let mut tx = db.begin().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE {} SET status = $1, reason = $2 WHERE id = $3", d.table)))
        .bind(status)
        .bind(reason)
        .bind(d.id)
        .execute(&mut *tx)
        .await?;
    if let Some((key, mail)) = &d.letter {
        kernel::outbox::enqueue_email(&mut tx, now, key, mail).await?;
    }
    let change = Change::update(
        d.object,
        d.id,
        Some(body_id),
        serde_json::json!({ "status": d.was }),
        serde_json::json!({ "status": status, "reason": reason }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Puts a proposed topic on the ballot or rejects it; the author is told either way.
pub async fn moderate_topic(db: &Db, actor: &Actor, now: i64, a: &About<'_>, t: &Topic, m: &Moderation) -> Result<()> {
    let accepted = m.decision == "accept";
    let reason = m.reason.trim();
    let letter = Moderated { topic: true, text: &t.title, title: &a.conference.title, accepted, reason, page: &a.page };
    let d = Decided {
        table: "council_conference_topics",
        object: "council_conference_topic",
        id: t.id,
        waiting: "proposed",
        was: &t.status,
        to: ("open", "rejected"),
        letter: Some((format!("conference-topic:{}", t.id), letter.to(&t.email)?)),
    };
    decide(db, actor, now, a.conference.body_id, d, m).await
}
