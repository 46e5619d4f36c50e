//! The public shell: the home page lists the bodies, the version for the visually impaired
//! and the language are kept across pages, health and metrics answer.

use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn the_home_page_lists_bodies_with_their_subordinates_and_the_portal_contacts(app: TestApp) {
    let r = app.get("/").await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.expect("text");
    assert!(page.contains("<html lang=\"ru\">"));
    assert!(page.contains("<h1>Томская область</h1>"));
    assert!(page.contains("href=\"/o/social-protection/\"") && page.contains("href=\"/o/csp-tomsk/\""));
    assert!(page.contains("portal@tomsk.example"), "the footer carries the portal's contacts");
    assert!(!page.contains("<script"), "no JavaScript");
    let j: serde_json::Value = app.get("/bodies.json").await.json().await.expect("json");
    assert_eq!(j["bodies"].as_array().map(Vec::len), Some(3));
    assert_eq!(j["portal"]["name"], "Томская область");
}
on_both_backends!(the_home_page_lists_bodies_with_their_subordinates_and_the_portal_contacts);

async fn the_visually_impaired_version_is_kept_across_pages_until_switched_off(app: TestApp) {
    let plain = app.get("/").await.text().await.expect("text");
    assert!(plain.contains("<body class=\"\">"));
    let r = app.get("/prefs?a11y=on&back=%2Fo%2Fsocial-protection%2F").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers().get("location").and_then(|v| v.to_str().ok()), Some("/o/social-protection/"));
    for path in ["/o/social-protection/", "/", "/o/csp-tomsk/", "/staff/login"] {
        let page = app.get(path).await.text().await.expect("text");
        assert!(page.contains("<body class=\"a11y size-2 scheme-bw noimg\">"), "{path}");
        assert!(page.contains("Обычная версия"));
    }
    app.get("/prefs?scheme=wb&size=3").await;
    assert!(app.get("/").await.text().await.expect("text").contains("a11y size-3 scheme-wb noimg"));
    app.get("/prefs?a11y=off").await;
    assert!(app.get("/").await.text().await.expect("text").contains("<body class=\"\">"));
}
on_both_backends!(the_visually_impaired_version_is_kept_across_pages_until_switched_off);

async fn the_english_switch_translates_the_interface(app: TestApp) {
    app.get("/prefs?lang=en").await;
    let page = app.get("/o/social-protection/").await.text().await.expect("text");
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("Version for the visually impaired"));
    assert!(page.contains("Департамент социальной защиты"), "content stays as entered");
    let missing = app.get("/nothing").await.text().await.expect("text");
    assert!(missing.contains("Page not found"));
    app.get("/prefs?lang=ru").await;
    assert!(app.get("/").await.text().await.expect("text").contains("Версия для слабовидящих"));
}
on_both_backends!(the_english_switch_translates_the_interface);

/// Search engines read a description of each page and may crawl the public pages; browsers find
/// the portal's icon where they look for it.
async fn search_engines_and_browsers_find_what_they_look_for(app: TestApp) {
    let home = app.get("/").await.text().await.expect("text");
    assert!(home.contains("<meta name=\"description\" content=\"Томская область. Обратиться в органы власти"), "home");
    let body = app.get("/o/social-protection/").await.text().await.expect("text");
    assert!(body.contains("<meta name=\"description\" content=\"Департамент социальной защиты"), "a body's page");
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status(), StatusCode::OK);
    let robots = robots.text().await.expect("text");
    assert!(robots.starts_with("User-agent: *\n") && !robots.contains("Disallow: /\n"), "{robots}");
    let icon = app.get("/favicon.ico").await;
    assert_eq!(icon.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/svg+xml"));
    assert!(icon.text().await.expect("text").starts_with("<svg"));
}
on_both_backends!(search_engines_and_browsers_find_what_they_look_for);

async fn health_and_metrics_answer(app: TestApp) {
    let r = app.get("/healthz").await;
    assert_eq!(r.status(), StatusCode::OK);
    app.get("/").await;
    let m = app.get("/metrics").await.text().await.expect("text");
    assert!(m.contains("glasnost_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"}"));
    assert!(m.contains("glasnost_jobs{status=\"queued\"} 0"));
}
on_both_backends!(health_and_metrics_answer);

async fn migrations_run_twice_without_change(app: TestApp) {
    assert!(app.db.migrate(&glasnost::schemas()).await.expect("migrate").is_empty());
}
on_both_backends!(migrations_run_twice_without_change);

/// A command run while the server starts migrates the same SQLite file at the same moment (the
/// README's demo and `glasnost user add`): each migration runs once, neither process fails.
#[tokio::test]
async fn processes_migrating_one_sqlite_file_at_once_run_each_migration_once() {
    for round in 0..5 {
        let dir = crate::helpers::temp_dir("migrate-at-once");
        let url = crate::helpers::database_url(crate::helpers::Backend::Sqlite, &dir).await.expect("sqlite url");
        let mut dbs = Vec::new();
        for _ in 0..4 {
            dbs.push(kernel::Db::connect(&url).await.expect("connect"));
        }
        let schemas = glasnost::schemas();
        let mut tasks = tokio::task::JoinSet::new();
        for db in dbs {
            let schemas = schemas.clone();
            tasks.spawn(async move { db.migrate(&schemas).await.map_err(|e| format!("{e:#}")) });
        }
        let runs = tasks.join_all().await;
        let mut applied = Vec::new();
        for run in runs {
            applied.extend(run.unwrap_or_else(|e| panic!("round {round}: a migrating process failed: {e}")));
        }
        let every: usize = kernel::db::with_kernel(&schemas).iter().map(|s| s.migrations.len()).sum();
        assert_eq!(applied.len(), every, "round {round}: each migration ran exactly once");
    }
}

/// The preference switches and the sign-in send a visitor back only to a path on this portal:
/// a tab, a line break or a backslash that browsers would turn into another host is refused.
async fn a_return_address_never_leaves_the_portal(app: TestApp) {
    let location = |r: &reqwest::Response| r.headers()["location"].to_str().expect("location").to_string();
    for back in [
        "%2F%09%2Fother-host/phish",
        "%2F%0A%2Fother-host",
        "%2F%5Cother-host",
        "%2F%2Fother-host",
        "https%3A%2F%2Fother-host",
    ] {
        let r = app.get(&format!("/prefs?lang=en&back={back}")).await;
        assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/", "back={back}");
    }
    assert_eq!(location(&app.get("/prefs?lang=ru&back=%2Fo%2Fsocial-protection%2F").await), "/o/social-protection/");
    let form = app.get("/staff/login?next=%2Fstaff%2F%09%2Fother-host").await.text().await.expect("login");
    assert!(form.contains("value=\"/staff/\""), "the sign-in form keeps only a staff path");
}
on_both_backends!(a_return_address_never_leaves_the_portal);
