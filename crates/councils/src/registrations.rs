//! Registration to attend a meeting (seed 000 §32): a citizen leaves a name and an address; the
//! e-mailed link confirms it, and the confirmed get a seat while seats last, then a place on the
//! waiting list — never a refusal, since the meeting is streamed for those the room cannot take.
//! A seat given up goes to the first on the waiting list. The day before, everyone confirmed is
//! reminded. Addresses are seen by the council's staff only and never published.

use kernel::Db;
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

use crate::mail::{Letter, Registered, Reminder, ToConfirm};
use crate::meetings::Meeting;

const MAX_NAME: usize = 200;

/// A registration as the public form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    pub full_name: String,
    pub email: String,
    pub consent: String,
    /// Left empty by people; robots fill it in.
    pub website: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Registration {
    pub id: i64,
    pub meeting_id: i64,
    pub full_name: String,
    pub email: String,
    /// unconfirmed, seat, waiting, cancelled
    pub status: String,
    pub created_at: i64,
}

fn row(r: &sqlx::any::AnyRow) -> Result<Registration> {
    Ok(Registration {
        id: r.try_get("id")?,
        meeting_id: r.try_get("meeting_id")?,
        full_name: r.try_get("full_name")?,
        email: r.try_get("email")?,
        status: r.try_get("status")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn of_meeting(db: &Db, meeting_id: i64) -> Result<Vec<Registration>> {
    db.rows_by(
        "SELECT id, meeting_id, full_name, email, status, created_at FROM council_registrations \
         WHERE meeting_id = $1 ORDER BY id"
            .to_string(),
        meeting_id,
        row,
    )
    .await
}

/// Seats taken and places on the waiting list.
pub fn counts(list: &[Registration]) -> (i64, i64) {
    let n = |s: &str| list.iter().filter(|r| r.status == s).count() as i64;
    (n("seat"), n("waiting"))
}

/// What a meeting's page says of it to someone who would register.
pub struct Where<'a> {
    pub meeting: &'a Meeting,
    /// The meeting's page, full address (letters link it).
    pub page: String,
    pub council: &'a str,
    /// When it starts, as people read it («17.12.2026, 15:00 (время томское)»).
    pub when: String,
}

/// A registration that passed its checks: the name and the address.
pub struct Checked {
    pub full_name: String,
    pub email: kernel::ids::Email,
}

/// Checks a registration; every problem at once.
pub fn check(now: i64, meeting: &Meeting, f: &RegisterForm) -> Result<Checked> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let name = f.full_name.trim();
    if name.is_empty() {
        errors.push(("full_name", "укажите фамилию, имя и отчество: их сверят на входе".into()));
    } else if name.chars().count() > MAX_NAME {
        errors.push(("full_name", format!("не длиннее {MAX_NAME} символов")));
    }
    let email = match f.email.trim() {
        "" => {
            errors.push(("email", "укажите адрес электронной почты: на него придёт ссылка для подтверждения".into()));
            None
        }
        e => match kernel::ids::Email::parse("email", e) {
            Ok(e) => Some(e),
            Err(err) => {
                errors.push(("email", err.to_string()));
                None
            }
        },
    };
    if f.consent != "1" {
        errors.push(("consent", "без согласия на обработку персональных данных запись не принять".into()));
    }
    if !meeting.registering(now) {
        errors.push(("full_name", "запись на это заседание закрыта".into()));
    }
    match email.filter(|_| errors.is_empty()) {
        Some(email) => Ok(Checked { full_name: name.to_string(), email }),
        None => Err(Error::Form(errors)),
    }
}

/// Stores a checked registration, queueing the letter with the link that confirms it; one per
/// address and meeting.
pub async fn register(db: &Db, now: i64, w: &Where<'_>, r: &Checked) -> Result<i64> {
    let (name, email) = (r.full_name.as_str(), &r.email);
    let mut tx = db.begin().await?;
    let taken: i64 = sqlx::query(
        "SELECT COUNT(*) FROM council_registrations WHERE meeting_id = $1 AND email = $2 AND status <> 'cancelled'",
    )
    .bind(w.meeting.id)
    .bind(email.as_str())
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    if taken > 0 {
        return Err(Error::invalid(
            "email",
            "с этого адреса уже есть запись на заседание: найдите письмо со ссылкой на неё",
        ));
    }
    let token = kernel::staff::random_token();
    let id: i64 = sqlx::query(
        "INSERT INTO council_registrations (meeting_id, full_name, email, token, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(w.meeting.id)
    .bind(name)
    .bind(email.as_str())
    .bind(kernel::staff::sha256_hex(&token))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let letter = ToConfirm { council: w.council, when: &w.when, link: format!("{}/r/{id}/{token}", w.page) };
    let mail = letter.to(email.as_str())?;
    kernel::outbox::enqueue_email(&mut tx, now, &format!("council-registration:{id}"), &mail).await?;
    tx.commit().await?;
    Ok(id)
}

/// The registration a link names, if its token is right.
pub async fn by_link(db: &Db, meeting_id: i64, id: i64, token: &str) -> Result<Option<Registration>> {
    let r = sqlx::query(
        "SELECT id, meeting_id, full_name, email, status, created_at FROM council_registrations \
         WHERE id = $1 AND meeting_id = $2 AND token = $3",
    )
    .bind(id)
    .bind(meeting_id)
    .bind(kernel::staff::sha256_hex(token))
    .fetch_optional(&db.pool)
    .await?;
    r.as_ref().map(row).transpose()
}

/// Takes the meeting's row for the rest of the transaction, so that two confirmations at once
/// cannot both take the last seat.
async fn hold(tx: &mut sqlx::Transaction<'_, sqlx::Any>, meeting_id: i64) -> Result<()> {
    sqlx::query("UPDATE council_meetings SET updated_at = updated_at WHERE id = $1")
        .bind(meeting_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn seats_taken(tx: &mut sqlx::Transaction<'_, sqlx::Any>, meeting_id: i64) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM council_registrations WHERE meeting_id = $1 AND status = 'seat'")
        .bind(meeting_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?)
}

/// Confirms a registration: a seat while seats last, else the waiting list; the letter says which.
/// Confirming again changes nothing. Returns the status.
pub async fn confirm(db: &Db, now: i64, w: &Where<'_>, r: &Registration) -> Result<String> {
    if r.status != "unconfirmed" {
        return Ok(r.status.clone());
    }
    let mut tx = db.begin().await?;
    hold(&mut tx, w.meeting.id).await?;
    let status = if seats_taken(&mut tx, w.meeting.id).await? < w.meeting.capacity { "seat" } else { "waiting" };
    let changed = sqlx::query(
        "UPDATE council_registrations SET status = $1, confirmed_at = $2 WHERE id = $3 AND status = 'unconfirmed'",
    )
    .bind(status)
    .bind(now)
    .bind(r.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(r.status.clone());
    }
    let letter =
        Registered { council: w.council, when: &w.when, seat: status == "seat", meeting: w.meeting, page: &w.page };
    kernel::outbox::enqueue_email(&mut tx, now, &format!("council-registered:{}", r.id), &letter.to(&r.email)?).await?;
    tx.commit().await?;
    Ok(status.to_string())
}

/// Gives up a registration; a seat given up goes to the first on the waiting list, who is told.
pub async fn cancel(db: &Db, now: i64, w: &Where<'_>, r: &Registration) -> Result<()> {
    if r.status == "cancelled" {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    hold(&mut tx, w.meeting.id).await?;
    sqlx::query("UPDATE council_registrations SET status = 'cancelled' WHERE id = $1")
        .bind(r.id)
        .execute(&mut *tx)
        .await?;
    if seats_taken(&mut tx, w.meeting.id).await? < w.meeting.capacity {
        let next = sqlx::query(
            "SELECT id, meeting_id, full_name, email, status, created_at FROM council_registrations \
             WHERE meeting_id = $1 AND status = 'waiting' ORDER BY confirmed_at, id LIMIT 1",
        )
        .bind(w.meeting.id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(next) = next.as_ref().map(row).transpose()? {
            sqlx::query("UPDATE council_registrations SET status = 'seat' WHERE id = $1")
                .bind(next.id)
                .execute(&mut *tx)
                .await?;
            let letter =
                Registered { council: w.council, when: &w.when, seat: true, meeting: w.meeting, page: &w.page };
            let key = format!("council-seat:{}", next.id);
            kernel::outbox::enqueue_email(&mut tx, now, &key, &letter.to(&next.email)?).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Reminds everyone confirmed of the meetings starting within a day, once each.
pub async fn remind(db: &Db, cfg: &kernel::Config, now: i64) -> Result<usize> {
    let tz = jiff::tz::TimeZone::get(&cfg.timezone).map_err(|e| Error::Internal(e.into()))?;
    let rows = sqlx::query(
        "SELECT m.id, c.name, c.body_id, b.slug FROM council_meetings m JOIN councils c ON c.id = m.council_id \
         JOIN bodies b ON b.id = c.body_id WHERE m.reminded = 0 AND m.status = 'announced' AND m.starts_at > $1 \
         AND m.starts_at <= $2",
    )
    .bind(now)
    .bind(now + 24 * 3_600_000)
    .fetch_all(&db.pool)
    .await?;
    let mut sent = 0;
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let Some(meeting) = crate::meetings::get(db, id).await? else { continue };
        let council: String = r.try_get("name")?;
        let slug: String = r.try_get("slug")?;
        let page = crate::http::public::meeting_url(&cfg.public_url, &slug, id);
        let when = crate::ical::when_ru(meeting.starts_at, &tz);
        let list = of_meeting(db, id).await?;
        let mut tx = db.begin().await?;
        let claimed = sqlx::query("UPDATE council_meetings SET reminded = 1 WHERE id = $1 AND reminded = 0")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if claimed == 0 {
            continue;
        }
        for reg in list.iter().filter(|x| x.status == "seat" || x.status == "waiting") {
            let letter =
                Reminder { council: &council, when: &when, seat: reg.status == "seat", meeting: &meeting, page: &page };
            let key = format!("council-reminder:{}", reg.id);
            kernel::outbox::enqueue_email(&mut tx, now, &key, &letter.to(&reg.email)?).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Cancels a meeting that has not begun, with its reason: shown on its page and in the feeds,
/// and written to everyone registered (a seat or the waiting list).
pub async fn cancel_meeting(
    db: &Db,
    actor: &kernel::audit::Actor,
    now: i64,
    w: &Where<'_>,
    body_id: i64,
    reason: &str,
) -> Result<()> {
    let reason = reason.trim();
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if w.meeting.status != "announced" {
        errors.push(("reason", "заседание уже отменено".into()));
    } else if w.meeting.held(now) {
        errors.push(("reason", "заседание уже началось: отменить можно только предстоящее".into()));
    }
    if reason.is_empty() {
        errors.push(("reason", "назовите причину отмены: её увидят на сайте и получат записавшиеся".into()));
    } else if reason.chars().count() > 2_000 {
        errors.push(("reason", "не длиннее 2000 символов".into()));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let list = of_meeting(db, w.meeting.id).await?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE council_meetings SET status = 'cancelled', cancel_reason = $1, updated_at = $2 WHERE id = $3 \
         AND status = 'announced'",
    )
    .bind(reason)
    .bind(now)
    .bind(w.meeting.id)
    .execute(&mut *tx)
    .await?;
    for r in list.iter().filter(|r| r.status == "seat" || r.status == "waiting") {
        let letter = crate::mail::MeetingCancelled { council: w.council, when: &w.when, reason, page: &w.page };
        let key = format!("council-cancelled:{}", r.id);
        kernel::outbox::enqueue_email(&mut tx, now, &key, &letter.to(&r.email)?).await?;
    }
    let change = kernel::audit::Change::update(
        "council_meeting",
        w.meeting.id,
        Some(body_id),
        serde_json::json!({ "status": w.meeting.status }),
        serde_json::json!({ "status": "cancelled", "cancel_reason": reason }),
    );
    kernel::audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}
