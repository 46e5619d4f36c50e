//! The outbox: durable jobs (e-mail now; reminders and webhooks later) written in the same
//! transaction as the change that causes them, then processed by a background worker with
//! retries and exponential back-off. An idempotency key per job means enqueuing twice
//! never sends twice; claims are row locks with a lease, so several nodes can run workers
//! and a job held by a crashed node is picked up again once its lease runs out. An e-mail
//! job is marked done once the SMTP server has accepted it (see `mail` for why a kill at the
//! wrong moment repeats a letter rather than losing it).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures::TryStreamExt;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::{Backend, Db};
use crate::error::Result;
use crate::mail::{Mailer, Outcome, OutgoingEmail};
use crate::staff::{random_token, sha256_hex};

pub const KIND_EMAIL: &str = "email";

/// Jobs a worker claims at a time: the batch saves a claim per job.
const BATCH: i64 = 128;

/// Acceptances waiting to be recorded at most before the senders wait (see [`Worker::run_batch`]).
pub const GROUP: usize = 8;

/// Queues a job unless one with the same idempotency key exists. Returns whether it was new.
pub async fn enqueue<T: Serialize>(
    conn: &mut AnyConnection,
    now: i64,
    kind: &str,
    idempotency_key: &str,
    payload: &T,
    run_at: i64,
) -> Result<bool> {
    let payload = serde_json::to_string(payload).context("job payload")?;
    let r = sqlx::query(
        "INSERT INTO jobs (kind, idempotency_key, payload, status, attempts, run_at, created_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(kind)
    .bind(idempotency_key)
    .bind(payload)
    .bind(run_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Queues e-mails due now in one statement, each under its idempotency key (kept when taken).
pub async fn enqueue_emails(conn: &mut AnyConnection, now: i64, emails: &[(String, OutgoingEmail)]) -> Result<()> {
    let due: Vec<(&str, &OutgoingEmail, i64)> = emails.iter().map(|(k, e)| (k.as_str(), e, now)).collect();
    enqueue_emails_at(conn, now, &due).await
}

/// Queues e-mails, each under its idempotency key (kept when taken) and due at its own moment
/// (a mailing spread over minutes by its rate), a few statements for any number.
pub async fn enqueue_emails_at(
    conn: &mut AnyConnection,
    now: i64,
    emails: &[(&str, &OutgoingEmail, i64)],
) -> Result<()> {
    for chunk in crate::db::pieces(emails) {
        let rows = (0..chunk.len())
            .map(|i| format!("('{KIND_EMAIL}', ${}, ${}, 'queued', 0, ${}, $1)", 3 * i + 2, 3 * i + 3, 3 * i + 4))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO jobs (kind, idempotency_key, payload, status, attempts, run_at, created_at) VALUES {rows} \
             ON CONFLICT (idempotency_key) DO NOTHING"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now);
        for (key, email, run_at) in chunk {
            q = q.bind(*key).bind(serde_json::to_string(email).context("job payload")?).bind(*run_at);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The `Message-ID` of the e-mail job with this idempotency key: the same for every attempt, so a
/// repeat is recognisable, and known before sending, so a bounce can be matched to its letter.
pub fn message_id(public_url: &str, idempotency_key: &str) -> String {
    let host = url::Url::parse(public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "glasnost.local".into());
    format!("<{}@{}>", &sha256_hex(idempotency_key)[..32], host)
}

pub async fn enqueue_email(
    conn: &mut AnyConnection,
    now: i64,
    idempotency_key: &str,
    email: &OutgoingEmail,
) -> Result<bool> {
    enqueue(conn, now, KIND_EMAIL, idempotency_key, email, now).await
}

#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub queued: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
}

pub async fn counts(db: &Db) -> Result<Counts> {
    let rows = sqlx::query("SELECT status, COUNT(*) FROM jobs GROUP BY status").fetch_all(&db.pool).await?;
    let mut c = Counts { queued: 0, running: 0, done: 0, failed: 0 };
    for r in rows {
        let status: String = r.try_get(0)?;
        let n: i64 = r.try_get(1)?;
        match status.as_str() {
            "queued" => c.queued = n,
            "running" => c.running = n,
            "done" => c.done = n,
            _ => c.failed += n,
        }
    }
    Ok(c)
}

struct Claimed {
    id: i64,
    kind: String,
    key: String,
    payload: String,
    attempts: i64,
}

/// A periodic task run by the worker (planning reminders, sweeping files): given the database
/// and the current time, it does its work and says how much (jobs queued, files deleted). It
/// must be idempotent: it runs again after every restart.
pub type Task =
    Arc<dyn Fn(Db, Config, i64) -> futures::future::BoxFuture<'static, anyhow::Result<usize>> + Send + Sync>;

pub struct Worker {
    pub db: Db,
    /// (name, interval in ms, task).
    pub tasks: Vec<(&'static str, i64, Task)>,
    pub cfg: Config,
    pub clock: SharedClock,
    pub mailer: Arc<Mailer>,
    /// Identifies this process in `locked_by`, for operators reading the table.
    pub node: String,
}

impl Worker {
    pub fn new(db: Db, cfg: Config, clock: SharedClock) -> anyhow::Result<Worker> {
        let mailer = Arc::new(Mailer::from_config(&cfg)?);
        Ok(Worker { db, cfg, clock, mailer, node: random_token()[..12].to_string(), tasks: Vec::new() })
    }

    /// Claims up to `limit` due jobs, in order: running ones whose lease expired first, then queued
    /// ones whose time has come. Each of the two is one statement that reads the index on
    /// (status, run_at, id), so claiming costs the same with a million jobs waiting as with one.
    async fn claim(&self, limit: i64) -> Result<Vec<Claimed>> {
        let now = self.clock.now_ms();
        let lock = match self.db.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let mut out = Vec::new();
        for due in [
            "status = 'running' AND locked_until < $3 ORDER BY locked_until, id",
            "status = 'queued' AND run_at <= $3 ORDER BY run_at, id",
        ] {
            let left = limit - out.len() as i64;
            if left <= 0 {
                break;
            }
            let sql = format!(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $1, locked_by = $2 \
                 WHERE id IN (SELECT id FROM jobs WHERE {due} LIMIT $4{lock}) \
                 RETURNING id, kind, idempotency_key, payload, attempts, run_at"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(now + self.cfg.worker_lease_secs * 1000)
                .bind(&self.node)
                .bind(now)
                .bind(left)
                .fetch_all(&self.db.pool)
                .await?;
            let mut claimed = rows
                .iter()
                .map(|r| {
                    Ok((
                        r.try_get::<i64, _>("run_at")?,
                        Claimed {
                            id: r.try_get("id")?,
                            kind: r.try_get("kind")?,
                            key: r.try_get("idempotency_key")?,
                            payload: r.try_get("payload")?,
                            attempts: r.try_get("attempts")?,
                        },
                    ))
                })
                .collect::<Result<Vec<_>>>()?;
            // RETURNING keeps no order: the batch goes in the order it was chosen.
            claimed.sort_by_key(|(run_at, c)| (*run_at, c.id));
            out.extend(claimed.into_iter().map(|(_, c)| c));
        }
        Ok(out)
    }

    /// Records jobs as done, each with what the server answered, in one statement and one commit.
    async fn mark_done(&self, done: &[(i64, String)]) -> Result<()> {
        for piece in crate::db::pieces(done) {
            let cases: String = (0..piece.len()).map(|i| format!(" WHEN ${} THEN ${}", 2 * i + 2, 2 * i + 3)).collect();
            let ids = (0..piece.len()).map(|i| format!("${}", 2 * i + 2)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "UPDATE jobs SET status = 'done', done_at = $1, locked_until = NULL, last_error = NULL, \
                 reply = CASE id{cases} END WHERE id IN ({ids})"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.clock.now_ms());
            for (id, reply) in piece {
                q = q.bind(*id).bind(reply.as_str());
            }
            q.execute(&self.db.pool).await?;
        }
        Ok(())
    }

    async fn retry_later(&self, job: &Claimed, error: &anyhow::Error, permanent: bool) -> Result<()> {
        let now = self.clock.now_ms();
        let error = format!("{error:#}");
        tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, %error, "job failed");
        // Refused: the server will never take it (a mailing suppresses the address); failed: it
        // was tried as often as allowed.
        let (status, run_at) = if permanent {
            ("refused", now)
        } else if job.attempts >= self.cfg.job_max_attempts {
            ("failed", now)
        } else {
            ("queued", now + backoff_ms(self.cfg.job_backoff_secs, job.attempts))
        };
        sqlx::query("UPDATE jobs SET status = $1, run_at = $2, locked_until = NULL, done_at = NULL, last_error = $3 WHERE id = $4")
            .bind(status)
            .bind(run_at)
            .bind(error)
            .bind(job.id)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// Sends an e-mail job. Accepted, it returns the server's reply for the caller to record; any
    /// other outcome is recorded here (retried later, or refused for good).
    async fn send_email(&self, job: &Claimed) -> Result<Option<String>> {
        let email: OutgoingEmail = match serde_json::from_str(&job.payload) {
            Ok(e) => e,
            Err(e) => {
                self.retry_later(job, &anyhow::Error::new(e).context("e-mail job payload"), true).await?;
                return Ok(None);
            }
        };
        let message_id = message_id(&self.cfg.public_url, &job.key);
        match self.holding(job, self.mailer.send(&self.cfg.mail_from, &message_id, &email)).await {
            Outcome::Accepted(reply) => return Ok(Some(reply)),
            Outcome::NotSent(e) => self.retry_later(job, &e, false).await?,
            Outcome::Refused { error, permanent } => self.retry_later(job, &error, permanent).await?,
            // Probably delivered, but a lost letter is worse than a repeated one: send again.
            Outcome::Unconfirmed(e) => {
                self.retry_later(job, &e.context("доставка не подтверждена сервером"), false).await?
            }
        }
        Ok(None)
    }

    /// Does `work` for a claimed job, renewing the leases of the jobs this node holds (the job and
    /// the rest of its batch) four times per lease while it runs: a slow send keeps its jobs, and a
    /// node that dies leaves them to another within one lease (`worker_lease_secs`, seconds).
    async fn holding<T>(&self, job: &Claimed, work: impl std::future::Future<Output = T>) -> T {
        let every = std::time::Duration::from_millis((self.cfg.worker_lease_secs * 250) as u64);
        tokio::pin!(work);
        loop {
            tokio::select! {
                out = &mut work => return out,
                () = tokio::time::sleep(every) => {
                    let renewed = sqlx::query(
                        "UPDATE jobs SET locked_until = $1 WHERE locked_by = $2 AND status = 'running'",
                    )
                    .bind(self.clock.now_ms() + self.cfg.worker_lease_secs * 1000)
                    .bind(&self.node)
                    .execute(&self.db.pool)
                    .await;
                    if let Err(e) = renewed {
                        tracing::warn!(job = job.id, error = %e, "the lease of a job was not renewed");
                    }
                }
            }
        }
    }

    /// Claims and performs one job. Returns false when nothing was due.
    pub async fn run_once(&self) -> Result<bool> {
        Ok(self.run_batch(1).await? > 0)
    }

    /// Claims up to `limit` due jobs and performs them, as many at once as the mailer has SMTP
    /// connections (`smtp_connections`). A letter the server accepted is recorded as done by a
    /// recorder that writes every acceptance waiting in one commit (group commit): the senders go
    /// on while it writes, and wait when `GROUP` acceptances are waiting already. A kill therefore
    /// leaves at most `GROUP` × 2 + `smtp_connections` letters sent but not recorded (those waiting,
    /// those being written, those on the wire), which are sent again after the restart, each under
    /// its own Message-ID. Returns how many jobs were performed.
    pub async fn run_batch(&self, limit: i64) -> Result<usize> {
        let jobs = self.claim(limit).await?;
        let n = jobs.len();
        let lanes = usize::try_from(self.cfg.smtp_connections).unwrap_or(1).max(1);
        let (accepted, mut waiting) = tokio::sync::mpsc::channel::<(i64, String)>(GROUP);
        let sending = async move {
            let sent: Result<()> = futures::stream::iter(jobs.iter().map(Ok))
                .try_for_each_concurrent(lanes, |job| {
                    let accepted = accepted.clone();
                    async move {
                        let reply = match job.kind.as_str() {
                            KIND_EMAIL => self.send_email(job).await?,
                            other => {
                                let e = anyhow::anyhow!("unknown job kind `{other}`");
                                self.retry_later(job, &e, true).await?;
                                None
                            }
                        };
                        if let Some(reply) = reply {
                            accepted.send((job.id, reply)).await.map_err(|_| {
                                crate::Error::Internal(anyhow::anyhow!("the outbox's recorder stopped"))
                            })?;
                        }
                        Ok(())
                    }
                })
                .await;
            drop(accepted);
            sent
        };
        let recording = async {
            let mut group = Vec::with_capacity(GROUP);
            while waiting.recv_many(&mut group, GROUP).await > 0 {
                self.mark_done(&group).await?;
                group.clear();
            }
            Ok::<(), crate::Error>(())
        };
        let (sent, recorded) = tokio::join!(sending, recording);
        recorded?;
        sent?;
        Ok(n)
    }

    /// Works until `stop` turns true: drains due jobs, then sleeps for the poll interval.
    pub async fn run(self, mut stop: tokio::sync::watch::Receiver<bool>) {
        let mut last_purge = i64::MIN;
        let mut last_task_run = vec![i64::MIN; self.tasks.len()];
        loop {
            if *stop.borrow() {
                return;
            }
            // Housekeeping that any node may do: expired sessions go once an hour.
            let now = self.clock.now_ms();
            for (i, (name, every, task)) in self.tasks.iter().enumerate() {
                if now.saturating_sub(last_task_run[i]) >= *every {
                    last_task_run[i] = now;
                    match task(self.db.clone(), self.cfg.clone(), now).await {
                        Ok(n) if n > 0 => tracing::info!(task = name, done = n, "periodic task did its work"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(task = name, error = format!("{e:#}"), "periodic task failed"),
                    }
                }
            }
            if now.saturating_sub(last_purge) > 3_600_000 {
                last_purge = now;
                if let Err(e) = crate::staff::purge_expired_sessions(&self.db, now).await {
                    tracing::warn!(error = %e, "cannot purge expired sessions");
                }
            }
            let idle = match self.run_batch(BATCH).await {
                Ok(done) => done == 0,
                Err(e) => {
                    tracing::error!(error = %e, "outbox worker cannot reach the database");
                    true
                }
            };
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(self.cfg.worker_poll_ms)) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }
}

/// Delay before retry number `attempts` (1-based): base, 2×base, 4×base … capped at 6 hours.
pub fn backoff_ms(base_secs: i64, attempts: i64) -> i64 {
    let exp = (attempts - 1).clamp(0, 20) as u32;
    (base_secs.saturating_mul(1000).saturating_mul(2i64.saturating_pow(exp))).min(6 * 3_600_000)
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_ms(10, 1), 10_000);
        assert_eq!(backoff_ms(10, 2), 20_000);
        assert_eq!(backoff_ms(10, 4), 80_000);
        assert_eq!(backoff_ms(10, 40), 6 * 3_600_000);
    }
}
