//! Bad input never gets a 500: pages answer in Russian, the API in structured JSON.

use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn unknown_pages_and_records_get_a_useful_russian_404(app: TestApp) {
    let r = app.get("/no/such/page").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let page = r.text().await.expect("text");
    assert!(page.contains("<h1>Страница не найдена</h1>"));
    assert!(page.contains("href=\"/o/social-protection/\""), "the 404 page offers the bodies");
    assert_eq!(app.get("/o/no-such-body/").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/staff/o/no-such-body/").await.status(), StatusCode::SEE_OTHER, "anonymous: login first");
}
on_both_backends!(unknown_pages_and_records_get_a_useful_russian_404);

async fn machine_readable_errors_are_structured_json(app: TestApp) {
    let r = app.get("/o/no-such-body/body.json").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let j: serde_json::Value = r.json().await.expect("json");
    assert_eq!(j["code"], "not_found");
    assert!(j["message"].as_str().is_some_and(|m| !m.is_empty()));
    let r = app.client.get(app.url("/api/v1/nothing")).header("accept", "application/json").send().await.expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let j: serde_json::Value = r.json().await.expect("json");
    assert_eq!(j["code"], "not_found");
}
on_both_backends!(machine_readable_errors_are_structured_json);

async fn malformed_requests_get_a_clear_message_never_a_500(app: TestApp) {
    app.create_staff("admin@tomsk.example", kernel::staff::Role::PortalAdmin, None).await;
    app.login("admin@tomsk.example", crate::helpers::PASSWORD).await;
    let cases: Vec<(reqwest::Response, StatusCode, &str)> = vec![
        (app.get("/staff/admin/audit?before=abc").await, StatusCode::BAD_REQUEST, "Проверьте заполнение полей"),
        (app.get("/staff/logout").await, StatusCode::METHOD_NOT_ALLOWED, "не принимает такой запрос"),
        (app.get("/prefs?lang=klingon").await, StatusCode::BAD_REQUEST, "Неизвестный язык"),
        (app.get("/prefs?size=9").await, StatusCode::BAD_REQUEST, "Размер шрифта"),
        (app.get("/staff/admin/audit?body=nope").await, StatusCode::BAD_REQUEST, "Такого органа нет"),
        (
            app.post_form("/staff/admin/users/new", &[("role", "tsar")]).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "неизвестная роль",
        ),
    ];
    for (i, (r, status, text)) in cases.into_iter().enumerate() {
        assert_eq!(r.status(), status, "case {i}");
        let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert!(ct.starts_with("text/html"), "case {i}: {ct}");
        let page = r.text().await.expect("text");
        assert!(page.contains(text), "case {i}: «{text}» not in the page");
    }
    // A form of 3 MB is refused at once, unread, with the page that says why: read the answer
    // before sending the body (a client still writing when the server closes may see only a
    // broken pipe).
    let head = format!(
        "POST /staff/login HTTP/1.1\r\nHost: portal\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\nemail=",
        3 * 1024 * 1024
    );
    let answer = app.head_only(&head).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("слишком большая"), "{answer}");
}
on_both_backends!(malformed_requests_get_a_clear_message_never_a_500);

async fn the_preference_switch_never_redirects_off_the_portal(app: TestApp) {
    for back in ["//evil.example/", "https://evil.example/", "\\\\evil"] {
        let enc: String = url_encode(back);
        let r = app.get(&format!("/prefs?a11y=on&back={enc}")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers().get("location").and_then(|v| v.to_str().ok()), Some("/"), "back={back}");
    }
}
on_both_backends!(the_preference_switch_never_redirects_off_the_portal);

pub fn url_encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
