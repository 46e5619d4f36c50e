//! One search over everything public: an editor publishes a news item and a document whose file
//! holds words its page does not; a citizen finds them on every node by inflected words, a typo,
//! a phrase and filters; a withdrawn thing is no longer found; whatever one types is answered
//! with results or a clear message, never an error.

use std::time::{Duration, Instant};

use kernel::staff::Role;
use reqwest::StatusCode;

use crate::content::{docx, location, send};
use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

/// A figure of the `/metrics` of the node at `base`, if it answers.
async fn metric(base: &str, name: &str) -> Option<i64> {
    let text = reqwest::get(format!("{base}/metrics")).await.ok()?.text().await.ok()?;
    text.lines().find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse().ok()))
}

/// Waits until the node's index holds every change of the log; fails only when the node makes
/// no progress for a whole minute.
pub async fn caught_up(node: &TestApp) {
    caught_up_at(&node.base, &node.db).await
}

async fn caught_up_at(base: &str, db: &kernel::Db) {
    let (mut seen, mut progress) = (i64::MIN, Instant::now());
    loop {
        let last = kernel::search::last(db).await.expect("the log's last change");
        let applied = metric(base, "glasnost_search_applied_change").await.unwrap_or(i64::MIN);
        if applied == last {
            return;
        }
        if applied > seen {
            (seen, progress) = (applied, Instant::now());
        }
        assert!(progress.elapsed() < Duration::from_secs(60), "the index stalled at {applied} of {last}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn search(node: &TestApp, query: &[(&str, &str)]) -> serde_json::Value {
    let q = serde_urlencoded::to_string(query).expect("query");
    let r = node.get(&format!("/search.json?{q}")).await;
    assert_eq!(r.status(), StatusCode::OK, "{q}");
    r.json().await.expect("json")
}

fn paths(found: &serde_json::Value) -> Vec<String> {
    found["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["path"].as_str().unwrap_or_default().into())
        .collect()
}

async fn everything_public_is_found_in_russian_on_every_node(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let news = [
        ("title", "Приём граждан переносится"),
        ("text", "Личный приём граждан руководителем департамента переносится на среду."),
        ("note", ""),
    ];
    let r = send(&app, "/staff/o/social-protection/site/content/new/news", &news, None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let news_id = location(&r).split('?').next().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string();
    let news_path = format!("/o/social-protection/news/{news_id}");
    let document = [
        ("title", "Об утверждении порядка работы с обращениями"),
        ("act_kind", "Приказ"),
        ("act_number", "77-п"),
        ("act_date", "2026-03-03"),
        ("note", ""),
    ];
    let file = docx(&["Обращения граждан регистрируются в течение трёх дней.", "Ответ направляется заявителю."]);
    let r = send(&app, "/staff/o/social-protection/site/content/new/document", &document, Some(("порядок.docx", file)))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());

    // A second node on the same database builds its own index from the data.
    let other = TestApp::serve(crate::helpers::temp_dir("node"), &app.cfg.database_url, &[]).await;
    for node in [&app, &other] {
        caught_up(node).await;
        // Other forms of the words; «ё» as «е»; the title counts most.
        let found = search(node, &[("q", "приема гражданами")]).await;
        assert_eq!(paths(&found)[0], news_path, "{found}");
        assert_eq!(found["results"][0]["kind"], "news");
        assert_eq!(found["results"][0]["body"], "social-protection");
        // Words only the document's file holds, and its act's number.
        let found = search(node, &[("q", "регистрируются обращения")]).await;
        assert_eq!(found["complete"], 1, "{found}");
        assert_eq!(found["results"][1]["partial"], true, "sections on appeals have one of the words");
        assert!(paths(&found)[0].starts_with("/o/social-protection/documents/"));
        let snippet = found["results"][0]["snippet"].as_str().unwrap_or_default();
        assert!(snippet.contains("граждан регистрируются в течение"), "each word once: {snippet}");
        assert_eq!(search(node, &[("q", "приказ 77-п")]).await["complete"], 1);
        // A typo is corrected from the words the portal holds, and says so.
        let found = search(node, &[("q", "переноситься")]).await;
        assert_eq!(paths(&found), std::slice::from_ref(&news_path), "{found}");
        let found = search(node, &[("q", "депортамента")]).await;
        assert_eq!(found["corrected"], "департамента", "{found}");
        // The portal's sections are found by what they give.
        let found = search(node, &[("q", "обращения граждан"), ("kind", "section")]).await;
        assert!(paths(&found).contains(&"/appeals/new".to_string()), "{found}");
        // A section once, not once per body; asked within a body, that body's.
        let found = search(node, &[("q", "написать обращение")]).await;
        assert_eq!(paths(&found).iter().filter(|p| p.starts_with("/appeals/new")).count(), 1, "{found}");
        let found = search(node, &[("q", "написать обращение"), ("body", "social-protection")]).await;
        assert!(
            paths(&found).iter().any(|p| p.starts_with("/appeals/new") && p.contains("social-protection")),
            "{found}"
        );
        // A phrase must stand as written; filters narrow.
        assert_eq!(search(node, &[("q", "\"приём граждан\"")]).await["total"], 1);
        assert_eq!(search(node, &[("q", "\"граждан приём\"")]).await["total"], 0);
        assert_eq!(search(node, &[("q", "граждан"), ("kind", "document")]).await["total"], 1);
        // Another body holds no such document or news: only its own sections (its appeal form).
        let theirs = search(node, &[("q", "граждан"), ("body", "information-society")]).await;
        let kinds: Vec<&str> =
            theirs["results"].as_array().expect("results").iter().filter_map(|r| r["kind"].as_str()).collect();
        assert!(!kinds.is_empty() && kinds.iter().all(|k| *k == "section"), "{theirs}");
        assert!(paths(&theirs).iter().all(|p| p.contains("information-society")), "{theirs}");
        assert_eq!(search(node, &[("kind", "news")]).await["total"], 1, "a filter alone lists");
    }

    // The page: results with the words found marked, and the search in the header of every page.
    let page = other.get("/search?q=%D0%BF%D1%80%D0%B8%D1%91%D0%BC").await.text().await.expect("page");
    assert!(page.contains(&format!("<a href=\"{news_path}\">Приём граждан переносится</a>")), "{page}");
    assert!(page.contains("<mark>"), "{page}");
    let home = other.get("/").await.text().await.expect("home");
    assert!(home.contains("<form class=\"site-search\" method=\"get\" action=\"/search\""), "{home}");

    // Withdrawn on one node: found on neither once they have read the log.
    let withdraw = format!("/staff/o/social-protection/site/content/{news_id}/withdraw");
    let r = app.post_form(&withdraw, &[("action", "withdraw"), ("reason", "Ошибка в дате")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for node in [&app, &other] {
        caught_up(node).await;
        assert_eq!(search(node, &[("q", "переносится")]).await["total"], 0);
    }
}
on_both_backends!(everything_public_is_found_in_russian_on_every_node);

/// Whatever one types is answered: results, or a message naming what could not be used.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_input_gets_an_answer_never_an_error() {
    let Some(app) = TestApp::spawn(crate::helpers::Backend::Sqlite).await else { return };
    caught_up(&app).await;
    let long = "бюджет ".repeat(1_500);
    let odd = [
        "",
        "   ",
        long.as_str(),
        "\"открытые данные",
        "title:(бюджет OR *данные~2)^3 -x AND [a TO b] {}",
        "'; DROP TABLE search_changes; --",
        "<script>alert(1)</script>",
        "\u{0}\u{7}",
    ];
    for q in odd {
        let encoded = serde_urlencoded::to_string([("q", q)]).expect("query");
        let r = app.get(&format!("/search?{encoded}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{q:?}");
        let page = r.text().await.expect("page");
        assert!(!page.contains("<script>alert"), "escaped");
        assert_eq!(app.get(&format!("/search.json?{encoded}")).await.status(), StatusCode::OK);
    }
    let cut = search(&app, &[("q", long.as_str())]).await;
    assert_eq!(cut["problems"][0]["code"], "search_cut", "{cut}");
    for (field, value, code) in [
        ("body", "no-such-body", "search_unknown_body"),
        ("kind", "spaceship", "search_unknown_kind"),
        ("from", "вчера", "search_bad_date"),
        ("to", "2026-13-45", "search_bad_date"),
    ] {
        let found = search(&app, &[("q", "бюджет"), (field, value)]).await;
        assert_eq!(found["problems"][0]["code"], code, "{found}");
        assert!(found["problems"][0]["message"].as_str().unwrap_or_default().contains(value), "{found}");
        let page = app
            .get(&format!("/search?{}", serde_urlencoded::to_string([("q", "бюджет"), (field, value)]).expect("q")))
            .await
            .text()
            .await
            .expect("page");
        assert!(page.contains("data-test=\"search-problem\""), "{page}");
    }
    // A page far beyond the results, and a page number that is not one, show the first page.
    for page in ["999999", "-1", "x"] {
        assert_eq!(app.get(&format!("/search?q=a&page={page}")).await.status(), StatusCode::OK);
    }
    let r = app.get("/search/suggest?q=%D0%B1").await;
    assert_eq!(r.status(), StatusCode::OK);
}

/// Publishes a news item through the node, as an editor's browser does.
async fn publish(node: &TestApp, title: &str) -> String {
    let fields = [("title", title), ("text", "Текст сообщения для проверки поиска."), ("note", "")];
    let r = send(node, "/staff/o/social-protection/site/content/new/news", &fields, None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    location(&r).split('?').next().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string()
}

/// Every news item node `base` finds, by its page (each page of the listing read).
async fn every_news_item(base: &str) -> Vec<String> {
    let mut out = Vec::new();
    for page in 1.. {
        let url = format!("{base}/search.json?kind=news&page={page}");
        let found: serde_json::Value = reqwest::get(url).await.expect("search").json().await.expect("json");
        let paths = paths(&found);
        if paths.is_empty() || found["page"] != page {
            return out;
        }
        out.extend(paths);
    }
    out
}

/// Two nodes on one PostgreSQL: what one publishes the other finds (the delay is printed); the
/// other, killed twice while things are being published and started again, catches up with every
/// thing once — none missing, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_node_killed_and_started_again_catches_up_without_missing_or_doubling() {
    use crate::helpers::{Backend, Process, glasnost_command, temp_dir};
    let Some(a) = TestApp::spawn(Backend::Postgres).await else { return };
    a.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    a.login("editor@social.example", PASSWORD).await;
    let dir = temp_dir("node-b");
    let port = crate::outbox::free_port();
    let b = format!("http://127.0.0.1:{port}");
    let env = [
        ("GLASNOST_DATA_DIR", dir.display().to_string()),
        ("GLASNOST_DATABASE_URL", a.cfg.database_url.clone()),
        ("GLASNOST_BIND", format!("127.0.0.1:{port}")),
        ("GLASNOST_WORKER", "false".into()),
        ("GLASNOST_LOG_FORMAT", "json".into()),
    ];
    let start = |n: usize| {
        let log = std::fs::File::create(dir.join(format!("node-b-{n}.log"))).expect("log");
        Process(
            glasnost_command(&env).arg("serve").stdout(std::process::Stdio::null()).stderr(log).spawn().expect("start"),
        )
    };
    let mut node_b = start(0);
    caught_up_at(&b, &a.db).await;

    // One item published on A, looked for on B until found.
    let published = Instant::now();
    let id = publish(&a, "Извещение о публичных слушаниях по проекту бюджета").await;
    let found_after = loop {
        let found: serde_json::Value =
            reqwest::get(format!("{b}/search.json?q=%D1%81%D0%BB%D1%83%D1%88%D0%B0%D0%BD%D0%B8%D1%8F%D1%85"))
                .await
                .expect("search")
                .json()
                .await
                .expect("json");
        if paths(&found).iter().any(|p| p.ends_with(&format!("/news/{id}"))) {
            break published.elapsed();
        }
        assert!(published.elapsed() < Duration::from_secs(60), "node B never found it: {found}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    eprintln!("published on node A, found on node B after {} ms", found_after.as_millis());

    // 150 more, B killed after the 50th and the 100th and started again each time.
    let mut ids = vec![id];
    for i in 0..150 {
        ids.push(publish(&a, &format!("Сообщение номер {i} о работе департамента")).await);
        if i == 49 || i == 99 {
            node_b.kill().expect("SIGKILL");
            node_b.wait().expect("reap");
            node_b = start(i);
        }
    }
    caught_up_at(&b, &a.db).await;
    let mut found = every_news_item(&b).await;
    let all = found.len();
    found.sort();
    found.dedup();
    assert_eq!(all, found.len(), "no item found twice");
    let mut expected: Vec<String> = ids.iter().map(|id| format!("/o/social-protection/news/{id}")).collect();
    expected.sort();
    assert_eq!(found, expected, "every item found once on node B after two kills");
    eprintln!("node B killed twice: {} of {} items found, each once", found.len(), ids.len());
    drop(node_b);
}

/// The coordinator keeps synonyms (audited; a wrong one refused with its field named) that every
/// search uses at once, and reads what people searched for and did not find — counts only.
async fn staff_keep_synonyms_and_read_what_is_searched(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let news = [("title", "Приём органов государственной власти"), ("text", "График приёма."), ("note", "")];
    let r = send(&app, "/staff/o/social-protection/site/content/new/news", &news, None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/staff/search/").await.status(), StatusCode::FORBIDDEN, "not an editor's page");
    caught_up(&app).await;
    // Citizens search: one query finds nothing, one finds the news.
    for q in ["ОГВ", "ОГВ", "приём органов"] {
        let other = app.other_client();
        let r = other.get(&format!("/search?{}", serde_urlencoded::to_string([("q", q)]).expect("q"))).await;
        assert_eq!(r.status(), StatusCode::OK);
    }

    app.create_staff("coordinator@region.example", Role::RegionalCoordinator, None).await;
    let staff = app.other_client();
    staff.login("coordinator@region.example", PASSWORD).await;
    let page = staff.get("/staff/search/").await.text().await.expect("page");
    let not_found = page.split("id=\"empty-h\"").nth(1).unwrap_or_default();
    assert!(
        not_found.contains(">огв</a></td><td data-label=\"Поисков\">2</td><td data-label=\"Без результатов\">2<"),
        "{page}"
    );
    assert!(page.contains("data-test=\"search-total\">3<"), "{page}");
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM search_queries").fetch_one(&app.db.pool).await.expect("n");
    assert_eq!(stored, 2, "the queries and their counts, nothing else");

    // A synonym with an empty side is refused beside its field; a good one is kept and audited.
    let r = staff.post_form("/staff/search/synonyms", &[("words", "ОГВ"), ("meaning", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("page").contains("id=\"e-meaning\">заполните поле"));
    let r = staff
        .post_form("/staff/search/synonyms", &[("words", "ОГВ"), ("meaning", "орган государственной власти")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = staff
        .post_form("/staff/search/synonyms", &[("words", "огв"), ("meaning", "орган государственной власти")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "another case is another pair");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE object_type = 'search_synonym'")
        .fetch_one(&app.db.pool)
        .await
        .expect("audit");
    assert_eq!(audited, 2);
    let found = search(&app, &[("q", "ОГВ")]).await;
    assert_eq!(found["total"], 1, "{found}");

    // Removed: «ОГВ» finds nothing again once each pair is gone.
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM search_synonyms").fetch_all(&app.db.pool).await.expect("ids");
    for id in ids {
        let r = staff.post_form(&format!("/staff/search/synonyms/{id}/remove"), &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(search(&app, &[("q", "ОГВ")]).await["total"], 0);
    assert_eq!(staff.post_form("/staff/search/synonyms/999999/remove", &[]).await.status(), StatusCode::NOT_FOUND);
}
on_both_backends!(staff_keep_synonyms_and_read_what_is_searched);
