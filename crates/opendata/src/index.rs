//! The published catalogue in memory, for the read APIs (CKAN search and show): built from
//! three queries and kept until the database says the published datasets changed (their number
//! or their newest change), which one indexed query tells; that question is asked at most once
//! per `recheck` (the page cache's period), so a change shows on every node within it. With
//! 100,000 datasets a search is a scan of memory, not of the database.

use std::sync::Arc;

use kernel::Db;
use kernel::bodies::Body;
use kernel::error::Result;
use sqlx::Row;
use tokio::sync::RwLock;

use crate::publish::Full;
use crate::store::{self, DataVersion};

/// One published dataset with what searching and showing it need. Small and flat, so a scan
/// of 100,000 stays in the processor's caches: what only showing needs is behind pointers, and
/// bodies are shared.
pub struct Entry {
    pub full: Arc<Full>,
    pub body: Arc<Body>,
    /// Title, description, keywords and identifier, lower-cased, for text search.
    pub text: String,
    /// The identifier in lower case (the CKAN name).
    pub name: String,
    /// Keywords in lower case.
    pub tags: Vec<String>,
    pub updated_at: i64,
}

type Cached = ((i64, i64), std::time::Instant, Arc<Vec<Entry>>);

pub struct Catalogue {
    cached: RwLock<Option<Cached>>,
    recheck: std::time::Duration,
}

impl Catalogue {
    pub fn new(recheck: std::time::Duration) -> Catalogue {
        Catalogue { cached: RwLock::new(None), recheck }
    }
}

async fn generation(db: &Db) -> Result<(i64, i64)> {
    let r = sqlx::query("SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM datasets WHERE published = 1")
        .fetch_one(&db.pool)
        .await?;
    Ok((r.try_get(0)?, r.try_get(1)?))
}

impl Catalogue {
    /// The published datasets, in identifier order (lower case), rebuilt when they changed.
    pub async fn entries(&self, db: &Db) -> Result<Arc<Vec<Entry>>> {
        if let Some((_, checked, entries)) = self.cached.read().await.as_ref()
            && checked.elapsed() < self.recheck
        {
            return Ok(entries.clone());
        }
        let now = generation(db).await?;
        let mut cached = self.cached.write().await;
        if let Some((g, checked, entries)) = cached.as_mut()
            && *g == now
        {
            *checked = std::time::Instant::now();
            return Ok(entries.clone());
        }
        let entries = Arc::new(build(db).await?);
        *cached = Some((now, std::time::Instant::now(), entries.clone()));
        Ok(entries)
    }
}

async fn build(db: &Db) -> Result<Vec<Entry>> {
    let datasets = store::published(db).await?;
    let bodies: std::collections::HashMap<i64, Arc<Body>> =
        kernel::bodies::list(db).await?.into_iter().map(|b| (b.id, Arc::new(b))).collect();
    let rows = sqlx::query(
        "SELECT v.dataset_id, v.id, v.structure_id, v.stamp, s.stamp, v.provenance, v.valid_until, v.file_key, \
                v.bytes, v.rows, v.sha256, v.created_at \
         FROM dataset_versions v JOIN dataset_structures s ON s.id = v.structure_id \
         JOIN datasets d ON d.id = v.dataset_id WHERE d.published = 1 ORDER BY v.dataset_id, v.stamp",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut versions: std::collections::HashMap<i64, Vec<DataVersion>> = std::collections::HashMap::new();
    for r in &rows {
        versions.entry(r.try_get(0)?).or_default().push(DataVersion {
            id: r.try_get(1)?,
            structure_id: r.try_get(2)?,
            stamp: r.try_get(3)?,
            structure_stamp: r.try_get(4)?,
            provenance: r.try_get(5)?,
            valid_until: r.try_get(6)?,
            file_key: r.try_get(7)?,
            bytes: r.try_get(8)?,
            rows: r.try_get(9)?,
            sha256: r.try_get(10)?,
            created_at: r.try_get(11)?,
        });
    }
    let mut out: Vec<Entry> = datasets
        .into_iter()
        .filter_map(|d| {
            let body = bodies.get(&d.body_id)?.clone();
            let text = format!("{} {} {} {}", d.title, d.description, d.keywords, d.identifier).to_lowercase();
            let name = d.identifier.to_lowercase();
            let tags = d.keywords.split(',').map(str::trim).filter(|k| !k.is_empty()).map(str::to_lowercase).collect();
            let updated_at = d.updated_at;
            let versions = versions.remove(&d.id).unwrap_or_default();
            let full = Arc::new(Full { creator: body.full_name.clone(), structures: Vec::new(), versions, dataset: d });
            Some(Entry { full, body, text, name, tags, updated_at })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
