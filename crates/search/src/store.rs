//! What search keeps in the database: the staff's synonyms and abbreviations (audited), and the
//! searches people made, counted per day in the node's memory and added to the database every
//! few seconds — the query and its counts only, nothing about who searched.

use std::collections::HashMap;
use std::sync::Mutex;

use kernel::audit::{self, Actor, Change};
use kernel::{Db, Error, Result};
use sqlx::Row;

/// The counter of `versions` a change of the synonyms adds one to (nodes read them again).
pub const SYNONYMS: &str = "search-synonyms";

/// Longest side of a synonym, in characters.
const MOST_CHARS: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Synonym {
    pub id: i64,
    pub words: String,
    pub meaning: String,
}

pub async fn synonyms(db: &Db) -> Result<Vec<Synonym>> {
    let rows = sqlx::query("SELECT id, words, meaning FROM search_synonyms ORDER BY words, meaning")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok(Synonym { id: r.try_get("id")?, words: r.try_get("words")?, meaning: r.try_get("meaning")? }))
        .collect()
}

/// A side of a synonym as kept: its words, single-spaced.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check(field: &'static str, text: &str) -> Result<()> {
    if text.is_empty() {
        return Err(Error::invalid(field, "заполните поле"));
    }
    if text.chars().count() > MOST_CHARS {
        return Err(Error::invalid(field, format!("не длиннее {MOST_CHARS} знаков")));
    }
    if !text.chars().any(char::is_alphanumeric) {
        return Err(Error::invalid(field, "нужны слова: буквы или цифры"));
    }
    Ok(())
}

/// Adds a synonym: `words` (an abbreviation or a word) means `meaning`, and the other way round.
pub async fn add(db: &Db, actor: &Actor, now: i64, words: &str, meaning: &str) -> Result<i64> {
    let (words, meaning) = (tidy(words), tidy(meaning));
    check("words", &words)?;
    check("meaning", &meaning)?;
    if words.to_lowercase() == meaning.to_lowercase() {
        return Err(Error::invalid("meaning", "значение совпадает со словом"));
    }
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO search_synonyms (words, meaning, user_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&words)
    .bind(&meaning)
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(kernel::error::on_unique("words", "такой синоним уже есть"))?;
    let change = Change {
        action: "create",
        object_type: "search_synonym",
        object_id: id.to_string(),
        body_id: None,
        before: None,
        after: Some(serde_json::json!({ "words": words, "meaning": meaning })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    kernel::versions::bump(&mut tx, SYNONYMS).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a synonym; false when there is no such.
pub async fn remove(db: &Db, actor: &Actor, now: i64, id: i64) -> Result<bool> {
    let mut tx = db.begin().await?;
    let row = sqlx::query("SELECT words, meaning FROM search_synonyms WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(false) };
    let (words, meaning): (String, String) = (row.try_get("words")?, row.try_get("meaning")?);
    sqlx::query("DELETE FROM search_synonyms WHERE id = $1").bind(id).execute(&mut *tx).await?;
    let change = Change {
        action: "delete",
        object_type: "search_synonym",
        object_id: id.to_string(),
        body_id: None,
        before: Some(serde_json::json!({ "words": words, "meaning": meaning })),
        after: None,
    };
    audit::record(&mut tx, actor, now, change).await?;
    kernel::versions::bump(&mut tx, SYNONYMS).await?;
    tx.commit().await?;
    Ok(true)
}

/// The most distinct queries a node counts between two writes: beyond them a query is not
/// counted (a flood of invented queries cannot grow the memory).
const MOST_COUNTED: usize = 10_000;
/// Longest query counted, in characters (a longer one is counted by its beginning).
const QUERY_CHARS: usize = 100;

/// Searches counted in this node's memory since the last write: (day, query) → (searches, empty).
#[derive(Default)]
pub struct Counts(Mutex<HashMap<(String, String), (i64, i64)>>);

impl Counts {
    /// Counts one search of `query` (as read back, folded) on `day`, and whether it found nothing.
    pub fn count(&self, day: &str, query: &str, empty: bool) {
        let Ok(mut map) = self.0.lock() else { return };
        let query: String = query.chars().take(QUERY_CHARS).collect();
        let key = (day.to_string(), query);
        if map.len() >= MOST_COUNTED && !map.contains_key(&key) {
            return;
        }
        let e = map.entry(key).or_default();
        e.0 += 1;
        e.1 += i64::from(empty);
    }

    fn take(&self) -> HashMap<(String, String), (i64, i64)> {
        self.0.lock().map(|mut m| std::mem::take(&mut *m)).unwrap_or_default()
    }

    /// Puts back what could not be written.
    fn restore(&self, counts: HashMap<(String, String), (i64, i64)>) {
        let Ok(mut map) = self.0.lock() else { return };
        for (k, (n, e)) in counts {
            let v = map.entry(k).or_default();
            v.0 += n;
            v.1 += e;
        }
    }
}

/// Adds this node's counts to the database (kept in memory again if that fails).
pub async fn flush(counts: &Counts, db: &Db) -> Result<()> {
    let taken = counts.take();
    if taken.is_empty() {
        return Ok(());
    }
    let written = async {
        let mut tx = db.begin().await?;
        for ((day, query), (n, empty)) in &taken {
            sqlx::query(
                "INSERT INTO search_queries (day, query, searches, empty) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (day, query) DO UPDATE SET searches = search_queries.searches + $3, \
                 empty = search_queries.empty + $4",
            )
            .bind(day)
            .bind(query)
            .bind(n)
            .bind(empty)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok::<(), Error>(())
    }
    .await;
    if written.is_err() {
        counts.restore(taken);
    }
    written
}

/// One query of the report: how often it was asked and how often it found nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asked {
    pub query: String,
    pub searches: i64,
    pub empty: i64,
}

/// What was searched from `since` (a day, `YYYY-MM-DD`) on: all searches, the most asked
/// queries, and the queries that most often found nothing.
pub async fn report(db: &Db, since: &str, most: i64) -> Result<(i64, Vec<Asked>, Vec<Asked>)> {
    let total: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(searches), 0) AS BIGINT) FROM search_queries WHERE day >= $1")
            .bind(since)
            .fetch_one(&db.pool)
            .await?;
    let list = |order: &'static str| {
        let sql = format!(
            "SELECT query, CAST(SUM(searches) AS BIGINT) AS searches, CAST(SUM(empty) AS BIGINT) AS empty \
             FROM search_queries WHERE day >= $1 \
             GROUP BY query HAVING SUM({order}) > 0 ORDER BY SUM({order}) DESC, query LIMIT $2"
        );
        async move {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(since).bind(most).fetch_all(&db.pool).await?;
            rows.iter()
                .map(|r| {
                    Ok(Asked {
                        query: r.try_get("query")?,
                        searches: r.try_get("searches")?,
                        empty: r.try_get("empty")?,
                    })
                })
                .collect::<Result<Vec<_>>>()
        }
    };
    Ok((total, list("searches").await?, list("empty").await?))
}
