//! Upgrading: a database made by the release before the mechanisms had their own migration
//! trees (SQLite file and PostgreSQL dump) migrates in place, and that release's backup restores
//! and migrates, on both backends — every row kept, the portal served from it. The fixtures and
//! how they were made: tests/data/previous-release (make.sh) and tests/data/SOURCES.md.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use kernel::Db;
use kernel::storage::Storage;
use reqwest::StatusCode;
use sqlx::{Executor, Row};

use crate::helpers::{Backend, TestApp, database_url, temp_dir};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/previous-release").join(name)
}

/// Every table the kernel and the mechanisms own, once each, in backup order.
fn owned_tables() -> Vec<&'static str> {
    kernel::db::with_kernel(&glasnost::schemas()).iter().flat_map(|s| s.tables.iter().copied()).collect()
}

/// Rows in each owned table the database has (an old release's lacks the newer tables).
async fn row_counts(db: &Db) -> BTreeMap<&'static str, i64> {
    let present = tables_in(db).await;
    let mut out = BTreeMap::new();
    for t in owned_tables().into_iter().filter(|t| present.iter().any(|p| p == t)) {
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {t}")))
            .fetch_one(&db.pool)
            .await
            .unwrap_or_else(|e| panic!("count {t}: {e}"))
            .try_get(0)
            .expect("count");
        out.insert(t, n);
    }
    out
}

async fn tables_in(db: &Db) -> Vec<String> {
    let sql = match db.backend {
        kernel::db::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        kernel::db::Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() ORDER BY table_name"
        }
    };
    let rows = sqlx::query(sql).fetch_all(&db.pool).await.expect("tables");
    rows.iter().map(|r| r.try_get::<String, _>("name").expect("name")).collect()
}

async fn applied(db: &Db) -> Vec<(String, i64)> {
    let rows = sqlx::query("SELECT mechanism, version FROM applied_migrations ORDER BY mechanism, version")
        .fetch_all(&db.pool)
        .await
        .expect("applied migrations");
    rows.iter().map(|r| (r.try_get("mechanism").expect("mechanism"), r.try_get("version").expect("version"))).collect()
}

fn every_migration() -> Vec<(String, i64)> {
    let mut all: Vec<(String, i64)> = kernel::db::with_kernel(&glasnost::schemas())
        .iter()
        .flat_map(|s| s.migrations.iter().map(|m| (s.mechanism.to_string(), m.version)))
        .collect();
    all.sort();
    all
}

/// The portal the fixtures hold, as a visitor and the database see it after the upgrade.
async fn serves_the_old_portal(app: &TestApp) {
    let page = app.get("/o/social-protection/").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("body").contains("Департамент социальной защиты населения"));
    let registry = app.get("/opendata/").await.text().await.expect("registry");
    assert!(registry.contains("Подведомственные учреждения Департамента социальной защиты"), "{registry}");
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let roadmaps = roadmap::store::for_body(&app.db, body.id).await.expect("roadmaps");
    assert_eq!(roadmaps.len(), 1, "the imported plan is there");
    // New rows take ids after the old ones, in every table that had rows (PostgreSQL sequences).
    sqlx::query(
        "INSERT INTO submission_letters (submission_id, what, sent_on, created_at) \
         SELECT id, 'extension', '2026-03-04', 0 FROM submissions",
    )
    .execute(&app.db.pool)
    .await
    .expect("a new letter after the upgrade");
    let f = kernel::bodies::BodyForm {
        slug: "after-upgrade".into(),
        full_name: "Новый орган".into(),
        ..Default::default()
    };
    kernel::bodies::create(&app.db, &kernel::audit::Actor::system("test"), 0, None, &f.validate().expect("valid"))
        .await
        .expect("a new body after the upgrade");
}

async fn upgrades_in_place(backend: Backend) {
    let dir = temp_dir("upgrade");
    let Some(url) = database_url(backend, &dir).await else { return };
    let old = Db::connect(&url).await.expect("connect");
    match backend {
        Backend::Sqlite => {
            old.pool.close().await;
            std::fs::copy(fixture("glasnost.db"), dir.join("glasnost.db")).expect("copy the old database");
        }
        Backend::Postgres => {
            let dump = std::fs::read_to_string(fixture("postgres.sql")).expect("dump");
            // The dump empties the search path of its session: load it on a connection of its own.
            let mut conn = old.pool.acquire().await.expect("connection");
            conn.execute(sqlx::AssertSqlSafe(dump)).await.expect("load the old release's database");
            sqlx::Connection::close(conn.detach()).await.expect("close");
            old.pool.close().await;
        }
    }
    let old = Db::connect(&url).await.expect("connect");
    let before = row_counts(&old).await;
    assert!(before.values().all(|n| *n > 0), "the fixture has rows in every table: {before:?}");
    assert!(tables_in(&old).await.contains(&"schema_migrations".to_string()));
    old.pool.close().await;

    let app = TestApp::serve(dir, &url, &[]).await;
    let (kept, new): (BTreeMap<_, _>, BTreeMap<_, _>) =
        row_counts(&app.db).await.into_iter().partition(|(t, _)| before.contains_key(t));
    assert_eq!(kept, before, "no row lost or added by the upgrade");
    // Tables added since hold only what their migrations put in (the portal's default rules).
    let fresh_dir = temp_dir("upgrade-fresh");
    let fresh_url = database_url(Backend::Sqlite, &fresh_dir).await.expect("a SQLite file");
    let fresh = Db::connect(&fresh_url).await.expect("fresh");
    fresh.migrate(&glasnost::schemas()).await.expect("migrate a fresh database");
    let seeded = row_counts(&fresh).await;
    // The compliance engine's statuses are computed from the other tables by any node that runs
    // the worker, from its start: they are not the upgrade's to keep empty.
    let computed = ["compliance_statuses", "compliance_bodies", "compliance_history", "compliance_marks"];
    for (table, n) in new.iter().filter(|(t, _)| !computed.contains(t)) {
        assert_eq!(Some(n), seeded.get(table), "{table}: a table added since that release starts as a new portal's");
    }
    assert_eq!(applied(&app.db).await, every_migration(), "every old migration recorded by its mechanism");
    assert!(!tables_in(&app.db).await.contains(&"schema_migrations".to_string()));
    assert!(app.db.migrate(&glasnost::schemas()).await.expect("again").is_empty(), "nothing left to apply");
    serves_the_old_portal(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_database_of_the_previous_release_upgrades_in_place() {
    upgrades_in_place(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_database_of_the_previous_release_upgrades_in_place() {
    upgrades_in_place(Backend::Postgres).await;
}

/// Rows per table in a backup file, read from the file itself.
fn rows_in_backup(zip_path: &Path) -> BTreeMap<String, i64> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(zip_path).expect("open")).expect("zip");
    let names: Vec<String> =
        zip.file_names().filter_map(|n| n.ok().map(|n| n.to_string())).filter(|n| n.starts_with("db/")).collect();
    let mut out = BTreeMap::new();
    for name in names {
        let mut text = String::new();
        zip.by_name(&name).expect("entry").read_to_string(&mut text).expect("read");
        let lines = text.as_bytes().lines().count() as i64;
        let table = name.trim_start_matches("db/").trim_end_matches(".jsonl").to_string();
        out.insert(table, (lines - 1).max(0));
    }
    out
}

async fn restores_the_previous_backup(backend: Backend) {
    let dir = temp_dir("restore-old");
    let Some(url) = database_url(backend, &dir).await else { return };
    let db = Db::connect(&url).await.expect("connect");
    db.migrate(&glasnost::schemas()).await.expect("migrate");
    let storage = Storage::open(&format!("file://{}", dir.join("files").display())).expect("storage");
    let zip = fixture("backup.zip");
    let summary = kernel::backup::restore(&db, &storage, &zip, &glasnost::schemas()).await.expect("restore");
    let expected = rows_in_backup(&zip);
    assert_eq!(summary.rows as i64, expected.values().sum::<i64>());
    assert_eq!(summary.files, 3);
    let counts = row_counts(&db).await;
    for (table, n) in &expected {
        assert_eq!(counts.get(table.as_str()), Some(n), "{table}");
    }
    assert_eq!(
        storage.get("appeals/fixture/заявление.txt").await.expect("the appeal's file").as_ref(),
        "текст".as_bytes()
    );
    db.pool.close().await;
    let app = TestApp::serve(dir, &url, &[]).await;
    serves_the_old_portal(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_previous_release_s_backup_restores_and_migrates_on_sqlite() {
    restores_the_previous_backup(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_previous_release_s_backup_restores_and_migrates_on_postgres() {
    restores_the_previous_backup(Backend::Postgres).await;
}

/// A backup carries every table: each table of a migrated database belongs to exactly one
/// schema (the kernel's or a mechanism's), and every table a schema names exists.
async fn every_table_is_owned_once(backend: Backend) {
    let dir = temp_dir("tables");
    let Some(url) = database_url(backend, &dir).await else { return };
    let db = Db::connect(&url).await.expect("connect");
    db.migrate(&glasnost::schemas()).await.expect("migrate");
    let mut owned: Vec<String> = owned_tables().iter().map(|t| t.to_string()).collect();
    let n = owned.len();
    owned.sort();
    owned.dedup();
    assert_eq!(owned.len(), n, "a table is owned by two schemas");
    let mut present = tables_in(&db).await;
    present.retain(|t| t != "applied_migrations");
    assert_eq!(present, owned);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sqlite_table_belongs_to_one_schema_and_is_backed_up() {
    every_table_is_owned_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_postgres_table_belongs_to_one_schema_and_is_backed_up() {
    every_table_is_owned_once(Backend::Postgres).await;
}
