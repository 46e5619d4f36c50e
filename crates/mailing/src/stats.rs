//! The mailing's statistics for a body's operators: how many subscribers it had at the end of
//! each of the last twelve months, how many came, left and bounced in each, and the subscribers of
//! each topic now; letters of its campaigns by how they ended. Read from the subscribers' events,
//! so a month's figure is what it was then (a subscriber is counted for the body by the topics and
//! bodies they hold now: changes of interest are not kept over time).

use std::collections::HashMap;

use kernel::Db;
use kernel::error::Result;
use sqlx::Row;

use crate::topics::TOPICS;

/// One month: its first day, and its figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Month {
    /// `2026-11`
    pub label: String,
    /// Subscribed at the month's end.
    pub active: i64,
    pub joined: i64,
    pub left: i64,
    pub bounced: i64,
}

/// The twelve months up to the one holding `now`, oldest first, for the subscribers of `body`.
pub async fn months(db: &Db, body: i64, now: i64, tz: &jiff::tz::TimeZone) -> Result<Vec<Month>> {
    let rows = sqlx::query(
        "SELECT e.subscriber_id, e.kind, e.at FROM mailing_events e WHERE e.kind IN ('confirmed', 'unsubscribed', 'suppressed') \
         AND EXISTS (SELECT 1 FROM mailing_interests i WHERE i.subscriber_id = e.subscriber_id AND (i.body_id = 0 OR i.body_id = $1)) \
         ORDER BY e.at, e.id",
    )
    .bind(body)
    .fetch_all(&db.pool)
    .await?;
    let events: Vec<(i64, String, i64)> =
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect::<Result<_>>()?;
    let today = jiff::Timestamp::from_millisecond(now).map(|t| t.to_zoned(tz.clone()).date()).unwrap_or_default();
    let first = today.first_of_month();
    let mut starts = Vec::new();
    for back in (0..12).rev() {
        let d = first.checked_sub(jiff::Span::new().months(back)).unwrap_or(first);
        starts.push(d);
    }
    let ms = |d: jiff::civil::Date| d.to_zoned(tz.clone()).map(|z| z.timestamp().as_millisecond()).unwrap_or(i64::MAX);
    let mut out = Vec::new();
    for (i, start) in starts.iter().enumerate() {
        let (from, to) = (ms(*start), starts.get(i + 1).map_or(i64::MAX, |d| ms(*d)));
        let mut state: HashMap<i64, bool> = HashMap::new();
        let mut m = Month { label: start.strftime("%Y-%m").to_string(), ..Month::default() };
        for (who, kind, at) in &events {
            if *at >= to {
                break;
            }
            state.insert(*who, kind == "confirmed");
            if *at >= from {
                match kind.as_str() {
                    "confirmed" => m.joined += 1,
                    "unsubscribed" => m.left += 1,
                    _ => m.bounced += 1,
                }
            }
        }
        m.active = state.values().filter(|on| **on).count() as i64;
        out.push(m);
    }
    Ok(out)
}

/// Active subscribers of each topic for `body` now (those of every body included).
pub async fn topics(db: &Db, body: i64) -> Result<Vec<(&'static str, i64)>> {
    let rows = sqlx::query(
        "SELECT i.topic, COUNT(DISTINCT s.id) FROM mailing_interests i JOIN mailing_subscribers s ON s.id = i.subscriber_id \
         WHERE s.status = 'active' AND (i.body_id = 0 OR i.body_id = $1) GROUP BY i.topic",
    )
    .bind(body)
    .fetch_all(&db.pool)
    .await?;
    let n: HashMap<String, i64> = rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect::<Result<_>>()?;
    Ok(TOPICS.iter().map(|t| (*t, n.get(*t).copied().unwrap_or(0))).collect())
}

/// The letters of the body's campaigns by how they ended (the ledger's states), in one query.
pub async fn deliveries(db: &Db, body: i64) -> Result<HashMap<String, i64>> {
    crate::campaigns::tally_where(db, "d.campaign_id IN (SELECT id FROM mailing_campaigns WHERE body_id = $1)", body)
        .await
}

/// Active subscribers who get the body's mailings (of it, or of every body).
pub async fn active(db: &Db, body: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM mailing_subscribers s WHERE s.status = 'active' AND EXISTS \
         (SELECT 1 FROM mailing_interests i WHERE i.subscriber_id = s.id AND (i.body_id = 0 OR i.body_id = $1))",
    )
    .bind(body)
    .fetch_one(&db.pool)
    .await?)
}
