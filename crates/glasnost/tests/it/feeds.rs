//! The portal's feeds, RSS 2.0 and Atom, portal-wide and per body: read by feedparser without a
//! complaint, newest first, each entry with a stable id, its page and the moment it changed; a
//! body's feed holds only that body's things.

use reqwest::StatusCode;

use crate::helpers::{T0, TestApp, temp_dir};
use crate::on_both_backends;

/// feedparser's reading of each file.
pub(crate) fn read(files: &[std::path::PathBuf]) -> Vec<serde_json::Value> {
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/feed_check.py");
    let out = std::process::Command::new(python).arg(script).args(files).output().expect("run feedparser");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).expect("json")
}

async fn feeds_carry_what_is_published_newest_first(app: TestApp) {
    let social = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let other = app.create_body(None, "culture", "Департамент культуры").await;
    // Two published datasets a day apart, one of another body, and one not published.
    for (body, identifier, title, published, at) in [
        (social.id, "7017000019-shelters", "Приюты & центры <помощи>", 1, T0),
        (social.id, "7017000019-benefits", "Пособия", 1, T0 + 86_400_000),
        (other.id, "7017000026-theatres", "Театры", 1, T0 + 2 * 86_400_000),
        (social.id, "7017000019-draft", "Черновик", 0, T0 + 3 * 86_400_000),
    ] {
        sqlx::query(
            "INSERT INTO datasets (body_id, identifier, title, published, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(body)
        .bind(identifier)
        .bind(title)
        .bind(published)
        .bind(at)
        .execute(&app.db.pool)
        .await
        .expect("dataset");
    }
    let dir = temp_dir("feeds");
    let mut files = Vec::new();
    for (path, kind) in [
        ("/feed.atom", "application/atom+xml"),
        ("/feed.rss", "application/rss+xml"),
        ("/o/social-protection/feed.atom", "application/atom+xml"),
        ("/o/social-protection/feed.rss", "application/rss+xml"),
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.headers()["content-type"].to_str().expect("type").starts_with(kind), "{path}");
        let file = dir.join(path.trim_start_matches('/').replace('/', "_"));
        std::fs::write(&file, r.bytes().await.expect("bytes")).expect("write");
        files.push(file);
    }
    let feeds = read(&files);
    let base = app.cfg.public_url.trim_end_matches('/').to_string();
    for (i, f) in feeds.iter().enumerate() {
        assert_eq!(f["bozo"], false, "{:?}: {}", files[i], f["why"]);
    }
    assert_eq!(feeds[0]["version"], "atom10");
    assert_eq!(feeds[1]["version"], "rss20");
    let titles = |f: &serde_json::Value| -> Vec<String> {
        f["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["title"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    // Newest first; what is not published is not there; the title's markup is text.
    let portal = titles(&feeds[0]);
    assert_eq!(
        portal,
        ["Открытые данные: Театры", "Открытые данные: Пособия", "Открытые данные: Приюты & центры <помощи>"]
    );
    assert_eq!(titles(&feeds[1]), portal, "RSS carries the same");
    assert_eq!(titles(&feeds[2]), ["Открытые данные: Пособия", "Открытые данные: Приюты & центры <помощи>"]);
    let entry = &feeds[2]["entries"][1];
    assert_eq!(entry["link"], format!("{base}/opendata/7017000019-shelters/"));
    assert_eq!(entry["when"], "2026-03-02T09:00:00+00:00");
    // The same entry keeps its id in both formats and on every reading.
    let again = read(&files[2..3]);
    assert_eq!(again[0]["entries"][1]["id"], entry["id"]);
    assert_eq!(feeds[3]["entries"][1]["id"], entry["id"]);
    assert_eq!(app.get("/o/no-such-body/feed.atom").await.status(), StatusCode::NOT_FOUND);
}
on_both_backends!(feeds_carry_what_is_published_newest_first);
