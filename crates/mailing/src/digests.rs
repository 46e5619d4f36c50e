//! Digests (seed 000 §38.5к, §40): what the portal published, sent to each subscriber on their
//! topics and bodies, at once, daily or weekly as they chose. The collector follows the change log
//! that search follows (`kernel::search`): a change names a thing, its mechanism hands over the
//! thing's public documents, and a document of a kind digests carry is kept once, the first time it
//! appears — a later change of it is not news again. The sender then gives each subscriber who is
//! due the things kept since their last digest, in one letter with its way out; the letter, its
//! ledger row and the subscriber's mark are written in one transaction, under a key naming the
//! subscriber and the last thing, so a repeated run sends nothing twice.

use std::collections::BTreeMap;
use std::time::Duration;

use kernel::error::Result;
use shell::AppState;
use sqlx::Row;

use crate::campaigns::Sender;
use crate::letters::{self, Recipient};

/// Changes read from the log at a time.
const BATCH: i64 = 500;
/// The most things one digest lists (the newest are kept for the next).
const MOST: i64 = 100;
const DAY: i64 = 86_400_000;
/// The mark of the change log the collector has read up to.
const MARK: &str = "changes";

/// Runs the collector and the sender every `mailing_digest_secs` on a node that runs the worker.
pub fn start(state: AppState) -> anyhow::Result<AppState> {
    if state.cfg.worker {
        let s = state.clone();
        tokio::spawn(async move {
            loop {
                let now = s.clock.now_ms();
                match run(&s, now).await {
                    Ok(n) if n > 0 => tracing::info!(letters = n, "digests queued"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = ?e, "digests not made yet"),
                }
                tokio::time::sleep(Duration::from_secs(s.cfg.mailing_digest_secs as u64)).await;
            }
        });
    }
    Ok(state)
}

/// Collects what was published, then queues the digests due. Returns the letters queued.
pub async fn run(state: &AppState, now: i64) -> Result<usize> {
    collect(state, now).await?;
    send(state, now).await
}

async fn mark(state: &AppState) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT value FROM mailing_marks WHERE name = $1")
        .bind(MARK)
        .fetch_optional(&state.db.pool)
        .await?)
}

async fn set_mark(state: &AppState, value: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO mailing_marks (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = $2 WHERE mailing_marks.value < $2",
    )
    .bind(MARK)
    .bind(value)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

/// Reads the change log on from the mark and keeps each new public thing of a digest's kind. The
/// mark starts at the log's end when the mailing's tables are made (what was published before the
/// mailing is no news); without it, it is set there.
pub async fn collect(state: &AppState, now: i64) -> Result<usize> {
    let Some(mut after) = mark(state).await? else {
        set_mark(state, kernel::search::last(&state.db).await?).await?;
        return Ok(0);
    };
    let sources: Vec<&shell::mechanism::SearchSource> = state.mechanisms.iter().flat_map(|m| m.search.iter()).collect();
    let mut kept = 0;
    loop {
        let changes = kernel::search::changes_after(&state.db, after, BATCH).await?;
        let Some(last) = changes.last().map(|c| c.id) else { break };
        let mut by_source: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        for c in &changes {
            if let Some(s) = sources
                .iter()
                .find(|s| s.source == c.source && s.kinds.iter().any(|(k, _)| crate::topics::of_kind(k).is_some()))
            {
                by_source.entry(s.source).or_default().push(c.item);
            }
        }
        for (source, mut items) in by_source {
            items.sort_unstable();
            items.dedup();
            let Some(s) = sources.iter().find(|s| s.source == source) else { continue };
            let docs = (s.get)(state, &items).await.map_err(|e| kernel::Error::Internal(anyhow::anyhow!("{e:?}")))?;
            for d in docs {
                let Some(topic) = crate::topics::of_kind(d.kind) else { continue };
                let n = sqlx::query(
                    "INSERT INTO mailing_items (source, item, part, topic, body_id, title, path, published_at, collected_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (source, item, part) DO NOTHING",
                )
                .bind(d.source)
                .bind(d.key)
                .bind(d.part)
                .bind(topic)
                .bind(d.body_id.unwrap_or(0))
                .bind(&d.title)
                .bind(&d.path)
                .bind(d.date)
                .bind(now)
                .execute(&state.db.pool)
                .await?
                .rows_affected();
                kept += n as usize;
            }
        }
        set_mark(state, last).await?;
        after = last;
        if (changes.len() as i64) < BATCH {
            break;
        }
    }
    Ok(kept)
}

/// One thing a digest lists.
struct Item {
    id: i64,
    topic: String,
    body_id: i64,
    title: String,
    path: String,
}

/// Queues the digests due: each active subscriber with things kept since their mark, when their
/// frequency says it is time.
pub async fn send(state: &AppState, now: i64) -> Result<usize> {
    let newest: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM mailing_items").fetch_one(&state.db.pool).await?;
    let due = sqlx::query(
        "SELECT id, email, lang, manage_token, digest_mark FROM mailing_subscribers WHERE status = 'active' \
         AND digest_mark < $1 AND (frequency = 'immediately' OR (frequency = 'daily' AND digest_at <= $2) \
         OR (frequency = 'weekly' AND digest_at <= $3)) ORDER BY id",
    )
    .bind(newest)
    .bind(now - DAY)
    .bind(now - 7 * DAY)
    .fetch_all(&state.db.pool)
    .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let dir = state.directory().await.map_err(|e| kernel::Error::Internal(anyhow::anyhow!("{e:?}")))?;
    let base = state.cfg.public_url.trim_end_matches('/').to_string();
    let sender = Sender { base: base.clone(), operator: dir.shown.name.clone(), body: String::new() };
    let mut queued = 0;
    for r in &due {
        let who = Recipient {
            id: r.try_get("id")?,
            email: r.try_get("email")?,
            lang: r.try_get("lang")?,
            manage_token: r.try_get("manage_token")?,
        };
        let mark: i64 = r.try_get("digest_mark")?;
        let rows = sqlx::query(
            "SELECT it.id, it.topic, it.body_id, it.title, it.path FROM mailing_items it WHERE it.id > $1 AND it.id <= $2 \
             AND EXISTS (SELECT 1 FROM mailing_interests i WHERE i.subscriber_id = $3 AND i.topic = it.topic \
             AND (i.body_id = 0 OR i.body_id = it.body_id)) ORDER BY it.id DESC LIMIT $4",
        )
        .bind(mark)
        .bind(newest)
        .bind(who.id)
        .bind(MOST)
        .fetch_all(&state.db.pool)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(Item {
                    id: r.try_get("id")?,
                    topic: r.try_get("topic")?,
                    body_id: r.try_get("body_id")?,
                    title: r.try_get("title")?,
                    path: r.try_get("path")?,
                })
            })
            .collect::<Result<Vec<Item>>>()?;
        let mut tx = state.db.begin().await?;
        if let Some(last) = items.iter().map(|i| i.id).max() {
            let en = who.lang == "en";
            let label =
                |key: &str| state.strings.t(if en { shell::i18n::Lang::En } else { shell::i18n::Lang::Ru }, key);
            let mut text = String::new();
            for topic in crate::topics::TOPICS {
                let of: Vec<&Item> = items.iter().filter(|i| i.topic == *topic).collect();
                if of.is_empty() {
                    continue;
                }
                text.push_str(&format!("{}\n\n", label(&format!("topic.{topic}"))));
                for i in of {
                    let body = dir.body_by_id(i.body_id).map(|b| format!(" ({})", b.short_name)).unwrap_or_default();
                    text.push_str(&format!("{}{body}\n{base}{}\n\n", i.title, i.path));
                }
            }
            let subject = if en {
                format!("New on {}: {}", sender.operator, items.len())
            } else {
                format!("Новое на портале «{}»: {} {}", sender.operator, items.len(), materials(items.len()))
            };
            let letter = letters::letter(&sender, &subject, text.trim_end(), &who)?;
            let key = format!("mailing:d{}:{last}", who.id);
            crate::campaigns::record_deliveries(
                &mut tx,
                &state.cfg,
                now,
                0,
                std::slice::from_ref(&who),
                &[(key.clone(), letter.clone(), now)],
            )
            .await?;
            kernel::outbox::enqueue_emails_at(&mut tx, now, &[(key.as_str(), &letter, now)]).await?;
            sqlx::query("UPDATE mailing_subscribers SET digest_mark = $1, digest_at = $2 WHERE id = $3")
                .bind(newest)
                .bind(now)
                .bind(who.id)
                .execute(&mut *tx)
                .await?;
            queued += 1;
        } else {
            // Nothing of theirs: the mark moves on, the time of their next digest stays.
            sqlx::query("UPDATE mailing_subscribers SET digest_mark = $1 WHERE id = $2")
                .bind(newest)
                .bind(who.id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    Ok(queued)
}

/// «материал» agreeing with the number.
fn materials(n: usize) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => "материал",
        (2..=4, r) if !(12..=14).contains(&r) => "материала",
        _ => "материалов",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_word_agrees_with_the_number() {
        let w: Vec<&str> = [1, 2, 5, 11, 21, 22, 112, 104].iter().map(|n| super::materials(*n)).collect();
        assert_eq!(
            w,
            ["материал", "материала", "материалов", "материалов", "материал", "материала", "материалов", "материала"]
        );
    }
}
