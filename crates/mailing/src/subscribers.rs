//! Subscribers (seed 000 §40 в–е): a request to subscribe names an address, topics, bodies and how
//! often digests come; it takes effect only when the link sent to the address is opened and
//! confirmed (double opt-in), the link used once and before it expires. The consent — its text
//! and version, when it was asked and given — is kept (152-FZ art. 9). Each subscriber has a
//! secret address of their preferences page, from which they change what they get or leave; every
//! letter carries it and the one-click unsubscribe (RFC 8058).

use std::collections::BTreeSet;

use kernel::Db;
use kernel::error::{Error, Result};
use kernel::ids::Email;
use kernel::staff::{random_token, sha256_hex};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::topics::{FREQUENCIES, known};

/// The consent asked for on the form; its version is recorded with each consent given.
pub const CONSENT_VERSION: &str = "2026-12";

/// The consent's words in the language it was asked in, naming the portal as the operator of the
/// mailing (§40 2 а).
pub fn consent_text(operator: &str, lang: &str) -> String {
    if lang == "en" {
        return format!(
            "I consent to the mailing's operator «{operator}» processing my e-mail address (collecting, \
             recording, storing, using, deleting it) to send me the mailing I chose. The address is not passed \
             on and never published. The consent lasts until I unsubscribe, which I may do at any time by the \
             link in every letter."
        );
    }
    format!(
        "Я даю согласие оператору рассылки «{operator}» на обработку адреса моей электронной почты \
         (сбор, запись, хранение, использование, удаление) для отправки мне выбранной рассылки. \
         Адрес не передаётся третьим лицам и не публикуется. Согласие действует до отказа от рассылки; \
         отказаться можно в любой момент по ссылке в каждом письме."
    )
}

/// What someone asks for: topics, bodies (none: every body), frequency, language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Wish {
    pub topics: Vec<String>,
    pub bodies: Vec<i64>,
    pub frequency: String,
    pub lang: String,
}

/// The subscription form as sent: repeated `topic` and `body` fields.
#[derive(Clone, Debug, Default)]
pub struct SubscribeForm {
    pub email: String,
    pub topics: Vec<String>,
    pub bodies: Vec<String>,
    pub frequency: String,
    pub consent: String,
    /// Left empty by people; robots fill it in.
    pub website: String,
}

impl SubscribeForm {
    /// Reads a form body (`application/x-www-form-urlencoded`), keeping every repeated value.
    pub fn parse(body: &[u8]) -> SubscribeForm {
        let mut f = SubscribeForm::default();
        for (k, v) in url::form_urlencoded::parse(body) {
            let v = v.into_owned();
            match k.as_ref() {
                "email" => f.email = v,
                "topic" => f.topics.push(v),
                "body" => f.bodies.push(v),
                "frequency" => f.frequency = v,
                "consent" => f.consent = v,
                "website" => f.website = v,
                _ => {}
            }
        }
        f
    }
}

/// Checks topics, bodies and frequency against what exists; every problem at once into `errors`.
pub fn check_wish(
    topics: &[String],
    bodies: &[String],
    frequency: &str,
    lang: &str,
    body_ids: &dyn Fn(&str) -> Option<i64>,
    errors: &mut Vec<(&'static str, String)>,
) -> Wish {
    let topics: BTreeSet<String> = topics.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
    if topics.is_empty() {
        errors.push(("topic", "выберите хотя бы одну тему рассылки".into()));
    } else if let Some(t) = topics.iter().find(|t| !known(t)) {
        errors.push(("topic", format!("такой темы рассылки нет: «{}»", t.chars().take(40).collect::<String>())));
    }
    let mut ids = BTreeSet::new();
    for b in bodies.iter().map(|b| b.trim()).filter(|b| !b.is_empty()) {
        match body_ids(b) {
            Some(id) => {
                ids.insert(id);
            }
            None => errors.push(("body", "такого органа на портале нет: обновите страницу и выберите снова".into())),
        }
    }
    if !FREQUENCIES.contains(&frequency) {
        errors.push(("frequency", "выберите, как часто присылать письма".into()));
    }
    Wish {
        topics: topics.into_iter().collect(),
        bodies: ids.into_iter().collect(),
        frequency: frequency.to_string(),
        lang: if lang == "en" { "en".into() } else { "ru".into() },
    }
}

/// A request that passed its checks.
pub struct Checked {
    pub email: Email,
    pub wish: Wish,
}

pub fn check(f: &SubscribeForm, lang: &str, body_ids: &dyn Fn(&str) -> Option<i64>) -> Result<Checked> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let email = match f.email.trim() {
        "" => {
            errors.push(("email", "укажите адрес электронной почты: на него придёт ссылка для подтверждения".into()));
            None
        }
        e => match Email::parse("email", e) {
            Ok(e) => Some(e),
            Err(err) => {
                errors.push(("email", err.to_string()));
                None
            }
        },
    };
    let wish = check_wish(&f.topics, &f.bodies, &f.frequency, lang, body_ids, &mut errors);
    if f.consent != "1" {
        errors.push(("consent", "без согласия на обработку адреса рассылку не отправить".into()));
    }
    match email.filter(|_| errors.is_empty()) {
        Some(email) => Ok(Checked { email, wish }),
        None => Err(Error::Form(errors)),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Subscriber {
    pub id: i64,
    pub email: String,
    pub lang: String,
    pub frequency: String,
    pub status: String,
    pub manage_token: String,
    pub reason: String,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
    pub changed_at: i64,
}

const COLUMNS: &str = "id, email, lang, frequency, status, manage_token, reason, created_at, confirmed_at, changed_at";

fn row(r: &sqlx::any::AnyRow) -> Result<Subscriber> {
    Ok(Subscriber {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        lang: r.try_get("lang")?,
        frequency: r.try_get("frequency")?,
        status: r.try_get("status")?,
        manage_token: r.try_get("manage_token")?,
        reason: r.try_get("reason")?,
        created_at: r.try_get("created_at")?,
        confirmed_at: r.try_get("confirmed_at")?,
        changed_at: r.try_get("changed_at")?,
    })
}

pub async fn by_token(db: &Db, token: &str) -> Result<Option<Subscriber>> {
    if token.len() != 64 {
        return Ok(None);
    }
    let r =
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM mailing_subscribers WHERE manage_token = $1")))
            .bind(token)
            .fetch_optional(&db.pool)
            .await?;
    r.as_ref().map(row).transpose()
}

/// A subscriber's topics with their bodies (0: every body).
pub async fn interests(db: &Db, id: i64) -> Result<Vec<(String, i64)>> {
    let rows =
        sqlx::query("SELECT topic, body_id FROM mailing_interests WHERE subscriber_id = $1 ORDER BY topic, body_id")
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
    rows.iter().map(|r| Ok((r.try_get("topic")?, r.try_get("body_id")?))).collect()
}

/// A subscriber's wish as the preferences form shows it.
pub fn wish_of(s: &Subscriber, interests: &[(String, i64)]) -> Wish {
    let topics: BTreeSet<String> = interests.iter().map(|(t, _)| t.clone()).collect();
    let bodies: BTreeSet<i64> = interests.iter().map(|(_, b)| *b).filter(|b| *b != 0).collect();
    Wish {
        topics: topics.into_iter().collect(),
        bodies: bodies.into_iter().collect(),
        frequency: s.frequency.clone(),
        lang: s.lang.clone(),
    }
}

pub(crate) async fn event(
    tx: &mut sqlx::AnyConnection,
    subscriber: i64,
    kind: &str,
    detail: &str,
    at: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO mailing_events (subscriber_id, kind, detail, at) VALUES ($1, $2, $3, $4)")
        .bind(subscriber)
        .bind(kind)
        .bind(detail)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

async fn set_interests(tx: &mut sqlx::AnyConnection, id: i64, wish: &Wish) -> Result<()> {
    sqlx::query("DELETE FROM mailing_interests WHERE subscriber_id = $1").bind(id).execute(&mut *tx).await?;
    let bodies: Vec<i64> = if wish.bodies.is_empty() { vec![0] } else { wish.bodies.clone() };
    for t in &wish.topics {
        for b in &bodies {
            sqlx::query("INSERT INTO mailing_interests (subscriber_id, topic, body_id) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(t)
                .bind(*b)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// What a request to subscribe led to, for the letter it sends.
pub enum Asked {
    /// A new or not yet confirmed subscription: the link that confirms it.
    Confirm { token: String },
    /// The address already gets the mailing: its preferences page instead (a request by someone
    /// else changes nothing of what it gets).
    Already { manage_token: String },
}

/// The letter a request to subscribe sends, made from what the request led to: its idempotency
/// key and the e-mail.
pub type AskLetter<'a> = &'a (dyn Fn(&Asked) -> Result<(String, kernel::mail::OutgoingEmail)> + Sync);

/// Stores a request to subscribe: a subscriber (pending until confirmed) and the confirmation
/// waiting for its link, with the wish applied when it is confirmed; the letter `letter` makes of
/// it is queued in the same transaction, so a request is never kept without its letter.
pub async fn ask(
    db: &Db,
    now: i64,
    expires_hours: i64,
    c: &Checked,
    from: &str,
    letter: AskLetter<'_>,
) -> Result<Asked> {
    let mut tx = db.begin().await?;
    let existing = sqlx::query("SELECT id, status, manage_token FROM mailing_subscribers WHERE email = $1")
        .bind(c.email.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let id = match existing {
        Some(r) => {
            let (id, status, manage): (i64, String, String) =
                (r.try_get("id")?, r.try_get("status")?, r.try_get("manage_token")?);
            if status == "active" {
                let asked = Asked::Already { manage_token: manage };
                let (key, email) = letter(&asked)?;
                kernel::outbox::enqueue_email(&mut tx, now, &key, &email).await?;
                tx.commit().await?;
                return Ok(asked);
            }
            id
        }
        None => sqlx::query(
            "INSERT INTO mailing_subscribers (email, lang, frequency, status, manage_token, created_at, changed_at) \
             VALUES ($1, $2, $3, 'pending', $4, $5, $5) RETURNING id",
        )
        .bind(c.email.as_str())
        .bind(&c.wish.lang)
        .bind(&c.wish.frequency)
        .bind(random_token())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?,
    };
    let token = random_token();
    let request = serde_json::to_string(&c.wish).map_err(|e| Error::Internal(e.into()))?;
    sqlx::query(
        "INSERT INTO mailing_confirmations (subscriber_id, token_hash, request, consent_version, asked_from, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(sha256_hex(&token))
    .bind(request)
    .bind(CONSENT_VERSION)
    .bind(from)
    .bind(now)
    .bind(now + expires_hours * 3_600_000)
    .execute(&mut *tx)
    .await?;
    event(&mut tx, id, "subscribed", "", now).await?;
    let asked = Asked::Confirm { token };
    let (key, email) = letter(&asked)?;
    kernel::outbox::enqueue_email(&mut tx, now, &key, &email).await?;
    tx.commit().await?;
    Ok(asked)
}

/// A confirmation link as it stands.
pub enum Link {
    /// Valid: confirming it applies this wish.
    Valid {
        wish: Wish,
        email: String,
    },
    Used,
    Expired,
    Unknown,
}

async fn link_row(db: &Db, token: &str) -> Result<Option<sqlx::any::AnyRow>> {
    Ok(sqlx::query(
        "SELECT c.id, c.subscriber_id, c.request, c.consent_version, c.asked_from, c.created_at, c.expires_at, \
         c.used_at, s.email FROM mailing_confirmations c JOIN mailing_subscribers s ON s.id = c.subscriber_id \
         WHERE c.token_hash = $1",
    )
    .bind(sha256_hex(token))
    .fetch_optional(&db.pool)
    .await?)
}

pub async fn link(db: &Db, now: i64, token: &str) -> Result<Link> {
    let Some(r) = link_row(db, token).await? else { return Ok(Link::Unknown) };
    let used: Option<i64> = r.try_get("used_at")?;
    let expires: i64 = r.try_get("expires_at")?;
    if used.is_some() {
        return Ok(Link::Used);
    }
    if expires < now {
        return Ok(Link::Expired);
    }
    let request: String = r.try_get("request")?;
    let wish = serde_json::from_str(&request).map_err(|e| Error::Internal(e.into()))?;
    Ok(Link::Valid { wish, email: r.try_get("email")? })
}

/// Confirms a subscription by its link: the subscriber becomes active with what was asked, and
/// the consent is recorded. Returns the subscriber's secret of their preferences page.
pub async fn confirm(db: &Db, now: i64, token: &str, operator: &str) -> Result<String> {
    let refusal = |m: &str| Error::invalid("token", m.to_string());
    let Some(r) = link_row(db, token).await? else {
        return Err(refusal("ссылка не найдена: проверьте, что она скопирована из письма целиком"));
    };
    let (cid, sid): (i64, i64) = (r.try_get("id")?, r.try_get("subscriber_id")?);
    let expires: i64 = r.try_get("expires_at")?;
    if expires < now {
        return Err(refusal("срок ссылки истёк: подпишитесь ещё раз, и придёт новое письмо"));
    }
    let wish: Wish =
        serde_json::from_str(&r.try_get::<String, _>("request")?).map_err(|e| Error::Internal(e.into()))?;
    let mut tx = db.begin().await?;
    // Used once: of two confirmations at the same moment, one takes the link.
    let took = sqlx::query("UPDATE mailing_confirmations SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(cid)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if took == 0 {
        return Err(refusal("эта ссылка уже использована: подписка по ней подтверждена раньше"));
    }
    sqlx::query(
        "UPDATE mailing_subscribers SET status = 'active', lang = $1, frequency = $2, reason = '', confirmed_at = $3, \
         changed_at = $3, digest_mark = (SELECT COALESCE(MAX(id), 0) FROM mailing_items), digest_at = $3 WHERE id = $4",
    )
    .bind(&wish.lang)
    .bind(&wish.frequency)
    .bind(now)
    .bind(sid)
    .execute(&mut *tx)
    .await?;
    set_interests(&mut tx, sid, &wish).await?;
    sqlx::query(
        "INSERT INTO mailing_consents (subscriber_id, version, text, asked_at, asked_from, given_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(sid)
    .bind(r.try_get::<String, _>("consent_version")?)
    .bind(consent_text(operator, &wish.lang))
    .bind(r.try_get::<i64, _>("created_at")?)
    .bind(r.try_get::<String, _>("asked_from")?)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    event(&mut tx, sid, "confirmed", "", now).await?;
    let manage: String = sqlx::query("SELECT manage_token FROM mailing_subscribers WHERE id = $1")
        .bind(sid)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    tx.commit().await?;
    Ok(manage)
}

/// Saves what an active subscriber now wants from their preferences page.
pub async fn change(db: &Db, now: i64, s: &Subscriber, wish: &Wish) -> Result<()> {
    if s.status != "active" {
        return Err(Error::invalid("topic", "подписка не действует: подпишитесь снова на странице рассылки"));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE mailing_subscribers SET frequency = $1, lang = $2, changed_at = $3 WHERE id = $4")
        .bind(&wish.frequency)
        .bind(&wish.lang)
        .bind(now)
        .bind(s.id)
        .execute(&mut *tx)
        .await?;
    set_interests(&mut tx, s.id, wish).await?;
    event(&mut tx, s.id, "changed", "", now).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a subscription (`how`: link, one-click): nothing more is sent, queued letters included,
/// and the consent is marked withdrawn. Doing it twice changes nothing.
pub async fn unsubscribe(db: &Db, now: i64, s: &Subscriber, how: &str) -> Result<()> {
    if s.status == "unsubscribed" {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE mailing_subscribers SET status = 'unsubscribed', changed_at = $1 WHERE id = $2 AND status <> 'unsubscribed'",
    )
    .bind(now)
    .bind(s.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE mailing_consents SET withdrawn_at = $1 WHERE subscriber_id = $2 AND withdrawn_at IS NULL")
        .bind(now)
        .bind(s.id)
        .execute(&mut *tx)
        .await?;
    crate::campaigns::withdraw_queued(&mut tx, s.id, now).await?;
    event(&mut tx, s.id, "unsubscribed", how, now).await?;
    tx.commit().await?;
    Ok(())
}
