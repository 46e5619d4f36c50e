//! Mailing (seed 000 §40) against a real SMTP server (aiosmtpd): a citizen subscribes, confirms by
//! the link, gets a campaign with its one-click unsubscribe header, unsubscribes by the page and by
//! the RFC 8058 POST of a mail program, and gets nothing after; the ledger and the server agree by
//! Message-ID. Bounces: a recipient refused for good is suppressed, one refused for now gets the
//! letter on the retry, a bounce report from the folder or the webhook is applied. Bad input:
//! an invalid address, an expired or reused link, script in a subject, an empty audience. And a
//! server killed in the middle of a 5,000-letter campaign sends each letter once after a restart.

use std::time::{Duration, Instant};

use kernel::outbox::Worker;
use kernel::staff::Role;
use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{PASSWORD, T0, TestApp};
use crate::on_both_backends;
use crate::outbox::Sink;

const STAFF: &str = "/staff/o/social-protection/mailing/";

async fn text(r: reqwest::Response) -> String {
    r.text().await.expect("text")
}

/// The newest letter queued under a key starting with `prefix`.
async fn payload(app: &TestApp, prefix: &str) -> String {
    sqlx::query("SELECT payload FROM jobs WHERE idempotency_key LIKE $1 ORDER BY id DESC LIMIT 1")
        .bind(format!("{prefix}%"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{prefix}: {e}"))
        .try_get::<String, _>(0)
        .expect("payload")
}

fn link_in(payload: &str, prefix: &str) -> String {
    let start = payload.find(prefix).unwrap_or_else(|| panic!("{prefix} in {payload}"));
    payload[start..].split(['\\', '"', ' ', '>']).next().expect("link").to_string()
}

fn path_of(app: &TestApp, link: &str) -> String {
    link.strip_prefix(&app.cfg.public_url).unwrap_or(link).to_string()
}

/// Subscribes `email` weekly to the topics of the department and confirms by the letter's link;
/// returns the preferences page's path.
async fn subscribe_and_confirm(app: &TestApp, email: &str, topics: &[&str]) -> String {
    subscribe_as(app, email, topics, "weekly", Some("social-protection")).await
}

/// Subscribes `email` to the topics of `body` (None: every body) at `frequency`, confirmed.
async fn subscribe_as(app: &TestApp, email: &str, topics: &[&str], frequency: &str, body: Option<&str>) -> String {
    let citizen = app.other_client();
    let mut form = vec![("email", email), ("frequency", frequency), ("consent", "1")];
    form.extend(body.map(|b| ("body", b)));
    form.extend(topics.iter().map(|t| ("topic", *t)));
    let r = citizen.post_form("/mailing/", &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    let confirm = link_in(&payload(app, "mailing-confirm:").await, &format!("{}/mailing/confirm/", app.cfg.public_url));
    let r = citizen.post_form(&path_of(app, &confirm), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers().get("location").and_then(|l| l.to_str().ok()).expect("location").to_string();
    assert!(to.starts_with("/mailing/preferences/") && to.ends_with("?done=confirmed"), "{to}");
    to.trim_end_matches("?done=confirmed").to_string()
}

/// Drains the outbox through `worker`.
async fn send_all(worker: &Worker) {
    while worker.run_once().await.expect("worker") {}
}

/// Creates a campaign as the signed-in press secretary and schedules it now; returns its id.
async fn campaign(app: &TestApp, subject: &str, topic: &str) -> i64 {
    let r = app
        .post_form(
            STAFF,
            &[
                ("subject", subject),
                ("text", "Здравствуйте!\n\nПодробнее: https://tomsk.example/news/1"),
                ("topic", topic),
                ("body", "social-protection"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    let id: i64 = sqlx::query("SELECT MAX(id) FROM mailing_campaigns")
        .fetch_one(&app.db.pool)
        .await
        .expect("id")
        .try_get(0)
        .expect("id");
    let r = app.post_form(&format!("{STAFF}{id}/schedule"), &[("send_at", "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    id
}

/// The mailing's letters the server got (confirmation letters aside): those with `List-Id`.
fn mailings(sink: &Sink) -> Vec<String> {
    sink.messages().into_iter().filter(|m| header(m, "List-Id").is_some()).collect()
}

fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message.split("\r\n\r\n").next()?.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

async fn subscribe_confirm_receive_and_leave(app: TestApp) {
    let sink = Sink::keeping(&app.dir);
    let mut cfg = app.cfg.clone();
    cfg.smtp_url = Some(format!("smtp://127.0.0.1:{}", sink.port));
    let worker = Worker::new(app.db.clone(), cfg.clone(), app.clock.clone()).expect("worker");

    // The page, found from the home page, says how the mailing works.
    assert!(text(app.get("/").await).await.contains("href=\"/mailing/\""));
    let page = text(app.get("/mailing/?body=social-protection").await).await;
    assert!(page.contains("Правила рассылки") && page.contains("оператору рассылки «Томская область»"));

    // Bad input: every problem at once, the typed address kept.
    let citizen = app.other_client();
    let r = citizen.post_form("/mailing/", &[("email", "не-адрес"), ("frequency", "weekly")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    for m in ["не похож на адрес", "выберите хотя бы одну тему", "без согласия", "value=\"не-адрес\""]
    {
        assert!(page.contains(m), "{m}");
    }
    let r = citizen
        .post_form(
            "/mailing/",
            &[("email", "a@example.org"), ("topic", "gossip"), ("frequency", "hourly"), ("consent", "1")],
        )
        .await;
    let page = text(r).await;
    assert!(page.contains("такой темы рассылки нет") && page.contains("выберите, как часто"));
    assert_eq!(
        sqlx::query("SELECT COUNT(*) FROM mailing_subscribers")
            .fetch_one(&app.db.pool)
            .await
            .expect("n")
            .try_get::<i64, _>(0)
            .expect("n"),
        0
    );

    // Subscribed and confirmed: the consent is recorded; the link works once.
    let prefs = subscribe_and_confirm(&app, "Anna@Example.org", &["news", "conferences"]).await;
    let consent = sqlx::query("SELECT c.version, c.text, c.given_at FROM mailing_consents c JOIN mailing_subscribers s ON s.id = c.subscriber_id WHERE s.email = 'anna@example.org'")
        .fetch_one(&app.db.pool)
        .await
        .expect("consent");
    assert_eq!(consent.try_get::<String, _>(0).expect("v"), mailing::subscribers::CONSENT_VERSION);
    assert!(consent.try_get::<String, _>(1).expect("t").contains("Томская область"));
    assert_eq!(consent.try_get::<i64, _>(2).expect("at"), T0);
    let confirm =
        link_in(&payload(&app, "mailing-confirm:").await, &format!("{}/mailing/confirm/", app.cfg.public_url));
    let r = app.other_client().post_form(&path_of(&app, &confirm), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("уже использована"));
    assert_eq!(app.get(&path_of(&app, &confirm)).await.status(), StatusCode::GONE);
    assert!(text(app.get(&prefs).await).await.contains("подписка действует"));

    // An expired link confirms nothing.
    app.other_client()
        .post_form(
            "/mailing/",
            &[("email", "late@example.org"), ("topic", "news"), ("frequency", "daily"), ("consent", "1")],
        )
        .await;
    let late = link_in(&payload(&app, "mailing-confirm:").await, &format!("{}/mailing/confirm/", app.cfg.public_url));
    app.clock.set(T0 + 73 * 3_600_000);
    let r = app.other_client().post_form(&path_of(&app, &late), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("срок ссылки истёк"));
    app.clock.set(T0);
    let status: String = sqlx::query("SELECT status FROM mailing_subscribers WHERE email = 'late@example.org'")
        .fetch_one(&app.db.pool)
        .await
        .expect("row")
        .try_get(0)
        .expect("s");
    assert_eq!(status, "pending");

    // The press secretary: script in a subject refused; an empty audience refused.
    app.create_staff("press@social.example", Role::PressSecretary, Some("social-protection")).await;
    app.login("press@social.example", PASSWORD).await;
    let r = app
        .post_form(
            STAFF,
            &[
                ("subject", "<script>alert(1)</script>"),
                ("text", "x"),
                ("topic", "news"),
                ("body", "social-protection"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("не может быть разметки") && !page.contains("<script>alert(1)"));
    let r = app
        .post_form(
            STAFF,
            &[
                ("subject", "Наборы данных"),
                ("text", "Новые данные"),
                ("topic", "datasets"),
                ("body", "social-protection"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let empty: i64 = sqlx::query("SELECT MAX(id) FROM mailing_campaigns")
        .fetch_one(&app.db.pool)
        .await
        .expect("id")
        .try_get(0)
        .expect("id");
    let r = app.post_form(&format!("{STAFF}{empty}/schedule"), &[("send_at", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("нет ни одного подписчика"));
    let r = app.post_form(&format!("{STAFF}{empty}/schedule"), &[("send_at", "31.02.2027 10:00")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(
        page.contains("ДД.ММ.ГГГГ ЧЧ:ММ") && page.contains("value=\"31.02.2027 10:00\""),
        "the moment typed comes back"
    );

    // A test letter to its author, then the campaign to the subscriber, over SMTP.
    let first = campaign(&app, "Приглашаем на онлайн-конференцию", "conferences").await;
    let r = app.post_form(&format!("{STAFF}{first}/test"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(mailing::campaigns::dispatch(&app.db, &cfg, T0).await.expect("dispatch"), 1);
    send_all(&worker).await;
    mailing::campaigns::settle(&app.db, T0).await.expect("settle");
    let got = mailings(&sink);
    assert_eq!(got.len(), 2, "the test letter and the campaign");
    assert!(got.iter().any(|m| header(m, "To").is_some_and(|t| t.contains("press@social.example"))));
    let letter =
        got.iter().find(|m| header(m, "To").is_some_and(|t| t.contains("anna@example.org"))).expect("the campaign");
    let unsubscribe =
        header(letter, "List-Unsubscribe").expect("List-Unsubscribe").trim_matches(['<', '>']).to_string();
    assert!(unsubscribe.starts_with(&format!("{}/mailing/unsubscribe/", app.cfg.public_url)));
    assert_eq!(header(letter, "List-Unsubscribe-Post"), Some("List-Unsubscribe=One-Click"));
    assert!(letter.contains("multipart/alternative") && letter.contains("text/html"));
    let page = text(app.get(&format!("{STAFF}{first}")).await).await;
    assert!(
        page.contains("anna@example.org") && page.contains("принято сервером") && page.contains("250 OK"),
        "{page}"
    );
    assert!(page.contains("отправлена"), "the campaign is finished");
    let ledger_ids: Vec<String> =
        sqlx::query_scalar("SELECT message_id FROM mailing_deliveries").fetch_all(&app.db.pool).await.expect("ids");
    assert!(sink.received().contains(&ledger_ids[0]), "the ledger and the server agree by Message-ID");

    // A second subscriber; the second campaign queued for both; Anna leaves by the page before
    // it goes, Boris by his mail program's one-click POST after.
    subscribe_and_confirm(&app, "boris@example.org", &["conferences"]).await;
    let second = campaign(&app, "Итоги конференции", "conferences").await;
    assert_eq!(mailing::campaigns::dispatch(&app.db, &cfg, T0).await.expect("dispatch"), 2);
    // Spread by the rate limit: 600 a minute, one each 100 ms.
    let due: Vec<i64> = sqlx::query_scalar("SELECT run_at FROM jobs WHERE idempotency_key LIKE $1 ORDER BY run_at")
        .bind(format!("mailing:c{second}:%"))
        .fetch_all(&app.db.pool)
        .await
        .expect("run_at");
    assert_eq!(due, [T0, T0 + 100]);
    app.clock.set(T0 + 1_000);
    let anna_out = unsubscribe.strip_prefix(&app.cfg.public_url).expect("path").to_string();
    assert!(text(app.other_client().get(&anna_out).await).await.contains("Отписаться"));
    let r = app.other_client().post_form(&anna_out, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(text(app.get(&anna_out).await).await.contains("Вы отписались"));
    send_all(&worker).await;
    let got = mailings(&sink);
    assert_eq!(got.len(), 3, "only Boris got the second campaign");
    let boris = got.last().expect("letter");
    assert!(header(boris, "To").is_some_and(|t| t.contains("boris@example.org")));
    let boris_out = header(boris, "List-Unsubscribe").expect("header").trim_matches(['<', '>']).to_string();
    // A mail program: no cookie, no token, the body of RFC 8058.
    let r = reqwest::Client::new()
        .post(app.url(&path_of(&app, &boris_out)))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("one-click");
    assert_eq!(r.status(), StatusCode::OK);
    let left: Vec<(String, String)> =
        sqlx::query("SELECT kind, detail FROM mailing_events WHERE kind = 'unsubscribed' ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .expect("events")
            .iter()
            .map(|r| (r.try_get(0).expect("k"), r.try_get(1).expect("d")))
            .collect();
    assert_eq!(left, [("unsubscribed".to_string(), "link".to_string()), ("unsubscribed".into(), "one-click".into())]);
    mailing::campaigns::settle(&app.db, T0).await.expect("settle");
    let page = text(app.get(&format!("{STAFF}{second}?state=withdrawn")).await).await;
    assert!(page.contains("anna@example.org") && !page.contains("boris@example.org"), "{page}");

    // Nothing after: a third campaign has nobody to go to.
    let r = app
        .post_form(
            STAFF,
            &[("subject", "Ещё одна"), ("text", "Текст"), ("topic", "conferences"), ("body", "social-protection")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let third: i64 = sqlx::query("SELECT MAX(id) FROM mailing_campaigns")
        .fetch_one(&app.db.pool)
        .await
        .expect("id")
        .try_get(0)
        .expect("id");
    let r = app.post_form(&format!("{STAFF}{third}/schedule"), &[("send_at", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    send_all(&worker).await;
    assert_eq!(mailings(&sink).len(), 3);

    // The statistics: both came and left this month; a bar per month of the year.
    let page = text(app.get(&format!("{STAFF}stats")).await).await;
    assert!(page.contains("<tr><th scope=\"row\">03.26</th><td>0</td><td>2</td><td>2</td><td>0</td></tr>"), "{page}");
    assert!(page.contains("<tr><th scope=\"row\">04.25</th><td>0</td>"), "twelve months back");
    assert!(page.contains("принято сервером</th><td>2</td>"), "{page}");
    assert!(page.contains("не отправлено: подписчик отписался</th><td>1</td>"), "{page}");

    // Every step of the staff is in the audit log; the subscriber list is exported only with a reason.
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE object_type = 'mailing_campaign'")
        .fetch_one(&app.db.pool)
        .await
        .expect("n");
    assert!(audited >= 6, "{audited}");
    let r = app.post_form(&format!("{STAFF}subscribers.csv"), &[("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r =
        app.post_form(&format!("{STAFF}subscribers.csv"), &[("reason", "Сверка списка с обращением гражданина")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let after: String =
        sqlx::query_scalar("SELECT after_json FROM audit_log WHERE object_type = 'mailing_subscribers'")
            .fetch_one(&app.db.pool)
            .await
            .expect("export audited");
    assert!(after.contains("Сверка списка"), "{after}");
}
on_both_backends!(subscribe_confirm_receive_and_leave);

/// The state of each letter of a campaign by address, as the ledger reads it.
async fn states(app: &TestApp, campaign: i64) -> Vec<(String, String)> {
    mailing::campaigns::ledger(&app.db, campaign, None, 0, 100)
        .await
        .expect("ledger")
        .into_iter()
        .map(|d| (d.email, d.state))
        .collect()
}

async fn status_of(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT status FROM mailing_subscribers WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .expect("subscriber")
}

async fn message_id_of(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT message_id FROM mailing_deliveries WHERE email = $1 ORDER BY id LIMIT 1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .expect("delivery")
}

async fn bounces_suppress_hard_and_retry_soft(app: TestApp) {
    let sink = Sink::keeping(&app.dir);
    let mut cfg = app.cfg.clone();
    cfg.smtp_url = Some(format!("smtp://127.0.0.1:{}", sink.port));
    cfg.mailing_per_minute = 0;
    let worker = Worker::new(app.db.clone(), cfg.clone(), app.clock.clone()).expect("worker");
    let people = ["hard-bounce@example.org", "soft-bounce@example.org", "dsn@example.org", "hook@example.org"];
    for p in people {
        subscribe_and_confirm(&app, p, &["news"]).await;
    }
    // The confirmation letters go to the mail folder: the server's refusals are the campaign's.
    send_all(&Worker::new(app.db.clone(), app.cfg.clone(), app.clock.clone()).expect("worker")).await;
    app.create_staff("press@social.example", Role::PressSecretary, Some("social-protection")).await;
    app.login("press@social.example", PASSWORD).await;
    let id = campaign(&app, "Новости департамента", "news").await;
    assert_eq!(mailing::campaigns::dispatch(&app.db, &cfg, T0).await.expect("dispatch"), 4);
    send_all(&worker).await;
    mailing::campaigns::settle(&app.db, T0).await.expect("settle");

    // Refused at RCPT for good: bounced, suppressed; for now: deferred, then sent on the retry.
    let s = states(&app, id).await;
    assert_eq!(
        s,
        [
            ("hard-bounce@example.org".to_string(), "bounced".to_string()),
            ("soft-bounce@example.org".into(), "deferred".into()),
            ("dsn@example.org".into(), "sent".into()),
            ("hook@example.org".into(), "sent".into()),
        ]
    );
    assert_eq!(status_of(&app, "hard-bounce@example.org").await, "suppressed");
    let page = text(app.get(&format!("{STAFF}{id}")).await).await;
    assert!(page.contains("550") && page.contains("User unknown") && page.contains("451"), "{page}");
    app.clock.set(T0 + 60_000);
    send_all(&worker).await;
    assert_eq!(states(&app, id).await[1].1, "sent");
    assert_eq!(status_of(&app, "soft-bounce@example.org").await, "active");

    // A report of the receiving side in the bounce folder: hard, so suppressed; the file moved.
    let folder = app.dir.join("bounces");
    std::fs::create_dir_all(&folder).expect("folder");
    let dsn_id = message_id_of(&app, "dsn@example.org").await;
    let report = format!(
        "From: MAILER-DAEMON@mx.example.org\r\nTo: portal@tomsk.example\r\nSubject: Undelivered Mail Returned to Sender\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\n\
         The mail could not be delivered.\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n\
         Final-Recipient: rfc822; dsn@example.org\r\nAction: failed\r\nStatus: 5.2.1\r\nDiagnostic-Code: smtp; 550 5.2.1 mailbox disabled\r\n\
         --r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {dsn_id}\r\nSubject: Новости департамента\r\n--r--\r\n"
    );
    std::fs::write(folder.join("0001.eml"), report).expect("report");
    std::fs::write(folder.join("0002.eml"), "Subject: hello\r\n\r\nnot a report").expect("other");
    assert_eq!(mailing::bounces::read_folder(&app.db, &cfg, T0 + 60_000, &folder).await.expect("read"), 1);
    assert!(folder.join("done/0001.eml").exists() && folder.join("done/0002.eml").exists());
    assert_eq!(status_of(&app, "dsn@example.org").await, "suppressed");
    assert!(states(&app, id).await.contains(&("dsn@example.org".into(), "bounced".into())));

    // The webhook: refused without the secret and on bad input, with structured JSON.
    let hook = app.url("/api/mailing/bounces");
    let post = |body: &'static str, auth: bool| {
        let mut r = reqwest::Client::new().post(&hook).header("content-type", "application/json").body(body);
        if auth {
            r = r.header("authorization", "Bearer s3cret-of-the-provider");
        }
        r.send()
    };
    assert_eq!(post("[]", false).await.expect("post").status(), StatusCode::FORBIDDEN);
    let r = post("{not json", true).await.expect("post");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let j: serde_json::Value = r.json().await.expect("json");
    assert!(j["message"].as_str().is_some_and(|m| m.contains("не JSON")), "{j}");
    let r = post(r#"{"recipient": "hook@example.org", "status": "2.0.0"}"#, true).await.expect("post");
    let j: serde_json::Value = r.json().await.expect("json");
    assert_eq!(j["field"], "status", "{j}");
    // A soft bounce: the letter goes again, with the same Message-ID.
    let r = post(r#"{"recipient": "HOOK@example.org", "status": "4.2.2", "diagnostic": "mailbox full"}"#, true)
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<serde_json::Value>().await.expect("json")["matched"], 1);
    assert!(states(&app, id).await.contains(&("hook@example.org".into(), "deferred".into())));
    app.clock.set(T0 + 3_600_000);
    send_all(&worker).await;
    let hook_id = message_id_of(&app, "hook@example.org").await;
    assert_eq!(sink.received().iter().filter(|m| **m == hook_id).count(), 2);
    assert_eq!(status_of(&app, "hook@example.org").await, "active");

    // The suppressed get nothing more.
    app.login("press@social.example", PASSWORD).await;
    let next = campaign(&app, "Ещё новости", "news").await;
    assert_eq!(mailing::campaigns::dispatch(&app.db, &cfg, T0 + 3_600_000).await.expect("dispatch"), 2);
    let to: Vec<String> = states(&app, next).await.into_iter().map(|(e, _)| e).collect();
    assert_eq!(to, ["soft-bounce@example.org", "hook@example.org"]);
}
on_both_backends!(
    bounces_suppress_hard_and_retry_soft,
    &[("GLASNOST_MAILING_BOUNCE_SECRET", "s3cret-of-the-provider")]
);

/// 5,000 active subscribers of news of the body `slug` (written directly: the data of the test).
async fn many_subscribers(db: &kernel::Db, body: i64, n: usize) {
    let mut tx = db.begin().await.expect("tx");
    for i in 0..n {
        let id: i64 = sqlx::query(
            "INSERT INTO mailing_subscribers (email, lang, frequency, status, manage_token, created_at, changed_at) \
             VALUES ($1, 'ru', 'weekly', 'active', $2, $3, $3) RETURNING id",
        )
        .bind(format!("reader{i}@example.org"))
        .bind(kernel::staff::random_token())
        .bind(T0)
        .fetch_one(&mut *tx)
        .await
        .expect("subscriber")
        .try_get(0)
        .expect("id");
        sqlx::query("INSERT INTO mailing_interests (subscriber_id, topic, body_id) VALUES ($1, 'news', $2)")
            .bind(id)
            .bind(body)
            .execute(&mut *tx)
            .await
            .expect("interest");
    }
    tx.commit().await.expect("commit");
}

async fn killed_mid_campaign_then_restarted(backend: crate::helpers::Backend) {
    use crate::outbox::{free_port, start_server};
    const N: usize = 5_000;
    let dir = crate::helpers::temp_dir("mailing-kill");
    let Some(url) = crate::helpers::database_url(backend, &dir).await else { return };
    let sink = Sink::start(&dir);
    let cfg = crate::helpers::config_for(&dir, &url, &[]);
    let db = kernel::Db::connect(&cfg.database_url).await.expect("connect");
    db.migrate(&glasnost::schemas()).await.expect("migrate");
    let actor = kernel::audit::Actor::system("test");
    let form = kernel::bodies::BodyForm {
        slug: "social-protection".into(),
        full_name: "Департамент социальной защиты населения Томской области".into(),
        ..Default::default()
    };
    let body = kernel::bodies::create(&db, &actor, T0, None, &form.validate().expect("body")).await.expect("body");
    many_subscribers(&db, body.id, N).await;
    let now = jiff::Timestamp::now().as_millisecond();
    let checked = mailing::campaigns::Checked {
        subject: "Новости департамента".into(),
        text: "Здравствуйте!\n\nНовости недели: https://tomsk.example/news".into(),
        topics: vec!["news".into()],
        bodies: vec![body.id],
    };
    let id = mailing::campaigns::create(&db, &actor, now, body.id, &checked).await.expect("campaign");
    let c = mailing::campaigns::get(&db, body.id, id).await.expect("get").expect("campaign");
    mailing::campaigns::schedule(&db, &actor, now, &jiff::tz::TimeZone::UTC, &c, "").await.expect("schedule");

    let env: Vec<(String, String)> = [
        ("GLASNOST_DATA_DIR", dir.display().to_string()),
        ("GLASNOST_DATABASE_URL", url.clone()),
        ("GLASNOST_BIND", format!("127.0.0.1:{}", free_port())),
        ("GLASNOST_SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port)),
        ("GLASNOST_WORKER_LEASE_SECS", "2".into()),
        ("GLASNOST_WORKER_POLL_MS", "50".into()),
        ("GLASNOST_MAILING_PER_MINUTE", "0".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut server = start_server(&env);
    let started = Instant::now();
    while sink.received().len() < 1_000 {
        assert!(started.elapsed() < Duration::from_secs(300), "the campaign did not start sending");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("reap");
    let at_kill = sink.received().len();
    assert!(at_kill < N, "killed while still sending");

    let mut server = start_server(&env);
    let sent = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM mailing_deliveries d JOIN jobs j ON j.idempotency_key = d.job_key \
             WHERE d.campaign_id = $1 AND j.status = 'done'",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .expect("count")
    };
    let started = Instant::now();
    let mut last = (0, Instant::now());
    while sent().await < N as i64 {
        let n = sent().await;
        if n != last.0 {
            last = (n, Instant::now());
        }
        assert!(last.1.elapsed() < Duration::from_secs(120), "sending stopped at {n} of {N}");
        assert!(started.elapsed() < Duration::from_secs(900), "not every letter went");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.kill().expect("stop");
    server.wait().expect("reap");

    let mut seen = std::collections::HashMap::new();
    for id in sink.received() {
        *seen.entry(id).or_insert(0) += 1;
    }
    let ledger: std::collections::HashSet<String> =
        sqlx::query_scalar("SELECT message_id FROM mailing_deliveries WHERE campaign_id = $1")
            .bind(id)
            .fetch_all(&db.pool)
            .await
            .expect("ledger")
            .into_iter()
            .collect();
    assert_eq!(ledger.len(), N, "one ledger line per recipient");
    let received: std::collections::HashSet<String> = seen.keys().cloned().collect();
    assert_eq!(received, ledger, "the ledger and the SMTP server agree by Message-ID (killed after {at_kill})");
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    // Only the letters in flight at the kill repeat: on the wire (four SMTP connections, the
    // default), or accepted by the server and not yet recorded (see `Worker::run_batch`).
    let in_flight = 4 + 2 * kernel::outbox::GROUP;
    assert!(twice.len() <= in_flight && twice.iter().all(|(_, n)| **n == 2), "repeated letters: {twice:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_killed_mid_send_reaches_everyone_once_sqlite() {
    killed_mid_campaign_then_restarted(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_killed_mid_send_reaches_everyone_once_postgres() {
    killed_mid_campaign_then_restarted(crate::helpers::Backend::Postgres).await;
}

/// The digest letters queued so far: (idempotency key, payload), in order.
async fn digests(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query("SELECT idempotency_key, payload FROM jobs WHERE idempotency_key LIKE 'mailing:d%' ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .expect("digests")
        .iter()
        .map(|r| (r.try_get(0).expect("key"), r.try_get(1).expect("payload")))
        .collect()
}

/// Waits until the node's digest run (every second here) has queued `n` digests in all.
async fn until_digests(app: &TestApp, n: usize) -> Vec<(String, String)> {
    let started = Instant::now();
    loop {
        let d = digests(app).await;
        if d.len() >= n {
            return d;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{} digests of {n}", d.len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the node's collector has read the change log to its end.
async fn until_collected(app: &TestApp) {
    let started = Instant::now();
    loop {
        let last = kernel::search::last(&app.db).await.expect("last");
        let mark: Option<i64> = sqlx::query_scalar("SELECT value FROM mailing_marks WHERE name = 'changes'")
            .fetch_optional(&app.db.pool)
            .await
            .expect("mark");
        if mark.is_some_and(|m| m >= last) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the collector stopped at {mark:?} of {last}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn publish_news(app: &TestApp, body: &str, title: &str) {
    let r = crate::content::send(
        app,
        &format!("/staff/o/{body}/site/content/new/news"),
        &[("title", title), ("text", "Подробности на сайте.")],
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
}

async fn digests_follow_what_is_published_at_each_frequency(app: TestApp) {
    let sink = Sink::keeping(&app.dir);
    let mut cfg = app.cfg.clone();
    cfg.smtp_url = Some(format!("smtp://127.0.0.1:{}", sink.port));
    let worker = Worker::new(app.db.clone(), cfg.clone(), app.clock.clone()).expect("worker");
    until_collected(&app).await;
    subscribe_as(&app, "vera@example.org", &["news"], "immediately", Some("social-protection")).await;
    subscribe_as(&app, "gleb@example.org", &["news", "documents"], "weekly", None).await;
    // The confirmation letters go to the mail folder: what the server gets here is digests.
    send_all(&Worker::new(app.db.clone(), app.cfg.clone(), app.clock.clone()).expect("worker")).await;

    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let other = app.other_client();
    other.create_staff("editor@info.example", Role::Editor, Some("information-society")).await;
    other.login("editor@info.example", PASSWORD).await;
    publish_news(&app, "social-protection", "Открыт новый центр социальной поддержки").await;
    publish_news(&other, "information-society", "Запущен портал открытых данных").await;

    // At once: the department's news to Vera; Gleb's week has not passed.
    let d = until_digests(&app, 1).await;
    until_collected(&app).await;
    let (key, letter) = &d[0];
    assert!(letter.contains("vera@example.org") && letter.contains("Открыт новый центр"), "{letter}");
    assert!(!letter.contains("Запущен портал"), "not her body's news");
    assert!(letter.contains("1 материал") && letter.contains("/o/social-protection/news/"), "{letter}");
    send_all(&worker).await;
    let got = mailings(&sink);
    assert_eq!(got.len(), 1);
    assert!(got[0].contains(&format!("Message-ID: {}", kernel::outbox::message_id(&app.cfg.public_url, key))));

    // Vera leaves by her mail program's button; what is published next is not sent to her.
    let out = header(&got[0], "List-Unsubscribe").expect("header").trim_matches(['<', '>']).to_string();
    let r = reqwest::Client::new()
        .post(app.url(&path_of(&app, &out)))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("one-click");
    assert_eq!(r.status(), StatusCode::OK);
    publish_news(&app, "social-protection", "Изменён график приёма граждан").await;
    until_collected(&app).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(digests(&app).await.len(), 1, "nothing after unsubscribing");

    // A week on: Gleb's digest lists the news of every body.
    app.clock.set(T0 + 7 * 86_400_000 + 3_600_000);
    let d = until_digests(&app, 2).await;
    let letter = &d[1].1;
    for title in ["gleb@example.org", "Открыт новый центр", "Запущен портал", "Изменён график", "3 материала"]
    {
        assert!(letter.contains(title), "{title}: {letter}");
    }
    send_all(&worker).await;
    let got = mailings(&sink);
    assert_eq!(got.len(), 2);
    assert!(header(&got[1], "To").is_some_and(|t| t.contains("gleb@example.org")));
    assert!(header(&got[1], "List-Unsubscribe-Post").is_some());
}
on_both_backends!(digests_follow_what_is_published_at_each_frequency, &[("GLASNOST_MAILING_DIGEST_SECS", "1")]);
