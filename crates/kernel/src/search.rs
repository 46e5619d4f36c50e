//! What a mechanism hands to the portal's search: a document per public thing, and a line in the
//! change log (`search_changes`) in the transaction that publishes, changes or withdraws it. The
//! search mechanism reads the log and asks the thing's mechanism for its document again.

use sqlx::Row;

use crate::error::Result;

/// One public thing as search indexes and shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// The mechanism's source that hands it over (its name in the change log) and its key there.
    pub source: &'static str,
    pub key: i64,
    /// Which of the item's things it is, when one item of the change log holds several (a plan's
    /// measures under the plan); 0 otherwise.
    pub part: i64,
    /// What it is: one of its source's kinds ("news", "dataset").
    pub kind: &'static str,
    /// The body it belongs to (None: the portal's own).
    pub body_id: Option<i64>,
    pub title: String,
    /// Its title in English, where it has one ('' otherwise).
    pub title_en: String,
    /// Its words: the text, the file's text, its description (in any language).
    pub text: String,
    /// Its public page.
    pub path: String,
    /// When it was published or last changed (ms).
    pub date: i64,
    pub tags: Vec<String>,
}

/// The counter of `versions` whose row lock orders the change log.
const COUNTER: &str = "search";

/// Notes, in the transaction on `tx`, that the thing `item` of `source` changed. Call it last in
/// the transaction: the counter's row stays locked until the transaction ends.
pub async fn changed(tx: &mut sqlx::AnyConnection, source: &str, item: i64, now: i64) -> Result<()> {
    let id: i64 = sqlx::query(
        "INSERT INTO versions (name, version) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET version = versions.version + 1 RETURNING version",
    )
    .bind(COUNTER)
    .fetch_one(&mut *tx)
    .await?
    .try_get("version")?;
    sqlx::query("INSERT INTO search_changes (id, source, item, at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(source)
        .bind(item)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// One line of the change log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub source: String,
    pub item: i64,
}

/// Up to `limit` changes after `after`, in order.
pub async fn changes_after(db: &crate::Db, after: i64, limit: i64) -> Result<Vec<Change>> {
    let rows = sqlx::query("SELECT id, source, item FROM search_changes WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok(Change { id: r.try_get("id")?, source: r.try_get("source")?, item: r.try_get("item")? }))
        .collect()
}

/// The last change's id (0 before any).
pub async fn last(db: &crate::Db) -> Result<i64> {
    crate::versions::get(db, COUNTER).await
}

/// `$from, $from+1, …` for `n` values: the list of an `IN (…)` of keys.
pub fn keys_list(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Runs `sql` for a search source's `get`, `{keys}` standing for `IN (…)` of the keys.
pub async fn rows(db: &crate::Db, sql: &str, keys: &[i64]) -> Result<Vec<sqlx::any::AnyRow>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let sql = sql.replace("{keys}", &format!("IN ({})", keys_list(1, keys.len())));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for k in keys {
        q = q.bind(*k);
    }
    Ok(q.fetch_all(&db.pool).await?)
}

/// Runs `sql` for a search source's `keys`: `$1` the key to start after, `$2` how many; the
/// first column is the key.
pub async fn keys_after(db: &crate::Db, sql: &'static str, after: i64, limit: u64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(sql).bind(after).bind(limit as i64).fetch_all(&db.pool).await?)
}
