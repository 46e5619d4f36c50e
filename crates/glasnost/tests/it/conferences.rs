//! An online conference with the head of a body (seed 000 §41): the press secretary announces it
//! with two topics put to the vote; citizens vote, each vote counted once confirmed by its link,
//! and a second vote from a confirmed address is refused (on the form, and by the database when
//! two unconfirmed votes of one address are both confirmed); a proposed topic is moderated onto
//! the ballot; the results stay hidden, from staff too, until the vote closes; questions are
//! moderated before and answered after; the regional view checks the schedule against the norms.

use kernel::staff::Role;
use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{PASSWORD, T0, TestApp};
use crate::on_both_backends;

const STAFF: &str = "/staff/o/social-protection/conferences/";
const SCRIPT: &str = "<script>alert(1)</script>";
const DAY: i64 = 86_400_000;

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|l| l.to_str().ok()).expect("location").to_string()
}

async fn text(r: reqwest::Response) -> String {
    r.text().await.expect("text")
}

/// The letter queued under this idempotency key, as JSON text.
async fn letter(app: &TestApp, key: &str) -> String {
    sqlx::query("SELECT payload FROM jobs WHERE idempotency_key = $1")
        .bind(key)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{key}: {e}"))
        .try_get::<String, _>(0)
        .expect("payload")
}

async fn id_of(app: &TestApp, sql: &str, value: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(value.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql} {value}: {e}"))
        .try_get(0)
        .expect("id")
}

/// Votes for `topic` from `email`; the path of the link that confirms it.
async fn vote(app: &TestApp, citizen: &TestApp, page: &str, topic: i64, email: &str) -> String {
    let r = citizen
        .post_form(
            &format!("{page}/vote"),
            &[("topic", &topic.to_string()), ("vote_email", email), ("vote_consent", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{email}");
    let vid = id_of(app, "SELECT MAX(id) FROM council_conference_votes WHERE email = $1", email).await;
    let payload = letter(app, &format!("conference-vote:{vid}")).await;
    let prefix = format!("{}{page}/v/", app.cfg.public_url);
    let start = payload.find(&prefix).unwrap_or_else(|| panic!("{prefix} in {payload}"));
    let link = payload[start..].split(['\\', '"', ' ']).next().expect("link");
    link.trim_start_matches(&app.cfg.public_url).to_string()
}

async fn citizens_choose_the_topic_and_ask(app: TestApp) {
    app.create_staff("press@social.example", Role::PressSecretary, Some("social-protection")).await;
    app.create_staff("coord@tomsk.example", Role::RegionalCoordinator, None).await;
    app.login("press@social.example", PASSWORD).await;
    let citizen = app.other_client();

    // Bad input: every problem at once, what was typed given back as text.
    let bad = [
        ("kind", "head"),
        ("title", SCRIPT),
        ("date", "20.03.2026"),
        ("starts", "15:00"),
        ("ends", "14:00"),
        ("topics", "Одна тема"),
        ("voting_until", "25.03.2026"),
    ];
    let r = app.post_form(STAFF, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    for message in [
        "не может закончиться раньше, чем началась",
        "должно закончиться до начала конференции",
        "хотя бы две темы",
        "&#60;script&#62;",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(!page.contains(SCRIPT));
    let good = [
        ("kind", "head"),
        ("title", "Прямая линия с руководителем департамента"),
        ("date", "20.03.2026"),
        ("starts", "15:00"),
        ("ends", "16:30"),
        ("stream_url", "https://stream.example/line"),
        ("topics", "1. Пособия семьям с детьми\n2. Доступная среда"),
        ("voting_until", "13.03.2026"),
    ];
    let r = app.post_form(STAFF, &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r).trim_start_matches(STAFF).split('?').next().expect("id").parse().expect("id");
    let page = format!("/o/social-protection/conferences/{id}");
    let topic = |title: &'static str| {
        let app = &app;
        async move { id_of(app, "SELECT id FROM council_conference_topics WHERE title = $1", title).await }
    };
    let (families, access) = (topic("Пособия семьям с детьми").await, topic("Доступная среда").await);

    // A vote counts once confirmed; a second from the same confirmed address is refused.
    let link = vote(&app, &citizen, &page, families, "anna@mail.example").await;
    assert!(text(citizen.get(&link).await).await.contains("Голос засчитан"));
    let r = citizen
        .post_form(
            &format!("{page}/vote"),
            &[("topic", &access.to_string()), ("vote_email", "ANNA@mail.example"), ("vote_consent", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("с этого адреса голос уже подтверждён"), "on the form");
    // Two votes sent before either was confirmed: the second confirmation is refused.
    let first = vote(&app, &citizen, &page, families, "boris@mail.example").await;
    let second = vote(&app, &citizen, &page, access, "boris@mail.example").await;
    assert!(text(citizen.get(&first).await).await.contains("Голос засчитан"));
    let r = citizen.get(&second).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(text(r).await.contains("Голос не засчитан"), "by the database");
    assert!(text(citizen.get(&first).await).await.contains("Голос засчитан"), "opening the link again changes nothing");
    // Bad votes: no topic, no consent, a wrong address.
    let r = citizen.post_form(&format!("{page}/vote"), &[("topic", "999999"), ("vote_email", "почта")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let shown = text(r).await;
    for message in ["выберите тему из списка", "не похож на адрес", "без согласия"]
    {
        assert!(shown.contains(message), "{message}");
    }

    // A citizen's topic: moderated onto the ballot, the author told.
    let proposal = format!("Ремонт дорог {SCRIPT}");
    let r = citizen
        .post_form(
            &format!("{page}/topics"),
            &[("proposal", &proposal), ("proposal_email", "vera@mail.example"), ("proposal_consent", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let roads = topic("Ремонт дорог <script>alert(1)</script>").await;
    let staff_page = text(app.get(&format!("{STAFF}{id}")).await).await;
    assert!(staff_page.contains("предложена, ждёт проверки") && !staff_page.contains(SCRIPT));
    let moderate = format!("{STAFF}{id}/topics/{roads}");
    let r = app.post_form(&moderate, &[("decision", "reject"), ("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("назовите причину отказа"));
    assert_eq!(app.post_form(&moderate, &[("decision", "accept")]).await.status(), StatusCode::SEE_OTHER);
    assert!(letter(&app, &format!("conference-topic:{roads}")).await.contains("принята к голосованию"));
    let link = vote(&app, &citizen, &page, roads, "vera@mail.example").await;
    assert!(text(citizen.get(&link).await).await.contains("Голос засчитан"));
    // A vote sent now and confirmed only after the close does not count.
    let late = vote(&app, &citizen, &page, access, "late@mail.example").await;

    // Until the vote closes no one sees the results: the public sees the ballot, the staff the
    // number of votes.
    let public = text(citizen.get(&page).await).await;
    assert!(public.contains("Доступная среда") && public.contains("Ремонт дорог &#60;script&#62;"));
    assert!(!public.contains("Засчитано голосов") && !public.contains("выбрана"), "hidden before the close");
    let staff_page = text(app.get(&format!("{STAFF}{id}")).await).await;
    assert!(staff_page.contains("Засчитано голосов: 3") && staff_page.contains("скрыты до окончания"));
    assert!(!staff_page.contains("— 2</li>"), "no count per topic for staff either");

    // Questions: consent needed; one rejected with its reason, one accepted, answered after.
    let ask = format!("{page}/questions");
    let r = citizen.post_form(&ask, &[("full_name", "Галина"), ("ask_email", "galina@mail.example")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let shown = text(r).await;
    assert!(shown.contains("впишите вопрос") && shown.contains("Галина"), "the message, and the name kept");
    for (who, email, question) in [
        ("Галина", "galina@mail.example", "Когда начнут выплачивать пособие на третьего ребёнка?"),
        ("Спамер", "spam@mail.example", "Купите наши окна"),
    ] {
        let r = citizen
            .post_form(&ask, &[("full_name", who), ("ask_email", email), ("question", question), ("ask_consent", "1")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let galina =
        id_of(&app, "SELECT id FROM council_conference_questions WHERE email = $1", "galina@mail.example").await;
    let spam = id_of(&app, "SELECT id FROM council_conference_questions WHERE email = $1", "spam@mail.example").await;
    let question = |q: i64| format!("{STAFF}{id}/questions/{q}");
    let reject = [("decision", "reject"), ("reason", "Вопрос не по теме конференции")];
    assert_eq!(app.post_form(&question(spam), &reject).await.status(), StatusCode::SEE_OTHER);
    assert!(letter(&app, &format!("conference-question:{spam}")).await.contains("Вопрос не по теме"));
    assert_eq!(app.post_form(&question(galina), &[("decision", "accept")]).await.status(), StatusCode::SEE_OTHER);
    let r = app.post_form(&question(galina), &[("answer", "С 1 апреля.")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("ответы публикуются после начала конференции"));
    let public = text(citizen.get(&page).await).await;
    assert!(public.contains("на третьего ребёнка") && !public.contains("Купите наши окна"), "accepted only");
    assert!(!public.contains("Галина") && !public.contains("@mail.example"), "authors are never public");

    // The vote closes at the end of its last day: the results, most votes first.
    app.clock.set(T0 + 12 * DAY);
    app.login("press@social.example", PASSWORD).await;
    assert!(text(citizen.get(&late).await).await.contains("голосование закончилось"));
    let public = text(citizen.get(&page).await).await;
    assert!(public.contains("Засчитано голосов: 3"), "the late one is not counted");
    let (first, second) = (public.find("Пособия семьям").expect("topic"), public.find("Доступная среда").expect("t"));
    assert!(first < second && public.contains("выбрана") && public.contains("2 (67 %)"), "{public}");
    let r = citizen
        .post_form(
            &format!("{page}/vote"),
            &[("topic", &access.to_string()), ("vote_email", "new@mail.example"), ("vote_consent", "1")],
        )
        .await;
    assert!(text(r).await.contains("голосование за тему этой конференции закрыто"));

    // A vote sent to a conference whose topic is not put to a vote is refused with its reason.
    let plain = [
        ("kind", "media"),
        ("title", "Брифинг для СМИ"),
        ("date", "25.03.2026"),
        ("starts", "11:00"),
        ("ends", "12:00"),
    ];
    let r = app.post_form(STAFF, &plain).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let briefing = location(&r).trim_start_matches(STAFF).split('?').next().expect("id").to_string();
    let r = citizen
        .post_form(
            &format!("/o/social-protection/conferences/{briefing}/vote"),
            &[("topic", &access.to_string()), ("vote_email", "new@mail.example"), ("vote_consent", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("голосование за тему этой конференции закрыто"), "the reason is shown");

    // After the conference: the answer and the recording.
    app.clock.set(T0 + 18 * DAY + 2 * 3_600_000);
    app.login("press@social.example", PASSWORD).await;
    assert_eq!(app.post_form(&question(galina), &[("answer", "С 1 апреля.")]).await.status(), StatusCode::SEE_OTHER);
    assert!(letter(&app, &format!("conference-answer:{galina}")).await.contains("Опубликован ответ"));
    let links = format!("{STAFF}{id}");
    let r = app.post_form(&links, &[("recording_url", "javascript:alert(1)")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("укажите адрес записи"));
    let saved = [("stream_url", "https://stream.example/line"), ("recording_url", "https://video.example/line")];
    assert_eq!(app.post_form(&links, &saved).await.status(), StatusCode::SEE_OTHER);
    let public = text(citizen.get(&page).await).await;
    assert!(public.contains("С 1 апреля.") && public.contains("https://video.example/line"));

    // The regional view: one conference with the head this year and quarter, one for the media.
    app.login("coord@tomsk.example", PASSWORD).await;
    let region = text(app.get("/staff/region").await).await;
    assert!(region.contains("/staff/o/social-protection/conferences/#schedule"), "{region}");
    assert!(region.contains("1/6 · 1/4 · 1/2"), "{region}");
    assert!(region.contains("меньше конференций для СМИ"));
    let audited: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE object_type LIKE 'council_conference%'")
        .fetch_one(&app.db.pool)
        .await
        .expect("audit")
        .try_get(0)
        .expect("n");
    assert_eq!(audited, 7, "two conferences, the topic, two questions, the answer, the links");
}

on_both_backends!(citizens_choose_the_topic_and_ask);
