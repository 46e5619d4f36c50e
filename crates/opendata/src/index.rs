//! The published catalogue in memory, for the read APIs (CKAN search and show): built from
//! three queries and kept until the database says the published datasets changed (their number
//! or their newest change), which one indexed query tells; that question is asked at most once
//! per `recheck` (the setting `recheck_ms`), so a change shows on every node within it.
//!
//! With the entries comes an [`Index`]: the position lists of every word, keyword and body, and
//! the entries ordered newest first, so a search over 100,000 datasets intersects lists and
//! counts facets over small integers instead of scanning and hashing text.

use std::collections::HashMap;
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
    /// The keywords' numbers in `Index::tags`.
    pub tag_ids: Vec<u32>,
    /// The body's number in `Index::bodies`.
    pub body_no: u32,
    pub updated_at: i64,
}

/// The words of a text as searched: lower case, split at everything but letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

impl Entry {
    /// Whether some word of the entry's text starts with `prefix` (a word of a query).
    pub fn has_word(&self, prefix: &str) -> bool {
        words(&self.text).any(|w| w.starts_with(prefix))
    }
}

/// Positions (in the catalogue) of the entries that have a word, keyword or body; each list in
/// ascending order.
#[derive(Default)]
pub struct Index {
    /// Distinct words in sorted order, each with its entries.
    words: Vec<(Box<str>, Vec<u32>)>,
    /// Keywords by number, with their entries.
    pub tags: Vec<(Box<str>, Vec<u32>)>,
    tag_numbers: HashMap<Box<str>, u32>,
    /// Bodies by number, with their entries.
    pub bodies: Vec<(Arc<Body>, Vec<u32>)>,
    body_numbers: HashMap<String, u32>,
    /// Every entry, the most recently changed first (ties in name order).
    pub newest: Vec<u32>,
    /// Every entry in title order (ties in name order), as registries list them.
    pub titled: Vec<u32>,
}

impl Index {
    /// Entries having a word that starts with `prefix`.
    pub fn with_word(&self, prefix: &str) -> Vec<u32> {
        let from = self.words.partition_point(|(w, _)| &**w < prefix);
        let mut out: Vec<u32> = Vec::new();
        let mut lists = 0;
        for (_, list) in self.words[from..].iter().take_while(|(w, _)| w.starts_with(prefix)) {
            out.extend_from_slice(list);
            lists += 1;
        }
        if lists > 1 {
            out.sort_unstable();
            out.dedup();
        }
        out
    }
    /// Entries with a keyword (lower case).
    pub fn with_tag(&self, tag: &str) -> &[u32] {
        self.tag_numbers.get(tag).map(|&n| self.tags[n as usize].1.as_slice()).unwrap_or_default()
    }
    /// Entries of a body, by its slug (any case).
    pub fn of_body(&self, slug: &str) -> &[u32] {
        self.body_numbers.get(&slug.to_lowercase()).map(|&n| self.bodies[n as usize].1.as_slice()).unwrap_or_default()
    }
}

/// The entries of two ascending lists that are in both.
pub fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    let mut rest = large;
    for &x in small {
        let i = rest.partition_point(|&y| y < x);
        rest = &rest[i..];
        match rest.first() {
            Some(&y) if y == x => out.push(x),
            Some(_) => {}
            None => break,
        }
    }
    out
}

/// The published catalogue at one moment: entries in name order, and their index.
#[derive(Default)]
pub struct Snapshot {
    pub entries: Vec<Entry>,
    pub index: Index,
}

impl std::ops::Deref for Snapshot {
    type Target = [Entry];
    fn deref(&self) -> &[Entry] {
        &self.entries
    }
}

type Cached = ((i64, i64), std::time::Instant, Arc<Snapshot>);

pub struct Catalogue {
    cached: RwLock<Option<Cached>>,
    recheck: std::time::Duration,
    /// Set by a change made on this node: the next use asks the database at once.
    stale: std::sync::atomic::AtomicBool,
}

impl Catalogue {
    pub fn new(recheck: std::time::Duration) -> Catalogue {
        Catalogue { cached: RwLock::new(None), recheck, stale: std::sync::atomic::AtomicBool::new(false) }
    }

    /// Says the database may have changed: the next use checks it without waiting for `recheck`.
    pub fn invalidate(&self) {
        self.stale.store(true, std::sync::atomic::Ordering::SeqCst);
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
    pub async fn entries(&self, db: &Db) -> Result<Arc<Snapshot>> {
        let stale = self.stale.swap(false, std::sync::atomic::Ordering::SeqCst);
        if let Some((_, checked, entries)) = self.cached.read().await.as_ref()
            && checked.elapsed() < self.recheck
            && !stale
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

async fn build(db: &Db) -> Result<Snapshot> {
    let datasets = store::published(db).await?;
    let bodies: std::collections::HashMap<i64, Arc<Body>> =
        kernel::bodies::list(db).await?.into_iter().map(|b| (b.id, Arc::new(b))).collect();
    let sql = format!(
        "SELECT v.dataset_id, {} {} JOIN datasets d ON d.id = v.dataset_id WHERE d.published = 1 \
         ORDER BY v.dataset_id, v.stamp",
        store::VERSION_COLUMNS,
        store::VERSION_FROM
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&db.pool).await?;
    let mut versions: std::collections::HashMap<i64, Vec<DataVersion>> = std::collections::HashMap::new();
    for r in &rows {
        versions.entry(r.try_get("dataset_id")?).or_default().push(store::version_from_row(r)?);
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
            Some(Entry { full, body, text, name, tags, tag_ids: Vec::new(), body_no: 0, updated_at })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    let index = index(&mut out);
    Ok(Snapshot { entries: out, index })
}

/// Indexes entries in name order, numbering their keywords and bodies.
fn index(entries: &mut [Entry]) -> Index {
    let mut ix = Index::default();
    let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
    for (pos, e) in entries.iter_mut().enumerate() {
        let pos = u32::try_from(pos).unwrap_or(u32::MAX);
        for w in words(&e.text) {
            let list = postings.entry(w).or_default();
            // Positions grow, so a repeated word of one entry is always the last one listed.
            if list.last() != Some(&pos) {
                list.push(pos);
            }
        }
        for t in &e.tags {
            let n = *ix.tag_numbers.entry(t.as_str().into()).or_insert_with(|| {
                ix.tags.push((t.as_str().into(), Vec::new()));
                u32::try_from(ix.tags.len() - 1).unwrap_or(u32::MAX)
            });
            let list = &mut ix.tags[n as usize].1;
            if list.last() != Some(&pos) {
                list.push(pos);
                e.tag_ids.push(n);
            }
        }
        let slug = e.body.slug.to_lowercase();
        let n = *ix.body_numbers.entry(slug).or_insert_with(|| {
            ix.bodies.push((e.body.clone(), Vec::new()));
            u32::try_from(ix.bodies.len() - 1).unwrap_or(u32::MAX)
        });
        ix.bodies[n as usize].1.push(pos);
        e.body_no = n;
    }
    ix.words = postings.into_iter().map(|(w, l)| (w.into_boxed_str(), l)).collect();
    ix.words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut newest: Vec<u32> = (0..u32::try_from(entries.len()).unwrap_or(u32::MAX)).collect();
    newest.sort_by(|&a, &b| entries[b as usize].updated_at.cmp(&entries[a as usize].updated_at).then(a.cmp(&b)));
    ix.newest = newest;
    let mut titled: Vec<u32> = (0..u32::try_from(entries.len()).unwrap_or(u32::MAX)).collect();
    titled.sort_by(|&a, &b| {
        entries[a as usize].full.dataset.title.cmp(&entries[b as usize].full.dataset.title).then(a.cmp(&b))
    });
    ix.titled = titled;
    ix
}

/// One page (`skip`, then at most `take`) of the `found` entries (ascending positions) in the
/// order of `order`, a permutation of all `total` entries: a walk of the order keeping what was
/// found, a bit test per entry.
pub fn page_in(order: &[u32], found: &[u32], total: usize, skip: usize, take: usize) -> Vec<u32> {
    if found.len() == total {
        return order.iter().skip(skip).take(take).copied().collect();
    }
    let mut member = vec![0u64; total.div_ceil(64)];
    for &p in found {
        member[p as usize / 64] |= 1 << (p % 64);
    }
    order.iter().filter(|&&p| member[p as usize / 64] & (1 << (p % 64)) != 0).skip(skip).take(take).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::{intersect, page_in};

    #[test]
    fn intersection_keeps_what_both_lists_have() {
        assert_eq!(intersect(&[1, 3, 5, 7, 9], &[2, 3, 4, 9, 10]), vec![3, 9]);
        assert_eq!(intersect(&[], &[1, 2]), Vec::<u32>::new());
        assert_eq!(intersect(&[5], &[1, 2, 3, 4, 5]), vec![5]);
        assert_eq!(intersect(&[1, 2, 3, 4, 5], &[6]), Vec::<u32>::new());
    }

    #[test]
    fn a_page_of_what_was_found_follows_the_order() {
        let order = [4, 2, 0, 3, 1];
        assert_eq!(page_in(&order, &[0, 1, 2, 3, 4], 5, 1, 2), vec![2, 0]);
        assert_eq!(page_in(&order, &[1, 2, 3], 5, 0, 10), vec![2, 3, 1]);
        assert_eq!(page_in(&order, &[1, 2, 3], 5, 2, 10), vec![1]);
        assert_eq!(page_in(&order, &[], 5, 0, 10), Vec::<u32>::new());
    }
}
