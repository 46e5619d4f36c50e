//! Visit statistics without third parties: people's views, the visits they began and the sites
//! they came from are counted apart from robots' views; files, staff pages and missing pages are
//! not counted; pages served from the cache are; nothing naming a visitor is stored; the public
//! summary shows no referring sites; staff see their own body only; the setting turns it off.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::header::{REFERER, USER_AGENT};

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
const YANDEX_BOT: &str = "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)";

/// A GET as a browser sends it: its name, and the page it came from.
async fn open(app: &TestApp, path: &str, agent: &str, from: Option<&str>) -> StatusCode {
    let mut req = app.client.get(app.url(path)).header(USER_AGENT, agent);
    if let Some(from) = from {
        req = req.header(REFERER, from);
    }
    req.send().await.expect("GET").status()
}

async fn stored(app: &TestApp) -> Vec<(String, i64, String, i64, i64, i64)> {
    let rows: Vec<(String, i64, String, i64, i64, i64)> =
        sqlx::query_as("SELECT path, body_id, section, views, entries, robots FROM visits_pages ORDER BY path")
            .fetch_all(&app.db.pool)
            .await
            .expect("rows");
    rows
}

async fn views_are_counted_apart_from_robots_and_nothing_personal_is_kept(app: TestApp) {
    let citizen = app.other_client();
    let own = app.url("/");
    let news = "/o/social-protection/news/";
    // A person comes from a search engine, goes on to a body's news, reads it again (the cache
    // answers the second time), asks for its first page by number; a robot reads the news too.
    assert_eq!(
        open(
            &citizen,
            "/",
            FIREFOX,
            Some("https://www.yandex.ru/search/?text=%D1%81%D0%BE%D1%86%D0%B7%D0%B0%D1%89%D0%B8%D1%82%D0%B0")
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(open(&citizen, news, FIREFOX, Some(&own)).await, StatusCode::OK);
    assert_eq!(open(&citizen, news, FIREFOX, Some(&own)).await, StatusCode::OK);
    assert_eq!(open(&citizen, &format!("{news}?page=1"), FIREFOX, Some(&own)).await, StatusCode::OK);
    assert_eq!(open(&citizen, news, YANDEX_BOT, None).await, StatusCode::OK);
    // Not pages for people, or not pages at all: none of these is counted.
    assert_eq!(open(&citizen, "/o/social-protection/no-such-page/", FIREFOX, None).await, StatusCode::NOT_FOUND);
    assert_eq!(open(&citizen, "/feed.rss", FIREFOX, None).await, StatusCode::OK);
    assert_eq!(open(&citizen, "/staff/login", FIREFOX, None).await, StatusCode::OK);

    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    app.login("admin@tomsk.example", PASSWORD).await;
    let page = app.get("/staff/visits/").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.expect("text");
    let body_id: i64 = sqlx::query_scalar("SELECT id FROM bodies WHERE slug = 'social-protection'")
        .fetch_one(&app.db.pool)
        .await
        .expect("body");
    assert_eq!(
        stored(&app).await,
        vec![("/".into(), 0, "".into(), 1, 1, 0), (news.into(), body_id, "news".into(), 3, 0, 1)],
        "one row per page, by people and robots apart; the query is not part of the page"
    );
    let referrers: Vec<(i64, String, i64)> = sqlx::query_as("SELECT body_id, host, views FROM visits_referrers")
        .fetch_all(&app.db.pool)
        .await
        .expect("referrers");
    assert_eq!(referrers, vec![(0, "yandex.ru".to_string(), 1)], "only the other site's host, without its query");
    // What the staff page shows: 4 views, 1 visit, 4 pages per visit, 1 robot's view, the site.
    for shown in ["<dd>4</dd>", "<dd>1</dd>", "<dd>4,0</dd>", "yandex.ru", "Новости", news] {
        assert!(page.contains(shown), "{shown} on the staff page: {page}");
    }
    // The public summary: the same figures, but not where people came from.
    let public = citizen.get("/visits/").await.text().await.expect("text");
    assert!(public.contains("<dd>4</dd>") && public.contains(news), "{public}");
    assert!(!public.contains("yandex.ru"), "the public summary names no referring site");
    let csv = citizen.get("/o/social-protection/visits/days.csv").await.text().await.expect("csv");
    assert_eq!(csv.lines().nth(1), Some("2026-03-02,3,0,1"), "{csv}");
    // Nothing naming a visitor is in the tables: no address, no browser's name.
    let dump: String = stored(&app).await.iter().map(|r| format!("{r:?}")).collect();
    assert!(!dump.contains("127.0.0.1") && !dump.contains("Firefox") && !dump.contains("Yandex"), "{dump}");

    // A body's editor sees their body's statistics, not the portal's or another body's.
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    let editor = app.other_client();
    editor.login("editor@social.example", PASSWORD).await;
    let own_page = editor.get("/staff/o/social-protection/visits/").await;
    assert_eq!(own_page.status(), StatusCode::OK);
    assert!(own_page.text().await.expect("text").contains("<dd>3</dd>"));
    assert_eq!(editor.get("/staff/visits/").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(editor.get("/staff/o/information-society/visits/").await.status(), StatusCode::FORBIDDEN);
}
on_both_backends!(views_are_counted_apart_from_robots_and_nothing_personal_is_kept);

async fn counting_turned_off_counts_nothing(app: TestApp) {
    assert_eq!(open(&app, "/", FIREFOX, None).await, StatusCode::OK);
    assert_eq!(open(&app, "/o/social-protection/news/", FIREFOX, None).await, StatusCode::OK);
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    app.login("admin@tomsk.example", PASSWORD).await;
    assert_eq!(app.get("/staff/visits/").await.status(), StatusCode::OK);
    assert!(stored(&app).await.is_empty());
}
on_both_backends!(counting_turned_off_counts_nothing, &[("GLASNOST_VISITS", "false")]);
