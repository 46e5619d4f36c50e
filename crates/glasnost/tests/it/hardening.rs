//! What an outsider cannot do to the server (issue 12): hold connections with slow or endless
//! requests, fill its memory through the page cache, frame its pages, forge a form.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{Backend, TestApp};

/// Reads what the server sends until it closes the connection. The bound is only a guard so a
/// broken server fails the test instead of hanging it; the server's own limit is one second.
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), read).await.expect("the server kept the connection open");
    String::from_utf8_lossy(&got).into_owned()
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.base.trim_start_matches("http://")).await.expect("connect")
}

const ONE_SECOND: &[(&str, &str)] = &[("GLASNOST_HEADER_TIMEOUT_SECS", "1"), ("GLASNOST_BODY_TIMEOUT_SECS", "1")];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, ONE_SECOND).await else { return };
    let mut slow = connect(&app).await;
    slow.write_all(b"GET / HTTP/1.1\r\nHost: portal\r\nX-Slow: ").await.expect("write");
    until_closed(&mut slow).await;
    // A kept-alive connection that goes quiet after an answer is closed as well.
    let mut idle = connect(&app).await;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: portal\r\n\r\n").await.expect("write");
    let answer = until_closed(&mut idle).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_announced_over_the_limit_is_refused_before_it_is_read() {
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, &[]).await else { return };
    let mut s = connect(&app).await;
    let head = "POST /o/social-protection/appeals/new HTTP/1.1\r\nHost: portal\r\n\
                Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1073741824\r\n\r\nx";
    s.write_all(head.as_bytes()).await.expect("write");
    let answer = until_closed(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("Форма слишком большая"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_does_not_arrive_in_time_is_refused() {
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, ONE_SECOND).await else { return };
    let mut s = connect(&app).await;
    let head = "POST /o/social-protection/appeals/new HTTP/1.1\r\nHost: portal\r\n\
                Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncsrf=";
    s.write_all(head.as_bytes()).await.expect("write");
    let answer = until_closed(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("слишком долго"), "{answer}");
}

/// The most memory the process has held (its peak resident set), in bytes.
fn peak_memory(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the server's /proc status");
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect("VmHWM in /proc status");
    kb * 1024
}

/// 2,000 addresses of a large public file, each made distinct by its query string, some with a
/// parameter the pages read (kept, within the budget), some with an invented one (never kept):
/// the process grows by no more than its cache budget + 60 MB over what it held once started (its
/// search index and Russian dictionary, some 45 MB, are there before), and a page served from the
/// cache keeps its headers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn distinct_query_strings_cannot_fill_the_memory() {
    const BUDGET_MB: u64 = 16;
    let settings = [("GLASNOST_PAGE_CACHE_MB", "16"), ("GLASNOST_PAGE_CACHE_MS", "600000")];
    let (server, address, _dir) = crate::opendata::demo_server_with(None, &["--extra-datasets", "1200"], &settings);
    let (status, list) = crate::opendata::get(&address, "/opendata/list.csv").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(list.len() > 200_000, "the registry is large: {} bytes", list.len());
    let before = peak_memory(server.id());
    eprintln!("peak memory before: {} MB", before / 1_048_576);
    let http = reqwest::Client::new();
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..2 {
        let (http, address, sent) = (http.clone(), address.clone(), sent.clone());
        clients.push(tokio::spawn(async move {
            loop {
                let i = sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if i >= 2000 {
                    return;
                }
                let query = if i % 2 == 0 { format!("v={i}") } else { format!("page={i}") };
                let r = http.get(format!("{address}/opendata/list.csv?{query}")).send().await.expect("get");
                assert_eq!(r.status(), reqwest::StatusCode::OK);
                assert!(r.bytes().await.expect("body").len() > 200_000);
            }
        }));
    }
    for c in clients {
        c.await.expect("client");
    }
    let peak = peak_memory(server.id());
    eprintln!("peak memory after 2,000 large pages: {} MB", peak / 1_048_576);
    assert!(
        peak - before < (BUDGET_MB + 60) * 1_048_576,
        "the server grew from {} MB to {} MB",
        before / 1_048_576,
        peak / 1_048_576
    );
    // The same address twice: the second answer comes from the cache with every header.
    let first = http.get(format!("{address}/opendata/list.csv?page=1")).send().await.expect("get");
    let second = http.get(format!("{address}/opendata/list.csv?page=1")).send().await.expect("get");
    for h in ["content-type", "content-disposition"] {
        assert_eq!(first.headers().get(h), second.headers().get(h), "{h}");
        assert!(second.headers().get(h).is_some(), "{h}");
    }
}

/// Signed in, a form needs the session's own token: not the one known before the sign-in, not a
/// cookie another site planted; and a form sent from another site is refused even with the
/// right token.
async fn a_staff_form_needs_the_sessions_token_from_the_portals_own_page(app: TestApp) {
    use kernel::staff::Role;
    use reqwest::StatusCode;
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    let before = app.csrf().await;
    app.login("admin@tomsk.example", crate::helpers::PASSWORD).await;
    let home = app.get("/staff/").await.text().await.expect("text");
    let token = app.csrf().await;
    assert!(home.contains(&format!("name=\"csrf\" value=\"{token}\"")), "the page's forms carry the session's token");
    assert_ne!(token, before, "the token changed at sign-in");
    let url = app.url("/staff/admin/bodies/new");
    let bad_input = [("full_name", ""), ("slug", "x")];
    let send = |csrf: String, headers: Vec<(&'static str, String)>| {
        let mut r = app.client.post(&url).form(&[("csrf", csrf.as_str()), bad_input[0], bad_input[1]]);
        for (k, v) in headers {
            r = r.header(k, v);
        }
        r.send()
    };
    assert_eq!(send(before.clone(), vec![]).await.expect("post").status(), StatusCode::FORBIDDEN, "the old token");
    let planted = "ab".repeat(32);
    let base = reqwest::Url::parse(&app.base).expect("base");
    app.jar.add_cookie_str(&format!("gl_csrf={planted}; Path=/"), &base);
    assert_eq!(app.cookie("gl_csrf").as_deref(), Some(planted.as_str()));
    let forged = send(planted.clone(), vec![]).await.expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a planted cookie");
    let evil = send(token.clone(), vec![("origin", "https://evil.example".into())]).await.expect("post");
    assert_eq!(evil.status(), StatusCode::FORBIDDEN, "another site's origin");
    let sibling = send(token.clone(), vec![("sec-fetch-site", "same-site".into())]).await.expect("post");
    assert_eq!(sibling.status(), StatusCode::FORBIDDEN, "a sibling site");
    let own = send(token.clone(), vec![("origin", app.base.clone()), ("sec-fetch-site", "same-origin".into())]);
    assert_eq!(own.await.expect("post").status(), StatusCode::UNPROCESSABLE_ENTITY, "the portal's own page");
    // Signed out, the anonymous token is new as well.
    app.post_form("/staff/logout", &[]).await;
    assert_ne!(app.csrf().await, before);
}
crate::on_both_backends!(a_staff_form_needs_the_sessions_token_from_the_portals_own_page);

/// Every response carries the security headers; staff pages are never stored; HSTS when the
/// portal is served over HTTPS.
async fn every_response_carries_the_security_headers(app: TestApp) {
    use kernel::staff::Role;
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    let anonymous = [app.get("/").await, app.get("/nothing-here").await, app.get("/bodies.json").await];
    app.login("admin@tomsk.example", crate::helpers::PASSWORD).await;
    let staff = app.get("/staff/admin/users").await;
    let refused = app.client.post(app.url("/staff/admin/bodies/new")).send().await.expect("post");
    for r in anonymous.iter().chain([&staff, &refused]) {
        let h = r.headers();
        let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{}: {csp}", r.url());
        assert!(!csp.contains("unsafe-inline") && !csp.contains("script-src"), "no script may run: {csp}");
        assert_eq!(h.get("x-frame-options").and_then(|v| v.to_str().ok()), Some("DENY"));
        assert_eq!(h.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
        assert_eq!(h.get("referrer-policy").and_then(|v| v.to_str().ok()), Some("same-origin"));
        assert!(h.get("strict-transport-security").is_none(), "plain http: no HSTS");
    }
    assert_eq!(staff.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("private, no-store"));
}
crate::on_both_backends!(every_response_carries_the_security_headers);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_behind_https_asks_browsers_to_stay_on_https() {
    let settings = [("GLASNOST_PUBLIC_URL", "https://portal.tomsk.example")];
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, &settings).await else { return };
    let r = app.get("/").await;
    assert_eq!(r.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()), Some("max-age=31536000"));
}

/// A signed-in planner's 2 MB form of 130,000 fields is read in one pass: the confirmation of a
/// plan with 5,000 measures answers at once with what is wrong (it took 14.5 s of the server's
/// time when each field was looked up through the whole form). The bound only guards the test.
async fn a_form_of_many_fields_is_read_in_one_pass(app: TestApp) {
    use kernel::staff::Role;
    app.create_staff("open@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    app.login("open@social.example", crate::helpers::PASSWORD).await;
    let mut body = format!("csrf={}&title=&source=x&measures=5000", app.csrf().await);
    let mut i = 0;
    while body.len() < 2 * 1024 * 1024 - 32 {
        body.push_str(&format!("&z{i}=1"));
        i += 1;
    }
    assert!(i > 130_000, "{i} fields");
    let send = app
        .client
        .post(app.url("/staff/o/social-protection/roadmaps/confirm"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send();
    let r = tokio::time::timeout(Duration::from_secs(60), send).await.expect("answered").expect("post");
    assert_eq!(r.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("укажите название плана"));
}
crate::on_both_backends!(a_form_of_many_fields_is_read_in_one_pass);

/// The server's figures are for its monitoring: with a token set, only a request bearing it
/// reads them (without one, only the machine itself: the other tests read them from there).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_read_only_with_the_monitoring_token() {
    let settings = [("GLASNOST_METRICS_TOKEN", "monitoring-secret")];
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, &settings).await else { return };
    assert_eq!(app.get("/metrics").await.status(), reqwest::StatusCode::NOT_FOUND);
    let wrong = app.client.get(app.url("/metrics")).bearer_auth("guess").send().await.expect("get");
    assert_eq!(wrong.status(), reqwest::StatusCode::NOT_FOUND);
    let right = app.client.get(app.url("/metrics")).bearer_auth("monitoring-secret").send().await.expect("get");
    assert_eq!(right.status(), reqwest::StatusCode::OK);
    assert!(right.text().await.expect("text").contains("glasnost_http_requests_total"));
}

/// Two nodes on one PostgreSQL take appeals for four bodies at once: every appeal is stored
/// and numbered, and PostgreSQL saw no deadlock (the batches took the bodies' counters in
/// opposite orders and deadlocked each other).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_taking_appeals_for_several_bodies_never_deadlock() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    const APPEALS: usize = 1200;
    let unlimited = [("GLASNOST_APPEALS_PER_ADDRESS_HOUR", "0")];
    let Some(first) = TestApp::spawn_with(Backend::Postgres, &unlimited).await else { return };
    first.create_body(None, "culture", "Департамент культуры").await;
    let url = first.cfg.database_url.clone();
    let second = TestApp::serve(crate::helpers::temp_dir("second-node"), &url, &unlimited).await;
    let deadlocks = || async {
        use sqlx::Row;
        let row = sqlx::query("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
            .fetch_one(&first.db.pool)
            .await
            .expect("pg_stat_database");
        row.try_get::<i64, _>(0).expect("deadlocks")
    };
    let before = deadlocks().await;
    let bodies = ["social-protection", "information-society", "csp-tomsk", "culture"];
    let next = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for c in 0..16 {
        let node = if c % 2 == 0 { first.other_client() } else { second.other_client() };
        let next = next.clone();
        clients.push(tokio::spawn(async move {
            node.csrf().await;
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= APPEALS {
                    return;
                }
                let topic = format!("Обращение {i}");
                let fields = crate::appeals::appeal(bodies[(i * 7 + c) % bodies.len()], &topic);
                let status = crate::appeals::send(&node, &fields, &[]).await.status();
                assert_eq!(status, reqwest::StatusCode::SEE_OTHER, "appeal {i}");
            }
        }));
    }
    for c in clients {
        c.await.expect("client");
    }
    let stored: i64 = {
        use sqlx::Row;
        let row = sqlx::query("SELECT COUNT(*), COUNT(DISTINCT body_id::text || '/' || seq::text) FROM submissions")
            .fetch_one(&first.db.pool)
            .await
            .expect("count");
        let (all, distinct): (i64, i64) = (row.try_get(0).expect("all"), row.try_get(1).expect("distinct"));
        assert_eq!(all, distinct, "each number given once");
        all
    };
    assert_eq!(stored, APPEALS as i64);
    // PostgreSQL counts a deadlock when a session's statistics are flushed (at most a second later).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    sqlx::query("SELECT pg_stat_clear_snapshot()").execute(&first.db.pool).await.expect("fresh statistics");
    assert_eq!(deadlocks().await - before, 0, "deadlocks between the two nodes");
}
