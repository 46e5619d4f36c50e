//! `sitemap.xml`: every public page a visitor reaches from the home page is in it, it validates
//! against the sitemaps.org schema, robots.txt names it; past 50,000 addresses (100,000 published
//! datasets) it is an index of files of 50,000, each valid.

use std::collections::{BTreeSet, VecDeque};

use reqwest::StatusCode;

use crate::helpers::{TestApp, temp_dir};
use crate::on_both_backends;

const SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sitemaps");

/// xmlschema's verdict on each file (None: valid).
fn validate(xsd: &str, files: &[std::path::PathBuf]) -> Vec<Option<String>> {
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/xsd_check.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(format!("{SCHEMAS}/{xsd}"))
        .args(files)
        .output()
        .expect("run xmlschema");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The addresses of a sitemap file, without the portal's address.
fn locs(xml: &str, base: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|s| s.split_once("</loc>").map(|(l, _)| l.replace("&amp;", "&")))
        .map(|l| l.strip_prefix(base).unwrap_or(&l).to_string())
        .collect()
}

/// Public HTML pages reached by links from the home page (one of each address; no query strings:
/// a filter of a page is the page).
async fn reachable(app: &TestApp) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::from(["/".to_string()]);
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 2_000 {
            continue;
        }
        let r = app.get(&path).await;
        let html = r.headers().get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        if r.status() != StatusCode::OK || !html {
            seen.remove(&path);
            continue;
        }
        let text = r.text().await.expect("text");
        for href in text.split("href=\"").skip(1).filter_map(|s| s.split('"').next()) {
            let href = href.replace("&#x2f;", "/").replace("&#47;", "/").replace("&amp;", "&");
            let Some(local) = href.strip_prefix('/').map(|h| format!("/{h}")) else { continue };
            let local = local.split(['?', '#']).next().unwrap_or_default().to_string();
            let not_a_page = local.starts_with("/staff")
                || local.starts_with("/static")
                || local.starts_with("/prefs")
                || local.starts_with("/api")
                || local.starts_with("//")
                || local.rsplit('/').next().is_some_and(|last| last.contains('.'));
            if !not_a_page && !seen.contains(&local) {
                queue.push_back(local);
            }
        }
    }
    seen
}

/// A draft plan of the body open for discussion: a public page of its own.
async fn a_draft_in_discussion(app: &TestApp, slug: &str) -> i64 {
    let body = kernel::bodies::by_slug(&app.db, slug).await.expect("query").expect("body");
    let plan = roadmap::import::from_text("№\tМероприятие\tСрок\n1.\tРазмещение плана\tпостоянно\n").expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "Проект плана", "plan.txt", &plan);
    let actor = kernel::audit::Actor::system("test");
    let id = roadmap::store::create_from_import(&app.db, &actor, crate::helpers::T0, new).await.expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    roadmap::store::set_status(&app.db, &actor, crate::helpers::T0, &loaded.roadmap, "discussion", "", "2026-04-01")
        .await
        .expect("discussion");
    id
}

async fn the_sitemap_lists_every_public_page_and_is_valid(app: TestApp) {
    let draft = a_draft_in_discussion(&app, "social-protection").await;
    let base = app.cfg.public_url.trim_end_matches('/').to_string();
    let robots = app.get("/robots.txt").await.text().await.expect("text");
    assert!(robots.contains(&format!("Sitemap: {base}/sitemap.xml")), "{robots}");
    let r = app.get("/sitemap.xml").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().expect("type").starts_with("application/xml"));
    let xml = r.text().await.expect("text");
    let listed: BTreeSet<String> = locs(&xml, &base).into_iter().collect();
    let pages = reachable(&app).await;
    assert!(pages.len() >= 15, "{pages:?}");
    let discussion = format!("/o/social-protection/openness/discussion/{draft}");
    assert!(pages.contains(&discussion) && listed.contains(&discussion), "{pages:?}");
    let missing: Vec<&String> = pages.difference(&listed).collect();
    assert!(missing.is_empty(), "pages a visitor reaches but the sitemap lacks: {missing:?}");
    for path in &listed {
        assert_eq!(app.get(path).await.status(), StatusCode::OK, "{path} is listed but is not a page");
    }
    let dir = temp_dir("sitemap");
    let file = dir.join("sitemap.xml");
    std::fs::write(&file, &xml).expect("write");
    assert_eq!(validate("sitemap.xsd", &[file]), [None]);
}
on_both_backends!(the_sitemap_lists_every_public_page_and_is_valid);

async fn past_fifty_thousand_addresses_the_sitemap_is_an_index(app: TestApp) {
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let mut tx = app.db.begin().await.expect("tx");
    for chunk in (0..100_000).collect::<Vec<u32>>().chunks(500) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|i| {
                format!(
                    "({}, '7017000019-load{i}', 'Набор {i}', 1, {}, {})",
                    body.id,
                    crate::helpers::T0,
                    crate::helpers::T0
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO datasets (body_id, identifier, title, published, created_at, updated_at) VALUES {}",
            rows.join(", ")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await.expect("datasets");
    }
    tx.commit().await.expect("commit");

    let base = app.cfg.public_url.trim_end_matches('/').to_string();
    let index = app.get("/sitemap.xml").await.text().await.expect("text");
    assert!(index.contains("<sitemapindex"), "{}", &index[..index.len().min(300)]);
    assert_eq!(locs(&index, &base), ["/sitemaps/1.xml", "/sitemaps/2.xml", "/sitemaps/3.xml"]);
    let dir = temp_dir("sitemap-index");
    std::fs::write(dir.join("index.xml"), &index).expect("write");
    let mut total = 0;
    let mut files = Vec::new();
    for n in 1..=3 {
        let part = app.get(&format!("/sitemaps/{n}.xml")).await.text().await.expect("text");
        let here = locs(&part, &base);
        assert!(here.len() <= 50_000);
        total += here.len();
        if n == 3 {
            assert!(here.contains(&"/opendata/7017000019-load99999/".to_string()));
            assert!(part.contains("<lastmod>2026-03-02</lastmod>"));
        }
        let file = dir.join(format!("{n}.xml"));
        std::fs::write(&file, &part).expect("write");
        files.push(file);
    }
    assert!(total > 100_000, "every dataset and every page: {total}");
    assert_eq!(app.get("/sitemaps/4.xml").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/sitemaps/x.xml").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(validate("siteindex.xsd", &[dir.join("index.xml")]), [None]);
    // The last file in full (the first two are alike but for their numbers).
    assert_eq!(validate("sitemap.xsd", &files[2..]), [None]);
}
on_both_backends!(past_fifty_thousand_addresses_the_sitemap_is_an_index);

/// A body's page describes the body as a schema.org `GovernmentOrganization`, its subordinate
/// organisation too, and what staff typed cannot end the script block.
async fn a_body_page_describes_the_body_for_search_engines(app: TestApp) {
    sqlx::query("UPDATE bodies SET phone = $1 WHERE slug = 'social-protection'")
        .bind("+7 (3822) 00-00-00 </script><script>alert(1)</script>")
        .execute(&app.db.pool)
        .await
        .expect("update");
    // A change through the directory (a new subordinate) makes every node read the bodies again.
    let social = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    app.create_body(Some(social.id), "csp", "Центр социальной поддержки").await;
    let page = app.get("/o/social-protection/").await.text().await.expect("text");
    assert!(!page.contains("<script>alert(1)"), "the phone cannot end the script block");
    let ld = page
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("a JSON-LD block");
    let ld: serde_json::Value = serde_json::from_str(ld).expect("JSON");
    assert_eq!(ld["@type"], "GovernmentOrganization");
    assert_eq!(ld["name"], "Департамент социальной защиты населения Томской области");
    assert_eq!(ld["url"], format!("{}/o/social-protection/", app.cfg.public_url.trim_end_matches('/')));
    assert!(ld["telephone"].as_str().is_some_and(|t| t.ends_with("</script><script>alert(1)</script>")));
    assert_eq!(ld["subOrganization"][0]["name"], "Центр социальной поддержки");
}
on_both_backends!(a_body_page_describes_the_body_for_search_engines);
