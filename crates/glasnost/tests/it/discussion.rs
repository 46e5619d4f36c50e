//! Public discussion of a draft roadmap: a visitor comments (consent, a hidden field for
//! robots, a per-address limit, the text kept on every refusal), a planner publishes, rejects
//! and replies; replies are e-mailed through the outbox and the e-mail address is never shown.

use kernel::staff::Role;
use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{PASSWORD, T0, TestApp};
use crate::on_both_backends;

const SEED_002: &str = include_str!("../../../roadmap/tests/fixtures/002.txt");

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.db.pool)
        .await
        .expect("count")
        .try_get(0)
        .expect("number")
}

async fn a_draft_is_discussed_moderated_and_answered(app: TestApp) {
    app.create_staff("open@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    app.login("open@social.example", PASSWORD).await;
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let plan = roadmap::file::read_plan("002.txt", SEED_002.as_bytes()).expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "Проект плана", "002.txt", &plan);
    let actor = kernel::audit::Actor::system("test");
    let id = roadmap::store::create_from_import(&app.db, &actor, T0, new).await.expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    let m12 = loaded.measures.iter().find(|m| m.number == "12.").expect("measure 12").id.to_string();
    let page_url = format!("/o/social-protection/openness/discussion/{id}");

    let public = app.other_client();
    assert_eq!(public.get(&page_url).await.status(), StatusCode::NOT_FOUND, "a draft is not public");
    let r = app
        .post_form(
            &format!("/staff/o/social-protection/roadmaps/{id}/status"),
            &[("status", "discussion"), ("discussion_until", "2026-03-16")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let openness = public.get("/o/social-protection/openness/").await.text().await.expect("text");
    assert!(openness.contains(&format!("href=\"{page_url}\"")), "the openness page links the discussion");
    let r = public.get(&page_url).await;
    assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("private, no-store"));
    let page = r.text().await.expect("text");
    assert!(page.contains("по 16.03.2026") && page.contains("name=\"consent\""));

    // Refused: no consent, no text — the rest of what was typed comes back.
    let r = public.post_form(&page_url, &[("author_name", "Иван Петров"), ("text", ""), ("email", "ivan@")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    for message in ["напишите комментарий", "согласия на обработку", "value=\"Иван Петров\""]
    {
        assert!(text.contains(message), "{message}");
    }
    // A robot fills the hidden field: thanked, nothing stored.
    let r =
        public.post_form(&page_url, &[("text", "купите"), ("consent", "1"), ("website", "http://spam.example")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM roadmap_comments").await, 0);

    let comment = "Предлагаю разместить ответы на частые вопросы до 1 июня.";
    let fields = [
        ("unit", m12.as_str()),
        ("author_name", "Иван Петров"),
        ("email", "Ivan.Petrov@Example.org"),
        ("text", comment),
        ("consent", "1"),
    ];
    let r = public.post_form(&page_url, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let thanks = r.headers().get("location").and_then(|l| l.to_str().ok()).expect("location").to_string();
    let page = public.get(&thanks).await.text().await.expect("text");
    assert!(page.contains("будет опубликован после проверки"));
    assert!(!page.contains(comment), "not shown before moderation");
    let ack: String = sqlx::query("SELECT payload FROM jobs WHERE idempotency_key LIKE 'comment-received:%'")
        .fetch_one(&app.db.pool)
        .await
        .expect("acknowledgement queued")
        .try_get(0)
        .expect("payload");
    assert!(ack.contains("ivan.petrov@example.org") && ack.contains(comment));

    // The planner sees it with the address, rejects only with a reason, replies.
    let list = app.get(&format!("/staff/o/social-protection/roadmaps/{id}/comments")).await.text().await.expect("text");
    assert!(list.contains(comment) && list.contains("ivan.petrov@example.org") && list.contains("ждёт проверки"));
    let cid: i64 = count(&app, "SELECT MAX(id) FROM roadmap_comments").await;
    let moderate = format!("/staff/o/social-protection/roadmaps/{id}/comments/{cid}");
    let r = app.post_form(&moderate, &[("action", "reject"), ("reason", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("укажите причину отклонения"));
    let reply = "Спасибо, срок мероприятия 12 перенесён на 1 июня.";
    let r = app.post_form(&moderate, &[("action", "reply"), ("reply", reply)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = public.get(&page_url).await.text().await.expect("text");
    assert!(page.contains(comment) && page.contains(reply) && page.contains("к мероприятию 12."));
    assert!(!page.to_lowercase().contains("ivan.petrov@example.org"), "the address is never published");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'comment-reply:%'").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'roadmap_comment'").await, 1);
    // Public access to moderation is refused; another body's staff too (see access tests).
    assert_eq!(public.post_form(&moderate, &[("action", "publish")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'roadmap_comment'").await, 1);

    // Five comments per address in ten minutes; the sixth keeps its text and asks to wait.
    // Three of them as a spreadsheet would run them if they reached the CSV unchanged.
    let formulas = ["=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(1+1)", "-2+3"];
    for (i, text) in formulas.iter().map(|f| f.to_string()).chain(["Комментарий 3".to_string()]).enumerate()
    {
        let r = public.post_form(&page_url, &[("text", text.as_str()), ("consent", "1")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "comment {i}");
    }
    let r = public.post_form(&page_url, &[("text", "Шестой, важный"), ("consent", "1")]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let text = r.text().await.expect("text");
    assert!(text.contains("подождите 10 минут") && text.contains("Шестой, важный"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM roadmap_comments").await, 5);

    // The rejected one stays in the staff list and the CSV, never on the public page.
    let last: i64 = count(&app, "SELECT MAX(id) FROM roadmap_comments").await;
    let r = app
        .post_form(
            &format!("/staff/o/social-protection/roadmaps/{id}/comments/{last}"),
            &[("action", "reject"), ("reason", "не относится к проекту")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let csv =
        app.get(&format!("/staff/o/social-protection/roadmaps/{id}/comments.csv")).await.text().await.expect("csv");
    assert!(csv.starts_with("id,received,measure,author,text,status,reject_reason,reply,position\r\n"));
    assert_eq!(csv.matches("\r\n").count(), 6, "a header and five comments");
    assert!(csv.contains("не относится к проекту") && csv.contains(reply) && !csv.contains("example.org"));
    // Formulas reach the planner's spreadsheet as text.
    assert!(csv.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",") && csv.contains(",'@SUM(1+1),"));
    assert!(csv.contains(",'-2+3,") && !csv.contains(",=") && !csv.contains(",@"), "{csv}");
    assert!(!public.get(&page_url).await.text().await.expect("text").contains("Комментарий 3"));

    // After the last day the form closes; published comments stay readable.
    app.clock.set(T0 + 15 * 86_400_000);
    let page = public.get(&page_url).await.text().await.expect("text");
    assert!(page.contains("Обсуждение завершено") && !page.contains("name=\"consent\""));
    let late = public.other_client();
    let r = late.post_form(&page_url, &[("text", "Поздно?"), ("consent", "1")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(
        text.contains("обсуждение завершено") && text.contains("Поздно?"),
        "{}",
        text.split("<main").nth(1).unwrap_or_default()
    );
}
on_both_backends!(a_draft_is_discussed_moderated_and_answered);
