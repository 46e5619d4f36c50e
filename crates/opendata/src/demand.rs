//! Demand for open data (seed 000 §24: what is asked for, what is used): views of passport
//! pages, downloads of each file of a dataset's folder and the words people search for, counted
//! per day. A node counts in memory and adds its counts to the database every few seconds (and
//! when it stops), so counting costs a request nothing it would notice and several nodes add up.

use std::collections::HashMap;
use std::sync::Mutex;

use kernel::Db;
use kernel::error::Result;
use sqlx::Row;

/// (day YYYY-MM-DD, dataset identifier, file; "" for the passport page) → hits.
type Hits = HashMap<(String, String, String), i64>;
/// (day, query) → searches.
type Searches = HashMap<(String, String), i64>;

#[derive(Default)]
pub struct Counter {
    hits: Mutex<Hits>,
    searches: Mutex<Searches>,
}

/// The words of a search as counted: trimmed, lower-case, single spaces, at most 100 characters.
pub fn normalise_query(q: &str) -> Option<String> {
    let q = q.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if q.is_empty() { None } else { Some(q.chars().take(100).collect()) }
}

/// Distinct things counted between two flushes at most: a flood of distinct searches (or a
/// database that cannot take the counts) does not grow a node's memory without end; what is
/// already counted goes on being counted.
const MOST_KEPT: usize = 50_000;

impl Counter {
    /// A view of a dataset's passport page (`file` empty) or a download of one of its files.
    pub fn dataset(&self, day: &str, identifier: &str, file: &str) {
        if let Ok(mut m) = self.hits.lock() {
            let key = (day.to_string(), identifier.to_string(), file.to_string());
            if m.len() < MOST_KEPT || m.contains_key(&key) {
                *m.entry(key).or_default() += 1;
            }
        }
    }

    /// A search in the open-data section.
    pub fn search(&self, day: &str, query: &str) {
        let Some(q) = normalise_query(query) else { return };
        if let Ok(mut m) = self.searches.lock() {
            let key = (day.to_string(), q);
            if m.len() < MOST_KEPT || m.contains_key(&key) {
                *m.entry(key).or_default() += 1;
            }
        }
    }

    /// Adds this node's counts to the database. Counts that could not be written are kept for
    /// the next time.
    pub async fn flush(&self, db: &Db) -> Result<()> {
        let hits = self.hits.lock().map(|mut m| std::mem::take(&mut *m)).unwrap_or_default();
        let searches = self.searches.lock().map(|mut m| std::mem::take(&mut *m)).unwrap_or_default();
        if hits.is_empty() && searches.is_empty() {
            return Ok(());
        }
        match write(db, &hits, &searches).await {
            Ok(()) => Ok(()),
            Err(e) => {
                if let Ok(mut m) = self.hits.lock() {
                    for (k, n) in hits {
                        *m.entry(k).or_default() += n;
                    }
                }
                if let Ok(mut m) = self.searches.lock() {
                    for (k, n) in searches {
                        *m.entry(k).or_default() += n;
                    }
                }
                Err(e)
            }
        }
    }
}

async fn write(db: &Db, hits: &Hits, searches: &Searches) -> Result<()> {
    let mut tx = db.begin().await?;
    for ((day, identifier, file), n) in hits {
        sqlx::query(
            "INSERT INTO opendata_demand (day, dataset_id, file, hits) \
             SELECT $1, id, $3, $4 FROM datasets WHERE identifier = $2 \
             ON CONFLICT (day, dataset_id, file) DO UPDATE SET hits = opendata_demand.hits + excluded.hits",
        )
        .bind(day)
        .bind(identifier)
        .bind(file)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    for ((day, query), n) in searches {
        sqlx::query(
            "INSERT INTO opendata_searches (day, query, hits) VALUES ($1, $2, $3) \
             ON CONFLICT (day, query) DO UPDATE SET hits = opendata_searches.hits + excluded.hits",
        )
        .bind(day)
        .bind(query)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Views and downloads in one month (YYYY-MM).
#[derive(Clone, Debug, PartialEq)]
pub struct Month {
    pub month: String,
    pub views: i64,
    pub downloads: i64,
}

/// Views and downloads of one dataset since it was published.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetDemand {
    pub dataset_id: i64,
    pub body_id: i64,
    pub identifier: String,
    pub title: String,
    pub views: i64,
    pub downloads: i64,
}

/// Month by month, from `from_day` on; of one body's datasets or of the portal's.
pub async fn monthly(db: &Db, body_id: Option<i64>, from_day: &str) -> Result<Vec<Month>> {
    let rows = sqlx::query(
        "SELECT substr(d.day, 1, 7) AS m, \
                CAST(SUM(CASE WHEN d.file = '' THEN d.hits ELSE 0 END) AS BIGINT) AS views, \
                CAST(SUM(CASE WHEN d.file <> '' THEN d.hits ELSE 0 END) AS BIGINT) AS downloads \
         FROM opendata_demand d JOIN datasets s ON s.id = d.dataset_id \
         WHERE ($1 IS NULL OR s.body_id = $1) AND d.day >= $2 GROUP BY m ORDER BY m",
    )
    .bind(body_id)
    .bind(from_day)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok(Month { month: r.try_get("m")?, views: r.try_get("views")?, downloads: r.try_get("downloads")? }))
        .collect()
}

/// Every published dataset (of one body, or all) with its demand, the most used first.
pub async fn per_dataset(db: &Db, body_id: Option<i64>) -> Result<Vec<DatasetDemand>> {
    let rows = sqlx::query(
        "SELECT id, body_id, identifier, title, v, dl FROM ( \
           SELECT s.id, s.body_id, s.identifier, s.title, \
                  CAST(COALESCE(SUM(CASE WHEN d.file = '' THEN d.hits ELSE 0 END), 0) AS BIGINT) AS v, \
                  CAST(COALESCE(SUM(CASE WHEN d.file <> '' THEN d.hits ELSE 0 END), 0) AS BIGINT) AS dl \
           FROM datasets s LEFT JOIN opendata_demand d ON d.dataset_id = s.id \
           WHERE s.published = 1 AND ($1 IS NULL OR s.body_id = $1) \
           GROUP BY s.id, s.body_id, s.identifier, s.title) t \
         ORDER BY v + dl DESC, title",
    )
    .bind(body_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DatasetDemand {
                dataset_id: r.try_get("id")?,
                body_id: r.try_get("body_id")?,
                identifier: r.try_get("identifier")?,
                title: r.try_get("title")?,
                views: r.try_get("v")?,
                downloads: r.try_get("dl")?,
            })
        })
        .collect()
}

/// Downloads of each file of a dataset's folder (data and structure versions, passports,
/// packages), the most downloaded first.
pub async fn per_file(db: &Db, dataset_id: i64) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT file, CAST(SUM(hits) AS BIGINT) AS n FROM opendata_demand WHERE dataset_id = $1 AND file <> '' \
         GROUP BY file ORDER BY n DESC, file",
    )
    .bind(dataset_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

/// The most frequent searches from `from_day` on.
pub async fn top_searches(db: &Db, from_day: &str, limit: i64) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT query, CAST(SUM(hits) AS BIGINT) AS n FROM opendata_searches WHERE day >= $1 \
         GROUP BY query ORDER BY n DESC, query LIMIT $2",
    )
    .bind(from_day)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

#[cfg(test)]
mod tests {
    use super::{Counter, MOST_KEPT};

    #[test]
    fn a_flood_of_distinct_searches_keeps_a_bounded_count() {
        let c = Counter::default();
        c.search("2026-03-02", "school");
        for i in 0..MOST_KEPT + 10_000 {
            c.search("2026-03-02", &format!("query {i}"));
        }
        c.search("2026-03-02", "school");
        let searches = c.searches.lock().expect("lock");
        assert_eq!(searches.len(), MOST_KEPT);
        assert_eq!(searches.get(&("2026-03-02".to_string(), "school".to_string())), Some(&2));
    }
}
