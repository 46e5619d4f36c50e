//! Personal reception by the body's leadership (seed 000 §8): staff publish the times an official
//! receives (where, how long, how many people); a citizen books a place, the place is taken in
//! the same statement that checks one is free (two people never get the last one), and the
//! confirmation goes by e-mail through the outbox. A full time is refused with the next one that
//! has a place. Bookings hold personal data: only the body's reception staff read them.

use kernel::audit::{self, Actor, Change};
use kernel::mail::OutgoingEmail;
use kernel::{Db, Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// Limits of a slot.
pub const CAPACITY_MAX: i64 = 200;
pub const MINUTES_MAX: i64 = 480;

/// A time an official receives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub id: i64,
    pub body_id: i64,
    pub official: String,
    /// Local 'YYYY-MM-DDTHH:MM'.
    pub starts_at: String,
    pub minutes: i64,
    pub place: String,
    pub capacity: i64,
    pub booked: i64,
}

impl Slot {
    pub fn free(&self) -> i64 {
        (self.capacity - self.booked).max(0)
    }

    /// «12.12.2026 в 10:00».
    pub fn when(&self) -> String {
        self.when_in(shell::i18n::Lang::Ru)
    }

    /// «12.12.2026 в 10:00», in English «12.12.2026 10:00».
    pub fn when_in(&self, lang: shell::i18n::Lang) -> String {
        let format = if lang == shell::i18n::Lang::Ru { "%d.%m.%Y в %H:%M" } else { "%d.%m.%Y %H:%M" };
        match self.starts_at.parse::<jiff::civil::DateTime>() {
            Ok(t) => t.strftime(format).to_string(),
            Err(_) => self.starts_at.clone(),
        }
    }
}

fn slot_of(r: &sqlx::any::AnyRow) -> Result<Slot> {
    Ok(Slot {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        official: r.try_get("official")?,
        starts_at: r.try_get("starts_at")?,
        minutes: r.try_get("minutes")?,
        place: r.try_get("place")?,
        capacity: r.try_get("capacity")?,
        booked: r.try_get("booked")?,
    })
}

const SLOT: &str =
    "SELECT id, body_id, official, starts_at, minutes, place, capacity, booked FROM site_reception_slots";

/// The body's times from `from` (local 'YYYY-MM-DDTHH:MM') on, soonest first.
pub async fn upcoming(db: &Db, body_id: i64, from: &str) -> Result<Vec<Slot>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SLOT} WHERE body_id = $1 AND starts_at >= $2 AND cancelled_at IS NULL ORDER BY starts_at, id LIMIT 200"
    )))
    .bind(body_id)
    .bind(from)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(slot_of).collect()
}

pub async fn slot(db: &Db, body_id: i64, id: i64) -> Result<Option<Slot>> {
    let row =
        sqlx::query(sqlx::AssertSqlSafe(format!("{SLOT} WHERE id = $1 AND body_id = $2 AND cancelled_at IS NULL")))
            .bind(id)
            .bind(body_id)
            .fetch_optional(&db.pool)
            .await?;
    row.as_ref().map(slot_of).transpose()
}

/// A time as staff fill it in.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SlotForm {
    pub official: String,
    pub starts_at: String,
    pub minutes: String,
    pub place: String,
    pub capacity: String,
}

/// Publishes a time, checked whole; it must be later than `now_local`. Audited.
pub async fn add_slot(
    db: &Db,
    actor: &Actor,
    now: i64,
    now_local: jiff::civil::DateTime,
    body_id: i64,
    f: &SlotForm,
) -> Result<i64> {
    let mut errors: Vec<(&'static str, String)> = vec![];
    let official = f.official.split_whitespace().collect::<Vec<_>>().join(" ");
    if official.is_empty() || official.chars().count() > 200 {
        errors.push(("official", "укажите, кто ведёт приём: должность, фамилия и инициалы (до 200 знаков)".into()));
    }
    let place = f.place.split_whitespace().collect::<Vec<_>>().join(" ");
    if place.is_empty() || place.chars().count() > 300 {
        errors.push(("place", "укажите, где идёт приём: адрес и кабинет (до 300 знаков)".into()));
    }
    let starts = f.starts_at.trim().parse::<jiff::civil::DateTime>();
    match &starts {
        Ok(t) if *t <= now_local => errors.push(("starts_at", "это время уже прошло: укажите будущее".into())),
        Ok(_) => {}
        Err(_) => errors.push(("starts_at", "укажите дату и время приёма".into())),
    }
    let number = |field: &'static str, v: &str, max: i64, what: &str, errors: &mut Vec<(&'static str, String)>| match v
        .trim()
        .parse::<i64>()
    {
        Ok(n) if (1..=max).contains(&n) => n,
        _ => {
            errors.push((field, format!("{what}: целое число от 1 до {max}")));
            0
        }
    };
    let minutes = number("minutes", &f.minutes, MINUTES_MAX, "продолжительность в минутах", &mut errors);
    let capacity = number("capacity", &f.capacity, CAPACITY_MAX, "число мест", &mut errors);
    let Ok(starts) = starts else { return Err(Error::Form(errors)) };
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let starts_at = starts.strftime("%Y-%m-%dT%H:%M").to_string();
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO site_reception_slots (body_id, official, starts_at, minutes, place, capacity, user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(body_id)
    .bind(&official)
    .bind(&starts_at)
    .bind(minutes)
    .bind(&place)
    .bind(capacity)
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: "create",
        object_type: "site_reception_slot",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: Some(serde_json::json!({
            "official": official, "starts_at": starts_at, "minutes": minutes, "place": place, "capacity": capacity,
        })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// A booking as a citizen fills it in.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct BookingForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub topic: String,
    pub consent: String,
    /// Left empty by people; robots fill it in.
    pub website: String,
}

/// A booking as the reception staff see it.
#[derive(Clone, Debug, Serialize)]
pub struct Booking {
    pub id: i64,
    pub slot_id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub topic: String,
    pub created_at: i64,
}

/// What became of a booking.
#[derive(Debug)]
pub enum Booked {
    Done(i64),
    /// Every place was taken; the next time of the same official with a place, if any.
    Full(Option<Slot>),
}

fn check_booking(f: &BookingForm) -> Result<BookingForm> {
    let mut errors: Vec<(&'static str, String)> = vec![];
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = one_line(&f.name);
    if name.is_empty() {
        errors.push(("name", "укажите фамилию, имя и отчество (при наличии)".into()));
    } else if name.chars().count() > 200 {
        errors.push(("name", "имя длиннее 200 знаков".into()));
    }
    let email = match kernel::ids::Email::parse("email", f.email.trim()) {
        Ok(e) => e.as_str().to_string(),
        Err(_) => {
            errors.push(("email", format!("«{}» не похож на адрес электронной почты", f.email.trim())));
            String::new()
        }
    };
    let phone = one_line(&f.phone);
    if phone.chars().count() > 40 {
        errors.push(("phone", "телефон длиннее 40 знаков".into()));
    }
    let topic = f.topic.trim().to_string();
    if topic.is_empty() {
        errors.push(("topic", "коротко напишите, с каким вопросом вы придёте".into()));
    } else if topic.chars().count() > 2000 {
        errors.push(("topic", "вопрос длиннее 2000 знаков".into()));
    }
    if f.consent != "1" {
        errors.push(("consent", "без согласия на обработку персональных данных записать на приём нельзя".into()));
    }
    if errors.is_empty() {
        Ok(BookingForm { name, email, phone, topic, consent: f.consent.clone(), website: String::new() })
    } else {
        Err(Error::Form(errors))
    }
}

/// Books a place at `slot` (a time of `body`, later than `now_local`), and queues its
/// confirmation; a full time gives the next one of the same official that has a place.
pub async fn book(
    db: &Db,
    now: i64,
    now_local: &str,
    (body_name, slot, cancel_base): (&str, &Slot, &str),
    f: &BookingForm,
) -> Result<Booked> {
    let f = check_booking(f)?;
    if slot.starts_at.as_str() <= now_local {
        return Err(Error::invalid("topic", "это время приёма уже прошло: выберите другое"));
    }
    let mut tx = db.begin().await?;
    let taken = sqlx::query(
        "UPDATE site_reception_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity AND cancelled_at IS NULL",
    )
        .bind(slot.id)
        .execute(&mut *tx)
        .await?;
    if taken.rows_affected() != 1 {
        tx.rollback().await?;
        let next = upcoming(db, slot.body_id, now_local)
            .await?
            .into_iter()
            .find(|s| s.id != slot.id && s.official == slot.official && s.free() > 0);
        return Ok(Booked::Full(next));
    }
    // The link that cancels the booking: only its hash is kept.
    let token = kernel::staff::random_token();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO site_reception_bookings (slot_id, name, email, phone, topic, created_at, token_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(slot.id)
    .bind(&f.name)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(&f.topic)
    .bind(now)
    .bind(kernel::staff::sha256_hex(&token))
    .fetch_one(&mut *tx)
    .await?;
    let letter = OutgoingEmail {
        to: f.email.clone(),
        html: None,
        headers: Vec::new(),
        subject: format!("Запись на личный приём: {}", slot.when()),
        text: format!(
            "Здравствуйте, {}!\n\nВы записаны на личный приём.\n\nКто принимает: {}\nОрган: {body_name}\nКогда: {}\nГде: {}\nВаш вопрос: {}\n\nВозьмите с собой документ, удостоверяющий личность.\n\nЕсли не сможете прийти, отмените запись, чтобы место досталось другому: {cancel_base}{token}\n",
            f.name,
            slot.official,
            slot.when(),
            slot.place,
            f.topic
        ),
    };
    kernel::outbox::enqueue_email(&mut tx, now, &format!("reception-booking:{id}"), &letter).await?;
    tx.commit().await?;
    Ok(Booked::Done(id))
}

/// The bookings of these times, in the order they came.
pub async fn bookings(db: &Db, body_id: i64, from: &str) -> Result<Vec<Booking>> {
    let rows = sqlx::query(
        "SELECT b.id, b.slot_id, b.name, b.email, b.phone, b.topic, b.created_at FROM site_reception_bookings b \
         JOIN site_reception_slots s ON s.id = b.slot_id WHERE s.body_id = $1 AND s.starts_at >= $2 \
         AND b.cancelled_at IS NULL AND s.cancelled_at IS NULL ORDER BY b.id",
    )
    .bind(body_id)
    .bind(from)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Booking {
                id: r.try_get("id")?,
                slot_id: r.try_get("slot_id")?,
                name: r.try_get("name")?,
                email: r.try_get("email")?,
                phone: r.try_get("phone")?,
                topic: r.try_get("topic")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// The time a booking (by its link's token) is for, while the booking stands.
pub async fn booked_slot(db: &Db, token: &str) -> Result<Option<Slot>> {
    let sql = "SELECT s.id, s.body_id, s.official, s.starts_at, s.minutes, s.place, s.capacity, s.booked \
               FROM site_reception_bookings b JOIN site_reception_slots s ON s.id = b.slot_id \
               WHERE b.token_hash = $1 AND b.cancelled_at IS NULL AND s.cancelled_at IS NULL";
    let row = sqlx::query(sql).bind(kernel::staff::sha256_hex(token)).fetch_optional(&db.pool).await?;
    row.as_ref().map(slot_of).transpose()
}

/// A citizen cancels their booking by its link: the place is free again (audited, without who).
/// None when the link is unknown or the booking was already cancelled.
pub async fn cancel_booking(db: &Db, now: i64, token: &str) -> Result<Option<Slot>> {
    let Some(slot) = booked_slot(db, token).await? else { return Ok(None) };
    let mut tx = db.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "UPDATE site_reception_bookings SET cancelled_at = $1 WHERE token_hash = $2 AND cancelled_at IS NULL RETURNING id",
    )
    .bind(now)
    .bind(kernel::staff::sha256_hex(token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        tx.rollback().await?;
        return Ok(None);
    };
    sqlx::query("UPDATE site_reception_slots SET booked = booked - 1 WHERE id = $1 AND booked > 0")
        .bind(slot.id)
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: "cancel",
        object_type: "site_reception_booking",
        object_id: id.to_string(),
        body_id: Some(slot.body_id),
        before: None,
        after: Some(serde_json::json!({ "slot": slot.id, "by": "the citizen, by the link in their letter" })),
    };
    audit::record(&mut tx, &Actor::system("citizen"), now, change).await?;
    tx.commit().await?;
    Ok(Some(slot))
}

/// Staff cancel a time with a reason: it leaves the lists, and everyone booked is told by e-mail
/// (once each). Returns how many were told. Audited.
pub async fn cancel_slot(
    db: &Db,
    actor: &Actor,
    now: i64,
    (body_id, body_name): (i64, &str),
    slot_id: i64,
    reason: &str,
) -> Result<usize> {
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(Error::invalid(
            "reason",
            "напишите, почему приём отменён (до 1000 знаков): это узнают записавшиеся",
        ));
    }
    let slot = slot(db, body_id, slot_id).await?.ok_or(Error::NotFound("время приёма"))?;
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE site_reception_slots SET cancelled_at = $1, cancel_reason = $2 \
         WHERE id = $3 AND body_id = $4 AND cancelled_at IS NULL",
    )
    .bind(now)
    .bind(&reason)
    .bind(slot_id)
    .bind(body_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        tx.rollback().await?;
        return Err(Error::NotFound("время приёма"));
    }
    let booked =
        sqlx::query("SELECT id, name, email FROM site_reception_bookings WHERE slot_id = $1 AND cancelled_at IS NULL")
            .bind(slot_id)
            .fetch_all(&mut *tx)
            .await?;
    for r in &booked {
        let (id, name, email): (i64, String, String) = (r.try_get("id")?, r.try_get("name")?, r.try_get("email")?);
        let letter = OutgoingEmail {
            to: email,
            html: None,
            headers: Vec::new(),
            subject: format!("Личный приём {} отменён", slot.when()),
            text: format!(
                "Здравствуйте, {name}!\n\nЛичный приём, на который вы записаны, отменён.\n\nКто принимал: {}\nОрган: {body_name}\nКогда: {}\nПричина: {reason}\n\nЗапишитесь на другое время на сайте органа или напишите обращение.\n",
                slot.official,
                slot.when(),
            ),
        };
        kernel::outbox::enqueue_email(&mut tx, now, &format!("reception-cancelled:{id}"), &letter).await?;
    }
    let change = Change {
        action: "cancel",
        object_type: "site_reception_slot",
        object_id: slot_id.to_string(),
        body_id: Some(body_id),
        before: Some(serde_json::json!({ "starts_at": slot.starts_at, "booked": slot.booked })),
        after: Some(serde_json::json!({ "reason": reason, "told": booked.len() })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(booked.len())
}
