//! The engine at work: gathers every mechanism's obligations for some bodies, reckons each with
//! what staff decided, computes each body's index, and stores what changed — each body in one
//! transaction that a slower evaluation of an older state cannot overwrite. A cycle evaluates the
//! bodies the audit log names since the last one, and every body once a day.

use std::collections::HashMap;
use std::sync::Arc;

use deadlines::{Calendar, Date};
use kernel::bodies::Body;
use kernel::error::{Error, Result};
use serde::Serialize;
use shell::AppState;
use shell::obligations::Evidence;
use sqlx::Row;

use crate::engine::{self, Counted, Decision, Index, Status};
use crate::methodology::Methodology;

/// What an evaluation did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub bodies: usize,
    pub obligations: usize,
    /// Statuses written (new, changed or gone).
    pub changed: usize,
}

/// One stored status, as compared with a new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub obligation: String,
    pub mechanism: String,
    pub indicator: String,
    pub title: String,
    pub source: String,
    pub href: String,
    pub status: Status,
    pub due: Option<String>,
    pub days_late: i64,
    pub evidence_label: String,
    pub evidence_href: String,
    pub evidence_on: Option<String>,
    pub reason: String,
}

/// The methodology in use: the newest active one loaded, or the built-in one.
pub async fn methodology(db: &kernel::Db) -> Result<Methodology> {
    let content: Option<String> =
        sqlx::query_scalar("SELECT content FROM compliance_methodologies WHERE active = 1 ORDER BY id DESC LIMIT 1")
            .fetch_optional(&db.pool)
            .await?;
    match content {
        Some(c) => Methodology::read(c.as_bytes())
            .map_err(|e| Error::Internal(anyhow::anyhow!("the active methodology does not read: {}", e.join("; ")))),
        None => Ok(Methodology::builtin()),
    }
}

/// The decision in force for each obligation of these bodies (the newest row of each).
pub async fn decisions(db: &kernel::Db, body: Option<i64>) -> Result<HashMap<(i64, String), Decision>> {
    let rows = sqlx::query(
        "SELECT body_id, obligation, kind, reason, evidence_href, evidence_on, for_due, actor FROM compliance_decisions \
         WHERE ($1 IS NULL OR body_id = $1) ORDER BY id",
    )
    .bind(body)
    .fetch_all(&db.pool)
    .await?;
    let mut out = HashMap::new();
    for r in &rows {
        let key: (i64, String) = (r.try_get("body_id")?, r.try_get("obligation")?);
        let kind: String = r.try_get("kind")?;
        let by: String = r.try_get("actor")?;
        let reason: String = r.try_get("reason")?;
        let decision = match kind.as_str() {
            "not_applicable" => Some(Decision::NotApplicable { reason, by }),
            "evidence" => {
                let on: Option<String> = r.try_get("evidence_on")?;
                let for_due: Option<String> = r.try_get("for_due")?;
                on.and_then(|d| d.parse::<Date>().ok()).map(|on| Decision::Evidence {
                    evidence: Evidence { label: reason, href: r.try_get("evidence_href").unwrap_or_default(), on },
                    by,
                    for_due: for_due.and_then(|d| d.parse().ok()),
                })
            }
            _ => None,
        };
        match decision {
            Some(d) => out.insert(key, d),
            None => out.remove(&key),
        };
    }
    Ok(out)
}

/// The quarter a day is in, as history keys it ("2026-Q4").
pub fn quarter(day: Date) -> String {
    format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1)
}

fn permille(p: Option<f64>) -> Option<i64> {
    p.map(|p| (p * 10.0).round() as i64)
}

/// The index's parts as stored: `[{"key": …, "permille": …, "earned": …, "possible": …}]`.
fn shares_json(shares: &[(String, engine::Share)]) -> String {
    let list: Vec<serde_json::Value> = shares
        .iter()
        .map(|(k, s)| {
            serde_json::json!({"key": k, "permille": permille(s.percent()), "earned": s.earned, "possible": s.possible})
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// Bodies whose obligations are gathered at once.
const BODIES_AT_ONCE: usize = 25;

/// Evaluates these bodies on `today`, as the state stood at audit log id `as_of`.
pub async fn evaluate(
    state: &AppState,
    bodies: &[Body],
    today: Date,
    cal: &Arc<Calendar>,
    as_of: i64,
) -> shell::error::AppResult<Evaluation> {
    let db = &state.db;
    let m = methodology(db).await?;
    let decisions =
        if bodies.len() == 1 { decisions(db, Some(bodies[0].id)).await? } else { decisions(db, None).await? };
    let now = state.clock.now_ms();
    let mut done = Evaluation::default();
    // A few bodies at a time: what is held in memory stays that of a few bodies' obligations.
    for chunk in bodies.chunks(BODIES_AT_ONCE) {
        let obligations = shell::obligations::gather(state, chunk, today, cal).await?;
        done.obligations += obligations.len();
        let mut by_body: HashMap<i64, Vec<Stored>> = HashMap::new();
        for o in obligations {
            let r = engine::reckon(&o.standing, decisions.get(&(o.body_id, o.key.clone())), today);
            let evidence = r.evidence.as_ref();
            by_body.entry(o.body_id).or_default().push(Stored {
                mechanism: o.key.split('/').next().unwrap_or_default().to_string(),
                obligation: o.key,
                indicator: o.indicator.to_string(),
                title: o.title,
                source: o.source,
                href: o.href,
                status: r.status,
                due: r.due.map(|d| d.to_string()),
                days_late: r.days_late,
                evidence_label: evidence.map(|e| e.label.clone()).unwrap_or_default(),
                evidence_href: evidence.map(|e| e.href.clone()).unwrap_or_default(),
                evidence_on: evidence.map(|e| e.on.to_string()),
                reason: r.reason,
            });
        }
        for body in chunk {
            let rows = by_body.remove(&body.id).unwrap_or_default();
            if let Some(changed) = store(db, &m, body.id, &rows, today, now, as_of).await? {
                done.bodies += 1;
                done.changed += changed;
            }
        }
    }
    if let Ok(kept) = state.part::<crate::board::Kept>() {
        kept.recheck_now();
    }
    Ok(done)
}

/// The index of a body's statuses under the methodology.
pub fn index_of(m: &Methodology, rows: &[Stored]) -> Index {
    let counted: Vec<Counted> = rows
        .iter()
        .map(|r| Counted { mechanism: &r.mechanism, indicator: &r.indicator, status: r.status, days_late: r.days_late })
        .collect();
    engine::index(m, &counted)
}

const STATUS_COLUMNS: &str = "obligation, mechanism, indicator, title, source, href, status, due, days_late, \
                              evidence_label, evidence_href, evidence_on, reason";

fn stored_from(r: &sqlx::any::AnyRow) -> Result<Stored> {
    let status: String = r.try_get("status")?;
    Ok(Stored {
        obligation: r.try_get("obligation")?,
        mechanism: r.try_get("mechanism")?,
        indicator: r.try_get("indicator")?,
        title: r.try_get("title")?,
        source: r.try_get("source")?,
        href: r.try_get("href")?,
        status: Status::from_code(&status).unwrap_or(Status::Missing),
        due: r.try_get("due")?,
        days_late: r.try_get("days_late")?,
        evidence_label: r.try_get("evidence_label")?,
        evidence_href: r.try_get("evidence_href")?,
        evidence_on: r.try_get("evidence_on")?,
        reason: r.try_get("reason")?,
    })
}

/// A body's statuses as stored, with the moment each came to its status.
pub async fn statuses(db: &kernel::Db, body_id: i64) -> Result<Vec<(Stored, i64)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {STATUS_COLUMNS}, since FROM compliance_statuses WHERE body_id = $1 ORDER BY id"
    )))
    .bind(body_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((stored_from(r)?, r.try_get("since")?))).collect()
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds a status row as both the insert and the update take it: the body, the row's columns in
/// [`STATUS_COLUMNS`]' order, and the moment.
fn bind_row<'q>(q: AnyQuery<'q>, body_id: i64, r: &'q Stored, now: i64) -> AnyQuery<'q> {
    q.bind(body_id)
        .bind(&r.obligation)
        .bind(&r.mechanism)
        .bind(&r.indicator)
        .bind(&r.title)
        .bind(&r.source)
        .bind(&r.href)
        .bind(r.status.code())
        .bind(&r.due)
        .bind(r.days_late)
        .bind(&r.evidence_label)
        .bind(&r.evidence_href)
        .bind(&r.evidence_on)
        .bind(&r.reason)
        .bind(now)
}

/// Rows inserted per statement.
const CHUNK: usize = 50;

/// Stores a body's evaluation unless a newer one is stored (of a later state of the audit log, or
/// of a later day); the statuses written, or None when it was older than the stored one.
async fn store(
    db: &kernel::Db,
    m: &Methodology,
    body_id: i64,
    rows: &[Stored],
    today: Date,
    now: i64,
    as_of: i64,
) -> Result<Option<usize>> {
    let index = index_of(m, rows);
    let count = |s: Status| rows.iter().filter(|r| r.status == s).count() as i64;
    let parameters = shares_json(&index.parameters);
    let mut tx = db.pool.begin().await?;
    let written = sqlx::query(
        "INSERT INTO compliance_bodies (body_id, as_of, evaluated_at, day, methodology, score, parameters, mechanisms, \
         late, missing, upcoming, satisfied, not_applicable) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (body_id) DO UPDATE SET as_of = excluded.as_of, evaluated_at = excluded.evaluated_at, \
         day = excluded.day, methodology = excluded.methodology, score = excluded.score, \
         parameters = excluded.parameters, mechanisms = excluded.mechanisms, late = excluded.late, \
         missing = excluded.missing, upcoming = excluded.upcoming, satisfied = excluded.satisfied, \
         not_applicable = excluded.not_applicable \
         WHERE compliance_bodies.as_of <= excluded.as_of AND compliance_bodies.day <= excluded.day",
    )
    .bind(body_id)
    .bind(as_of)
    .bind(now)
    .bind(today.to_string())
    .bind(m.label())
    .bind(permille(index.total))
    .bind(&parameters)
    .bind(shares_json(&index.mechanisms))
    .bind(count(Status::Late))
    .bind(count(Status::Missing))
    .bind(count(Status::Upcoming))
    .bind(count(Status::Satisfied))
    .bind(count(Status::NotApplicable))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if written == 0 {
        return Ok(None);
    }
    let before: HashMap<String, Stored> = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {STATUS_COLUMNS} FROM compliance_statuses WHERE body_id = $1"
    )))
    .bind(body_id)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| stored_from(r).map(|s| (s.obligation.clone(), s)))
    .collect::<Result<_>>()?;
    let mut changed = 0;
    let mut new = Vec::new();
    for r in rows {
        match before.get(&r.obligation) {
            None => new.push(r),
            Some(b) if b == r => {}
            Some(_) => {
                changed += 1;
                let update = sqlx::query(
                    "UPDATE compliance_statuses SET mechanism = $3, indicator = $4, title = $5, source = $6, href = $7, \
                     status = $8, due = $9, days_late = $10, evidence_label = $11, evidence_href = $12, \
                     evidence_on = $13, reason = $14, since = CASE WHEN status = $8 THEN since ELSE $15 END \
                     WHERE body_id = $1 AND obligation = $2",
                );
                bind_row(update, body_id, r, now).execute(&mut *tx).await?;
            }
        }
    }
    for chunk in new.chunks(CHUNK) {
        changed += chunk.len();
        let values = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=15).map(|k| format!("${}", i * 15 + k)).collect();
                format!("({})", p.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO compliance_statuses (body_id, {STATUS_COLUMNS}, since) VALUES {values}");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = bind_row(q, body_id, r, now);
        }
        q.execute(&mut *tx).await?;
    }
    let keep: std::collections::HashSet<&str> = rows.iter().map(|r| r.obligation.as_str()).collect();
    for gone in before.keys().filter(|k| !keep.contains(k.as_str())) {
        changed += 1;
        sqlx::query("DELETE FROM compliance_statuses WHERE body_id = $1 AND obligation = $2")
            .bind(body_id)
            .bind(gone)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO compliance_history (body_id, quarter, methodology, day, score, parameters) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (body_id, quarter, methodology) DO UPDATE SET \
         day = excluded.day, score = excluded.score, parameters = excluded.parameters",
    )
    .bind(body_id)
    .bind(quarter(today))
    .bind(m.label())
    .bind(today.to_string())
    .bind(permille(index.total))
    .bind(&parameters)
    .execute(&mut *tx)
    .await?;
    kernel::versions::bump(&mut tx, crate::board::VERSION).await?;
    kernel::versions::bump_record(&mut tx, crate::board::VERSION, body_id).await?;
    tx.commit().await?;
    Ok(Some(changed))
}

async fn mark(db: &kernel::Db, name: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM compliance_marks WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?)
}

async fn set_mark(db: &kernel::Db, name: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO compliance_marks (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2",
    )
    .bind(name)
    .bind(value)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Evaluates one body, or every body, now (the command line's `glasnost compliance evaluate`).
pub async fn now(state: &AppState, body: Option<&Body>) -> shell::error::AppResult<Evaluation> {
    let db = &state.db;
    let today = state.today()?;
    let cal = Arc::new(kernel::calendar::calendar(db, &state.cfg).await?);
    let top: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM audit_log")
        .fetch_one(&db.pool)
        .await
        .map_err(Error::from)?;
    let bodies = match body {
        Some(b) => vec![b.clone()],
        None => kernel::bodies::list(db).await?,
    };
    evaluate(state, &bodies, today, &cal, top).await
}

/// One cycle: every body when the day changed since the last full evaluation (due dates pass
/// by days), else the bodies the audit log names since the cycle before the last one (a change
/// committed late under an earlier id is still seen); a change without a body, every body.
pub async fn cycle(state: &AppState) -> shell::error::AppResult<Evaluation> {
    let db = &state.db;
    // Read from the database, not the node's kept directory: the cycle runs beside the pages and
    // must not keep a copy the pages then serve.
    let today = state.today()?;
    let cal = Arc::new(kernel::calendar::calendar(db, &state.cfg).await?);
    let all = kernel::bodies::list(db).await?;
    let top: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM audit_log")
        .fetch_one(&db.pool)
        .await
        .map_err(Error::from)?;
    let read = |v: Option<String>| v.and_then(|v| v.parse::<i64>().ok());
    let seen = read(mark(db, "audit").await?);
    let before = read(mark(db, "audit_before").await?).unwrap_or(0);
    let full = mark(db, "day").await?.as_deref() != Some(&today.to_string()) || seen.is_none();
    let bodies: Vec<Body> = if full {
        all
    } else if seen.is_some_and(|s| s >= top) {
        Vec::new()
    } else {
        let named: Vec<Option<i64>> =
            sqlx::query_scalar("SELECT DISTINCT body_id FROM audit_log WHERE id > $1 AND id <= $2")
                .bind(before)
                .bind(top)
                .fetch_all(&db.pool)
                .await
                .map_err(Error::from)?;
        if named.contains(&None) { all } else { all.into_iter().filter(|b| named.contains(&Some(b.id))).collect() }
    };
    let done =
        if bodies.is_empty() { Evaluation::default() } else { evaluate(state, &bodies, today, &cal, top).await? };
    if full {
        set_mark(db, "day", &today.to_string()).await?;
    }
    if seen != Some(top) {
        set_mark(db, "audit_before", &seen.unwrap_or(0).to_string()).await?;
        set_mark(db, "audit", &top.to_string()).await?;
    }
    Ok(done)
}

/// Keeps the board in the node's memory, and runs a cycle every `compliance_secs` on a node that
/// runs the worker.
pub fn start(state: AppState) -> anyhow::Result<AppState> {
    let recheck = std::time::Duration::from_millis(state.cfg.recheck_ms as u64);
    let state = state.with_part(crate::board::Kept::new(recheck));
    if state.cfg.worker {
        let s = state.clone();
        tokio::spawn(async move {
            loop {
                match cycle(&s).await {
                    Ok(e) if e.bodies > 0 => {
                        tracing::info!(
                            bodies = e.bodies,
                            obligations = e.obligations,
                            changed = e.changed,
                            "obligations evaluated"
                        )
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = ?e, "obligations not evaluated yet"),
                }
                tokio::time::sleep(std::time::Duration::from_secs(s.cfg.compliance_secs as u64)).await;
            }
        });
    }
    Ok(state)
}
