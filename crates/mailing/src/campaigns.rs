//! Campaigns (seed 000 §40): a letter a body's press secretary writes once — subject and text, the
//! HTML part made from the text — for the subscribers of chosen topics and bodies. A draft is
//! previewed and sent as a test to its author; then scheduled (now or at a moment), and cancelled
//! while it has not started. When its moment comes the worker writes one outbox job per recipient
//! with a row of the delivery ledger, in one transaction, spread over minutes by the rate limit;
//! the outbox sends each at least once and the same Message-ID every time (see `kernel::mail`).
//! The ledger reads each letter's state from its job: queued, deferred, sent with the server's
//! reply, bounced, withdrawn when the subscriber left before it went.

use std::collections::HashMap;

use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::{Config, Db};
use serde::Serialize;
use sqlx::Row;

use crate::letters::{self, Recipient};
use crate::topics::known;

const MAX_SUBJECT: usize = 200;
const MAX_TEXT: usize = 50_000;

#[derive(Clone, Debug, Default)]
pub struct CampaignForm {
    pub subject: String,
    pub text: String,
    pub topics: Vec<String>,
    pub bodies: Vec<String>,
    /// «ДД.ММ.ГГГГ ЧЧ:ММ» in the portal's zone; empty: now.
    pub send_at: String,
}

impl CampaignForm {
    pub fn parse(body: &[u8]) -> CampaignForm {
        let mut f = CampaignForm::default();
        for (k, v) in url::form_urlencoded::parse(body) {
            let v = v.into_owned();
            match k.as_ref() {
                "subject" => f.subject = v,
                "text" => f.text = v,
                "topic" => f.topics.push(v),
                "body" => f.bodies.push(v),
                "send_at" => f.send_at = v,
                _ => {}
            }
        }
        f
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Campaign {
    pub id: i64,
    pub body_id: i64,
    pub subject: String,
    pub text: String,
    pub topics: Vec<String>,
    pub bodies: Vec<i64>,
    /// draft, scheduled, sending, sent, cancelled
    pub status: String,
    pub send_at: Option<i64>,
    pub recipients: i64,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

impl Campaign {
    pub fn editable(&self) -> bool {
        self.status == "draft"
    }
}

const COLUMNS: &str =
    "id, body_id, subject, text, topics, bodies, status, send_at, recipients, created_at, started_at, finished_at";

fn row(r: &sqlx::any::AnyRow) -> Result<Campaign> {
    let topics: String = r.try_get("topics")?;
    let bodies: String = r.try_get("bodies")?;
    Ok(Campaign {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        subject: r.try_get("subject")?,
        text: r.try_get("text")?,
        topics: topics.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        bodies: bodies.split(',').filter_map(|b| b.parse().ok()).collect(),
        status: r.try_get("status")?,
        send_at: r.try_get("send_at")?,
        recipients: r.try_get("recipients")?,
        created_at: r.try_get("created_at")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
    })
}

pub async fn of_body(db: &Db, body_id: i64) -> Result<Vec<Campaign>> {
    db.rows_by(format!("SELECT {COLUMNS} FROM mailing_campaigns WHERE body_id = $1 ORDER BY id DESC"), body_id, row)
        .await
}

pub async fn get(db: &Db, body_id: i64, id: i64) -> Result<Option<Campaign>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM mailing_campaigns WHERE id = $1 AND body_id = $2"
    )))
    .bind(id)
    .bind(body_id)
    .fetch_optional(&db.pool)
    .await?;
    r.as_ref().map(row).transpose()
}

/// A campaign that passed its checks.
pub struct Checked {
    pub subject: String,
    pub text: String,
    pub topics: Vec<String>,
    pub bodies: Vec<i64>,
}

/// Checks a campaign's letter and audience; `bodies` are the ones its author may write to (slug →
/// id). Every problem at once.
pub fn check(f: &CampaignForm, bodies: &dyn Fn(&str) -> Option<i64>) -> Result<Checked> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let subject = f.subject.trim();
    if subject.is_empty() {
        errors.push(("subject", "укажите тему письма: её видят в списке писем".into()));
    } else if subject.chars().count() > MAX_SUBJECT {
        errors.push(("subject", format!("тема не длиннее {MAX_SUBJECT} символов")));
    } else if subject.contains(['<', '>']) {
        errors.push((
            "subject",
            "в теме письма не может быть разметки или скриптов (знаков < и >): тема — простой текст".into(),
        ));
    } else if subject.chars().any(char::is_control) {
        errors.push(("subject", "тема пишется в одну строку".into()));
    }
    let text = f.text.trim();
    if text.is_empty() {
        errors.push(("text", "напишите текст письма".into()));
    } else if text.chars().count() > MAX_TEXT {
        errors.push(("text", format!("текст не длиннее {MAX_TEXT} символов")));
    }
    let mut topics: Vec<String> = f.topics.iter().map(|t| t.trim().to_string()).filter(|t| known(t)).collect();
    topics.sort();
    topics.dedup();
    if topics.is_empty() {
        errors.push(("topic", "выберите темы: письмо получат подписчики этих тем".into()));
    }
    let mut ids = Vec::new();
    for b in f.bodies.iter().map(|b| b.trim()).filter(|b| !b.is_empty()) {
        match bodies(b) {
            Some(id) => ids.push(id),
            None => errors.push(("body", "писать можно только подписчикам своего органа и подведомственных".into())),
        }
    }
    ids.sort();
    ids.dedup();
    if ids.is_empty() && !errors.iter().any(|(f, _)| *f == "body") {
        errors.push(("body", "выберите органы: письмо получат их подписчики".into()));
    }
    if errors.is_empty() {
        Ok(Checked { subject: subject.to_string(), text: text.to_string(), topics, bodies: ids })
    } else {
        Err(Error::Form(errors))
    }
}

fn joined<T: ToString>(v: &[T]) -> String {
    v.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

fn shown(c: &Checked) -> serde_json::Value {
    serde_json::json!({ "subject": c.subject, "topics": c.topics, "bodies": c.bodies, "text_chars": c.text.chars().count() })
}

/// Saves a new draft.
pub async fn create(db: &Db, actor: &Actor, now: i64, body_id: i64, c: &Checked) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO mailing_campaigns (body_id, subject, text, topics, bodies, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $7) RETURNING id",
    )
    .bind(body_id)
    .bind(&c.subject)
    .bind(&c.text)
    .bind(joined(&c.topics))
    .bind(joined(&c.bodies))
    .bind(actor.user_id.unwrap_or(0))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let change = Change {
        action: "create",
        object_type: "mailing_campaign",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: Some(shown(c)),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a draft's letter and audience (a campaign scheduled or sent is not changed).
pub async fn update(db: &Db, actor: &Actor, now: i64, old: &Campaign, c: &Checked) -> Result<()> {
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE mailing_campaigns SET subject = $1, text = $2, topics = $3, bodies = $4, updated_at = $5 \
         WHERE id = $6 AND status = 'draft'",
    )
    .bind(&c.subject)
    .bind(&c.text)
    .bind(joined(&c.topics))
    .bind(joined(&c.bodies))
    .bind(now)
    .bind(old.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(Error::invalid("subject", "рассылка уже запланирована или отправлена: её текст не меняется"));
    }
    let before = serde_json::json!({ "subject": old.subject, "topics": old.topics, "bodies": old.bodies });
    audit::record(&mut tx, actor, now, Change::update("mailing_campaign", old.id, Some(old.body_id), before, shown(c)))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// `IN (…)` lists of the audience's topics and bodies, with their values from `$from`.
fn audience_sql(topics: &[String], bodies: &[i64], from: usize) -> String {
    let t = kernel::search::keys_list(from, topics.len());
    let b = kernel::search::keys_list(from + topics.len(), bodies.len());
    format!(
        "FROM mailing_subscribers s WHERE s.status = 'active' AND EXISTS (SELECT 1 FROM mailing_interests i \
         WHERE i.subscriber_id = s.id AND i.topic IN ({t}) AND (i.body_id = 0 OR i.body_id IN ({b})))"
    )
}

/// How many active subscribers a campaign would reach now.
pub async fn audience_size(db: &Db, topics: &[String], bodies: &[i64]) -> Result<i64> {
    if topics.is_empty() || bodies.is_empty() {
        return Ok(0);
    }
    let sql = format!("SELECT COUNT(*) {}", audience_sql(topics, bodies, 1));
    let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
    for t in topics {
        q = q.bind(t.clone());
    }
    for b in bodies {
        q = q.bind(*b);
    }
    Ok(q.fetch_one(&db.pool).await?)
}

async fn audience(tx: &mut sqlx::AnyConnection, c: &Campaign) -> Result<Vec<Recipient>> {
    if c.topics.is_empty() || c.bodies.is_empty() {
        return Ok(Vec::new());
    }
    let sql =
        format!("SELECT s.id, s.email, s.lang, s.manage_token {} ORDER BY s.id", audience_sql(&c.topics, &c.bodies, 1));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for t in &c.topics {
        q = q.bind(t.clone());
    }
    for b in &c.bodies {
        q = q.bind(*b);
    }
    let rows = q.fetch_all(&mut *tx).await?;
    rows.iter()
        .map(|r| {
            Ok(Recipient {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                lang: r.try_get("lang")?,
                manage_token: r.try_get("manage_token")?,
            })
        })
        .collect()
}

/// Parses «ДД.ММ.ГГГГ ЧЧ:ММ» in the portal's zone.
pub fn parse_moment(s: &str, tz: &jiff::tz::TimeZone) -> Option<i64> {
    let dt = jiff::civil::DateTime::strptime("%d.%m.%Y %H:%M", s.trim()).ok()?;
    Some(dt.to_zoned(tz.clone()).ok()?.timestamp().as_millisecond())
}

/// Schedules a draft: now (`send_at` empty) or at a moment to come. Refused when nobody would get it.
pub async fn schedule(
    db: &Db,
    actor: &Actor,
    now: i64,
    tz: &jiff::tz::TimeZone,
    c: &Campaign,
    send_at: &str,
) -> Result<()> {
    let at = match send_at.trim() {
        "" => now,
        s => match parse_moment(s, tz) {
            Some(at) if at >= now => at,
            Some(_) => {
                return Err(Error::invalid(
                    "send_at",
                    "это время уже прошло: укажите время впереди или оставьте поле пустым",
                ));
            }
            None => {
                return Err(Error::invalid(
                    "send_at",
                    "укажите дату и время в виде ДД.ММ.ГГГГ ЧЧ:ММ или оставьте поле пустым",
                ));
            }
        },
    };
    if audience_size(db, &c.topics, &c.bodies).await? == 0 {
        return Err(Error::invalid(
            "send_at",
            "у выбранных тем и органов пока нет ни одного подписчика: письмо некому отправить. Выберите другие темы или органы",
        ));
    }
    let refusal = ("send_at", "рассылка уже запланирована или отправлена");
    transition(db, actor, now, c, ("draft", "scheduled"), Some(at), refusal).await
}

/// Cancels a scheduled campaign before it starts; it goes back to a draft.
pub async fn cancel(db: &Db, actor: &Actor, now: i64, c: &Campaign) -> Result<()> {
    let refusal = ("cancel", "рассылка уже началась: отменить её нельзя");
    transition(db, actor, now, c, ("scheduled", "draft"), None, refusal).await
}

/// Moves a campaign from one status to another with its moment of sending, audited; refused with
/// `refusal` (field, message) when it is no longer in the first (another step came first).
async fn transition(
    db: &Db,
    actor: &Actor,
    now: i64,
    c: &Campaign,
    (from, to): (&str, &str),
    send_at: Option<i64>,
    refusal: (&'static str, &'static str),
) -> Result<()> {
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE mailing_campaigns SET status = $1, send_at = $2, updated_at = $3 WHERE id = $4 AND status = $5",
    )
    .bind(to)
    .bind(send_at)
    .bind(now)
    .bind(c.id)
    .bind(from)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(Error::invalid(refusal.0, refusal.1));
    }
    let change = Change::update(
        "mailing_campaign",
        c.id,
        Some(c.body_id),
        serde_json::json!({ "status": from, "send_at": c.send_at }),
        serde_json::json!({ "status": to, "send_at": send_at }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// The idempotency key of a campaign's letter to a subscriber.
pub fn job_key(campaign: i64, subscriber: i64) -> String {
    format!("mailing:c{campaign}:{subscriber}")
}

/// What letters say of their sender: the portal (the operator) and the body.
pub struct Sender {
    pub base: String,
    pub operator: String,
    pub body: String,
}

async fn sender(db: &Db, cfg: &Config, body_id: i64) -> Result<Sender> {
    let operator = kernel::bodies::portal(db).await?.map(|p| p.name).unwrap_or_else(|| "Glasnost".into());
    let body = kernel::bodies::by_id(db, body_id).await?.map(|b| b.full_name).unwrap_or_default();
    Ok(Sender { base: cfg.public_url.trim_end_matches('/').to_string(), operator, body })
}

/// Sends the letter to its author as it will go, marked as a test.
pub async fn test_send(db: &Db, cfg: &Config, now: i64, c: &Campaign, to: &str) -> Result<()> {
    let s = sender(db, cfg, c.body_id).await?;
    let me = Recipient { id: 0, email: to.to_string(), lang: "ru".into(), manage_token: String::new() };
    let mut letter = letters::campaign(&s, c, &me)?;
    letter.subject = format!("[Проверка] {}", letter.subject);
    let mut tx = db.begin().await?;
    kernel::outbox::enqueue_email(&mut tx, now, &format!("mailing-test:c{}:{now}", c.id), &letter).await?;
    tx.commit().await?;
    Ok(())
}

/// When the next mailing letter may go: after the last one already queued, `per_minute` apart.
async fn first_slot(tx: &mut sqlx::AnyConnection, now: i64, per_minute: i64) -> Result<i64> {
    if per_minute == 0 {
        return Ok(now);
    }
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(run_at) FROM jobs WHERE status = 'queued' AND idempotency_key LIKE 'mailing:%'")
            .fetch_one(&mut *tx)
            .await?;
    Ok(last.map_or(now, |l| now.max(l + 60_000 / per_minute)))
}

/// Starts the campaigns whose moment has come: each, in one transaction, gets a job and a ledger
/// row per recipient (a kill before the commit leaves it scheduled, after it every letter queued).
/// Returns the letters queued.
pub async fn dispatch(db: &Db, cfg: &Config, now: i64) -> Result<usize> {
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM mailing_campaigns WHERE status = 'scheduled' AND send_at <= $1 ORDER BY send_at, id",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    let mut queued = 0;
    for id in due {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM mailing_campaigns WHERE id = $1")))
            .bind(id)
            .fetch_one(&db.pool)
            .await?;
        let c = row(&r)?;
        let s = sender(db, cfg, c.body_id).await?;
        let mut tx = db.begin().await?;
        // Claimed by one node: another that read it as due finds it started.
        let took = sqlx::query(
            "UPDATE mailing_campaigns SET status = 'sending', started_at = $1 WHERE id = $2 AND status = 'scheduled'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if took == 0 {
            continue;
        }
        let people = audience(&mut tx, &c).await?;
        let start = first_slot(&mut tx, now, cfg.mailing_per_minute).await?;
        let mut jobs = Vec::with_capacity(people.len());
        for (i, p) in people.iter().enumerate() {
            let at =
                if cfg.mailing_per_minute == 0 { start } else { start + i as i64 * 60_000 / cfg.mailing_per_minute };
            jobs.push((job_key(c.id, p.id), letters::campaign(&s, &c, p)?, at));
        }
        record_deliveries(&mut tx, cfg, now, c.id, &people, &jobs).await?;
        let refs: Vec<(&str, &kernel::mail::OutgoingEmail, i64)> =
            jobs.iter().map(|(k, e, at)| (k.as_str(), e, *at)).collect();
        kernel::outbox::enqueue_emails_at(&mut tx, now, &refs).await?;
        let status = if people.is_empty() { "sent" } else { "sending" };
        sqlx::query("UPDATE mailing_campaigns SET recipients = $1, status = $2, finished_at = CASE WHEN $2 = 'sent' THEN $3 ELSE NULL END WHERE id = $4")
            .bind(people.len() as i64)
            .bind(status)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        queued += people.len();
    }
    Ok(queued)
}

pub(crate) async fn record_deliveries(
    tx: &mut sqlx::AnyConnection,
    cfg: &Config,
    now: i64,
    campaign: i64,
    people: &[Recipient],
    jobs: &[(String, kernel::mail::OutgoingEmail, i64)],
) -> Result<()> {
    let rows: Vec<(&Recipient, &str)> = people.iter().zip(jobs.iter().map(|(k, _, _)| k.as_str())).collect();
    for chunk in kernel::db::pieces(&rows) {
        let values = (0..chunk.len())
            .map(|i| format!("($1, $2, ${}, ${}, ${}, ${})", 4 * i + 3, 4 * i + 4, 4 * i + 5, 4 * i + 6))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO mailing_deliveries (campaign_id, created_at, subscriber_id, email, job_key, message_id) VALUES {values} \
             ON CONFLICT (job_key) DO NOTHING"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(campaign).bind(now);
        for (p, key) in chunk {
            q = q
                .bind(p.id)
                .bind(p.email.clone())
                .bind(key.to_string())
                .bind(kernel::outbox::message_id(&cfg.public_url, key));
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Letters of a subscriber still waiting in the outbox are not sent once they leave.
pub async fn withdraw_queued(tx: &mut sqlx::AnyConnection, subscriber: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE jobs SET status = 'withdrawn', done_at = $1 WHERE status = 'queued' AND idempotency_key IN \
         (SELECT job_key FROM mailing_deliveries WHERE subscriber_id = $2)",
    )
    .bind(now)
    .bind(subscriber)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// After sending: a letter the server refused for good is a hard bounce (its address
/// suppressed), and a campaign none of whose letters waits any more is sent. Returns what changed.
pub async fn settle(db: &Db, now: i64) -> Result<usize> {
    let refused = sqlx::query(
        "SELECT d.message_id, j.last_error FROM mailing_deliveries d JOIN jobs j ON j.idempotency_key = d.job_key \
         WHERE j.status = 'refused' AND d.bounce = ''",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut changed = 0;
    for r in &refused {
        let (mid, reply): (String, Option<String>) = (r.try_get(0)?, r.try_get(1)?);
        let b = crate::bounces::Bounce {
            message_id: mid,
            recipient: String::new(),
            status: "5.0.0".into(),
            diagnostic: reply.unwrap_or_default(),
        };
        if crate::bounces::apply(db, now, 0, &b).await? {
            changed += 1;
        }
    }
    let finished = sqlx::query(
        "UPDATE mailing_campaigns SET status = 'sent', finished_at = $1 WHERE status = 'sending' AND NOT EXISTS \
         (SELECT 1 FROM mailing_deliveries d JOIN jobs j ON j.idempotency_key = d.job_key \
          WHERE d.campaign_id = mailing_campaigns.id AND j.status IN ('queued', 'running'))",
    )
    .bind(now)
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok(changed + finished as usize)
}

/// The states of the ledger, in the order the campaign's page lists them.
pub const STATES: &[&str] = &["queued", "sending", "deferred", "sent", "bounced", "failed", "withdrawn"];

/// A letter's state from its job and any bounce reported.
const STATE_SQL: &str = "CASE WHEN d.bounce = 'hard' OR j.status = 'refused' THEN 'bounced' \
     WHEN j.status = 'queued' AND (j.attempts > 0 OR d.bounce = 'soft') THEN 'deferred' \
     WHEN j.status = 'queued' THEN 'queued' WHEN j.status = 'running' THEN 'sending' \
     WHEN j.status = 'done' THEN 'sent' WHEN j.status = 'withdrawn' THEN 'withdrawn' ELSE 'failed' END";

/// How many of a campaign's letters are in each state.
pub async fn tally(db: &Db, campaign: i64) -> Result<HashMap<String, i64>> {
    tally_where(db, "d.campaign_id = $1", campaign).await
}

/// How many letters of the ledger rows `filter` chooses (with its `$1`) are in each state.
pub(crate) async fn tally_where(db: &Db, filter: &'static str, value: i64) -> Result<HashMap<String, i64>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {STATE_SQL} AS state, COUNT(*) AS n FROM mailing_deliveries d \
         LEFT JOIN jobs j ON j.idempotency_key = d.job_key WHERE {filter} GROUP BY 1"
    )))
    .bind(value)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("state")?, r.try_get("n")?))).collect()
}

/// One line of the ledger: who, what state, what the server said, when.
#[derive(Clone, Debug, Serialize)]
pub struct Delivery {
    pub email: String,
    pub state: String,
    pub attempts: i64,
    /// The server's reply: its acceptance, its refusal, or the bounce report's diagnostic.
    pub reply: String,
    pub at: Option<i64>,
    pub message_id: String,
}

/// The ledger of a campaign, a page at a time, optionally of one state.
pub async fn ledger(db: &Db, campaign: i64, state: Option<&str>, offset: i64, limit: i64) -> Result<Vec<Delivery>> {
    let filter = if state.is_some() { format!("AND {STATE_SQL} = $4") } else { String::new() };
    let sql = format!(
        "SELECT d.email, d.message_id, d.bounce_reply, d.bounced_at, {STATE_SQL} AS state, j.attempts, j.last_error, j.reply, \
         j.done_at FROM mailing_deliveries d LEFT JOIN jobs j ON j.idempotency_key = d.job_key \
         WHERE d.campaign_id = $1 {filter} ORDER BY d.id LIMIT $2 OFFSET $3"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(campaign).bind(limit).bind(offset);
    if let Some(s) = state {
        q = q.bind(s.to_string());
    }
    let rows = q.fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            let bounce: String = r.try_get("bounce_reply")?;
            let error: Option<String> = r.try_get("last_error")?;
            let reply: Option<String> = r.try_get("reply")?;
            let state: String = r.try_get("state")?;
            let said = if !bounce.is_empty() {
                bounce
            } else if state == "sent" {
                reply.unwrap_or_default()
            } else {
                error.unwrap_or_default()
            };
            Ok(Delivery {
                email: r.try_get("email")?,
                state,
                attempts: r.try_get::<Option<i64>, _>("attempts")?.unwrap_or(0),
                reply: said,
                at: r.try_get::<Option<i64>, _>("bounced_at")?.or(r.try_get("done_at")?),
                message_id: r.try_get("message_id")?,
            })
        })
        .collect()
}
