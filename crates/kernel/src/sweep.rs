//! Deleting stored files no row names: left by a change whose commit failed after its file was
//! written (a file is written just before the row that names it), once they are old enough that
//! no change in flight can still name them.

use sqlx::Row;

use crate::storage::Storage;
use crate::{Db, Error, Result};

/// Where a mechanism keeps files and which rows name them.
pub struct Named {
    /// The storage folder (`site/files`).
    pub folder: &'static str,
    /// The table and column that name a file (`site_files`, `sha256`).
    pub table: &'static str,
    pub column: &'static str,
    /// What the column holds of a key (the key itself, or its last part).
    pub name_of: fn(&str) -> String,
}

/// A key's last part without its extension (`site/images/ab12.jpg` → `ab12`).
pub fn file_stem(key: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or(key);
    name.split_once('.').map_or(name, |(stem, _)| stem).to_string()
}

/// Deletes the files under `what.folder` older than `grace_ms` that no row names; how many.
pub async fn sweep(db: &Db, storage: &Storage, what: &Named, now: i64, grace_ms: i64) -> Result<usize> {
    let old: Vec<(String, String)> = storage
        .keys_under(what.folder)
        .await
        .map_err(Error::Internal)?
        .into_iter()
        .filter(|(_, at)| *at < now - grace_ms)
        .map(|(k, _)| ((what.name_of)(&k), k))
        .collect();
    let names: Vec<&str> = old.iter().map(|(n, _)| n.as_str()).collect();
    let mut named = std::collections::HashSet::new();
    for chunk in crate::db::pieces(&names) {
        let marks = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        // The table and column are the mechanism's constants, never input.
        let sql = format!("SELECT {c} FROM {t} WHERE {c} IN ({marks})", c = what.column, t = what.table);
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for n in chunk {
            q = q.bind(*n);
        }
        for r in q.fetch_all(&db.pool).await? {
            named.insert(r.try_get::<String, _>(0)?);
        }
    }
    let mut deleted = 0;
    for (_, key) in old.iter().filter(|(n, _)| !named.contains(n)) {
        storage.delete(key).await.map_err(Error::Internal)?;
        deleted += 1;
    }
    Ok(deleted)
}
