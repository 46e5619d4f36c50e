//! Rows read as one JSON value (`Db::json_rows_sql`) are the rows the database holds: every
//! kind of text, numbers beyond 32 bits and NULLs come back as a row-by-row read gives them.

use kernel::Db;
use serde::Deserialize;
use sqlx::Row;

use crate::helpers::{Backend, database_url, temp_dir};

#[derive(Debug, Deserialize, PartialEq)]
struct Line {
    id: i64,
    words: String,
    at: Option<i64>,
}

async fn rows_read_as_json_are_the_rows(backend: Backend) {
    let dir = temp_dir("json-rows");
    let Some(url) = database_url(backend, &dir).await else { return };
    let db = Db::connect(&url).await.expect("connect");
    sqlx::query("CREATE TABLE lines (id BIGINT PRIMARY KEY, words TEXT NOT NULL, at BIGINT)")
        .execute(&db.pool)
        .await
        .expect("table");
    let texts = [
        "Прошу разъяснить «порядок» выплаты",
        "кавычки \" и ' и обратная \\ черта",
        "строки\nс переводом\r\nи\tтабуляцией",
        "<script>alert(1)</script> & ёЁ 😀",
        "",
        "[1, 2] {\"a\": null}",
    ];
    for (i, t) in texts.iter().enumerate() {
        let at = if i % 2 == 0 { Some(1_764_000_000_000_i64 + i as i64) } else { None };
        sqlx::query("INSERT INTO lines (id, words, at) VALUES ($1, $2, $3)")
            .bind(i as i64 + 1)
            .bind(*t)
            .bind(at)
            .execute(&db.pool)
            .await
            .expect("insert");
    }
    let direct: Vec<Line> = sqlx::query("SELECT id, words, at FROM lines ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .expect("rows")
        .iter()
        .map(|r| Line { id: r.get("id"), words: r.get("words"), at: r.get("at") })
        .collect();
    let sql = db.json_rows_sql(&["id", "words", "at"], "SELECT id, words, at FROM lines WHERE id > $1");
    let text: String =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(0_i64).fetch_one(&db.pool).await.expect("json").get(0);
    let mut read: Vec<Line> = kernel::db::from_json_rows(&text).expect("parse");
    read.sort_by_key(|l| l.id);
    assert_eq!(read, direct);
    let none = db.json_rows_sql(&["id", "words", "at"], "SELECT id, words, at FROM lines WHERE id > $1");
    let text: String =
        sqlx::query(sqlx::AssertSqlSafe(none)).bind(100_i64).fetch_one(&db.pool).await.expect("json").get(0);
    assert!(kernel::db::from_json_rows::<Line>(&text).expect("parse").is_empty(), "no rows: an empty list");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_read_as_json_are_the_rows_on_sqlite() {
    rows_read_as_json_are_the_rows(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_read_as_json_are_the_rows_on_postgres() {
    rows_read_as_json_are_the_rows(Backend::Postgres).await;
}
