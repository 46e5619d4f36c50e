//! Backup and restore as one portable .zip: every table as JSON lines and every stored file.
//! The format does not depend on the backend, so a backup taken on SQLite restores into
//! PostgreSQL (the way an installation moves from one machine to several).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use anyhow::{Context, bail};
use futures::TryStreamExt;
use serde_json::{Map, Value};
use sqlx::{Column, Row, TypeInfo};

use crate::db::{Db, Schema, with_kernel};
use crate::storage::Storage;

const FORMAT: &str = "glasnost-backup-1";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub files: u64,
}

/// The tables a backup carries: the kernel's, then each mechanism's, in foreign-key order.
fn tables(schemas: &[&Schema]) -> Vec<&'static str> {
    with_kernel(schemas).iter().flat_map(|s| s.tables.iter().copied()).collect()
}

pub async fn backup(db: &Db, storage: &Storage, out: &Path, schemas: &[&Schema]) -> anyhow::Result<Summary> {
    let tmp = out.with_extension("zip.partial");
    let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("FORMAT", opts)?;
    zip.write_all(FORMAT.as_bytes())?;
    let mut summary = Summary::default();
    for table in tables(schemas) {
        zip.start_file(format!("db/{table}.jsonl"), opts)?;
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table} ORDER BY 1"))).fetch(&db.pool);
        let mut header_written = false;
        while let Some(row) = rows.try_next().await? {
            if !header_written {
                // The first line names the columns and whether each holds integers or text.
                let cols: Vec<Value> = row
                    .columns()
                    .iter()
                    .map(|c| {
                        let int = c.type_info().name().to_ascii_uppercase().contains("INT");
                        Value::Array(vec![Value::from(c.name()), Value::from(if int { "int" } else { "text" })])
                    })
                    .collect();
                writeln!(zip, "{}", Value::Array(cols))?;
                header_written = true;
            }
            let mut obj = Map::new();
            for (i, c) in row.columns().iter().enumerate() {
                let v = match row.try_get::<Option<i64>, _>(i) {
                    Ok(Some(n)) => Value::from(n),
                    Ok(None) => Value::Null,
                    Err(_) => match row.try_get::<Option<String>, _>(i) {
                        Ok(s) => s.map(Value::from).unwrap_or(Value::Null),
                        Err(e) => bail!("{table}.{}: value of an unsupported type: {e}", c.name()),
                    },
                };
                obj.insert(c.name().to_string(), v);
            }
            writeln!(zip, "{}", Value::Object(obj))?;
            summary.rows += 1;
        }
    }
    for key in storage.keys().await? {
        let data = storage.get(&key).await?;
        zip.start_file(format!("files/{key}"), opts)?;
        zip.write_all(&data)?;
        summary.files += 1;
    }
    zip.finish()?;
    std::fs::rename(&tmp, out)?;
    Ok(summary)
}

/// Restores into an empty, migrated database. Refuses a database that already holds a portal.
pub async fn restore(db: &Db, storage: &Storage, input: &Path, schemas: &[&Schema]) -> anyhow::Result<Summary> {
    let file = std::fs::File::open(input).with_context(|| format!("cannot open {}", input.display()))?;
    let mut zip = zip::ZipArchive::new(file).context("not a Glasnost backup (.zip expected)")?;
    let mut format = String::new();
    zip.by_name("FORMAT").context("not a Glasnost backup: FORMAT is missing")?.read_to_string(&mut format)?;
    if format.trim() != FORMAT {
        bail!("unsupported backup format `{}`", format.trim());
    }
    let existing: i64 = sqlx::query("SELECT COUNT(*) FROM bodies").fetch_one(&db.pool).await?.try_get(0)?;
    let users: i64 = sqlx::query("SELECT COUNT(*) FROM users").fetch_one(&db.pool).await?.try_get(0)?;
    if existing > 0 || users > 0 {
        bail!("the target database is not empty; restore only into a new database");
    }
    let mut summary = Summary::default();
    let mut tx = db.begin().await?;
    // Rows the migrations put in (the obligations lists) give way to the backup's own.
    let tables = tables(schemas);
    for table in tables.iter().rev() {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *tx).await?;
    }
    for table in &tables {
        let Ok(entry) = zip.by_name(&format!("db/{table}.jsonl")) else { continue };
        let mut lines = BufReader::new(entry).lines();
        let Some(header) = lines.next().transpose()? else { continue };
        let cols: Vec<(String, String)> = serde_json::from_str(&header).context("backup column header")?;
        let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
        let params: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
        let sql = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), params.join(", "));
        for line in lines {
            let line = line?;
            let obj: Map<String, Value> = serde_json::from_str(&line).with_context(|| format!("a row of {table}"))?;
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (name, kind) in &cols {
                let v = obj.get(name).unwrap_or(&Value::Null);
                q = match (v, kind.as_str()) {
                    (Value::Null, "int") => q.bind(None::<i64>),
                    (Value::Null, _) => q.bind(None::<String>),
                    (Value::Number(n), _) => {
                        q.bind(n.as_i64().with_context(|| format!("{table}.{name}: not an integer"))?)
                    }
                    (Value::String(s), _) => q.bind(s.clone()),
                    (other, _) => bail!("{table}.{name}: unexpected value {other}"),
                };
            }
            q.execute(&mut *tx).await.with_context(|| format!("cannot restore a row of {table}"))?;
            summary.rows += 1;
        }
    }
    tx.commit().await?;
    db.reset_sequences().await?;
    let names: Vec<String> =
        zip.file_names().filter_map(|n| n.ok().map(|n| n.to_string())).filter(|n| n.starts_with("files/")).collect();
    for name in names {
        let mut data = Vec::new();
        zip.by_name(&name)?.read_to_end(&mut data)?;
        storage.put(name.trim_start_matches("files/"), data.into()).await?;
        summary.files += 1;
    }
    Ok(summary)
}
