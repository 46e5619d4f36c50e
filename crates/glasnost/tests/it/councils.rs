//! A public council in the open: the secretary creates it and publishes its composition (a
//! change published four days after its approval is late, for the secretary and the regional
//! view); a member without consent is «член совета» on every public page, the iCal and the JSON
//! twin; a meeting announced five days ahead is refused with the earliest allowed day, eight days
//! ahead it is published; citizens register, the second past capacity goes to the waiting list
//! and gets the seat the first gives up; the minutes are published after the meeting. Bad input
//! on every form gets a clear message, and script is shown as text.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::Form;

use crate::helpers::{PASSWORD, T0, TestApp};
use crate::on_both_backends;

const STAFF: &str = "/staff/o/social-protection/councils/";
const SCRIPT: &str = "<script>alert(1)</script>";
const DAY: i64 = 86_400_000;

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|l| l.to_str().ok()).expect("location").to_string()
}

async fn text(r: reqwest::Response) -> String {
    r.text().await.expect("text")
}

async fn add_member(app: &TestApp, id: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form = Form::new().text("csrf", app.csrf().await);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let url = app.url(&format!("{STAFF}{id}/members"));
    app.client.post(url).multipart(form).send().await.expect("POST")
}

/// The letter queued under this idempotency key, as JSON text.
async fn letter(app: &TestApp, key: &str) -> String {
    use sqlx::Row;
    sqlx::query("SELECT payload FROM jobs WHERE idempotency_key = $1")
        .bind(key)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{key}: {e}"))
        .try_get::<String, _>(0)
        .expect("payload")
}

/// The address a letter links to under `prefix`.
fn link_in(payload: &str, prefix: &str) -> String {
    let start = payload.find(prefix).unwrap_or_else(|| panic!("{prefix} in {payload}"));
    payload[start..].split(['\\', '"', ' ']).next().expect("link").to_string()
}

/// icalendar's reading of each feed.
fn read_ical(texts: &[String]) -> Vec<serde_json::Value> {
    let dir = crate::helpers::temp_dir("ical");
    let files: Vec<std::path::PathBuf> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = dir.join(format!("{i}.ics"));
            std::fs::write(&p, t).expect("write");
            p
        })
        .collect();
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/ical_check.py");
    let out = std::process::Command::new(python).arg(script).args(&files).output().expect("run icalendar");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// Registers `who` for the meeting; the link of the letter that confirms it.
async fn register(app: &TestApp, citizen: &TestApp, meeting_url: &str, (who, email): (&str, &str)) -> String {
    use sqlx::Row;
    let r = citizen.post_form(meeting_url, &[("full_name", who), ("email", email), ("consent", "1")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{who}");
    let rid: i64 = sqlx::query("SELECT id FROM council_registrations WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .expect("stored")
        .try_get(0)
        .expect("id");
    let payload = letter(app, &format!("council-registration:{rid}")).await;
    link_in(&payload, &format!("{}{meeting_url}/r/", app.cfg.public_url))
}

async fn a_council_meets_in_the_open(app: TestApp) {
    app.create_staff("secretary@social.example", Role::CouncilSecretary, Some("social-protection")).await;
    app.create_staff("coord@tomsk.example", Role::RegionalCoordinator, None).await;
    app.login("secretary@social.example", PASSWORD).await;
    let citizen = app.other_client();

    // The council: refused without what the public needs; script stays text.
    let r =
        app.post_form(STAFF, &[("kind", "public_council"), ("name", ""), ("email", "почта"), ("about", SCRIPT)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    for message in ["укажите наименование совета", "опишите условия присутствия", "&#60;script&#62;"]
    {
        assert!(page.contains(message), "{message}");
    }
    assert!(!page.contains(SCRIPT));
    let name = format!("Общественный совет {SCRIPT}");
    let card = [
        ("kind", "public_council"),
        ("name", name.as_str()),
        ("about", "Совет при департаменте."),
        ("address", "г. Томск, пр. Ленина, 111"),
        ("email", "council@social.example"),
        ("attendance", "Вход свободный по документу, удостоверяющему личность."),
    ];
    let r = app.post_form(STAFF, &card).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let staff_page = location(&r);
    let id: i64 = staff_page.trim_start_matches(STAFF).split('?').next().expect("id").parse().expect("id");

    // The composition: a member without consent, approved yesterday (on time); the chair with
    // consent, approved four days ago (a day late: the term is 3 days).
    let r = add_member(
        &app,
        id,
        &[("full_name", "Петров Пётр Петрович"), ("role", "member"), ("approved_on", "01.03.2026")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("done=saved"), "on time");
    let r = add_member(&app, id, &[("full_name", ""), ("role", "boss"), ("approved_on", "03.03.2026")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    for message in ["укажите фамилию", "выберите роль", "не может быть позже сегодняшнего дня"]
    {
        assert!(page.contains(message), "{message}");
    }
    let chair = [
        ("full_name", "Иванова Анна Петровна"),
        ("role", "chair"),
        ("consent", "1"),
        ("approved_on", "26.02.2026"),
        ("approved_by", "приказ от 26.02.2026 № 15"),
    ];
    let r = add_member(&app, id, &chair).await;
    assert!(location(&r).contains("done=late"), "published four days after its approval");
    let page = text(app.get(&format!("{STAFF}{id}")).await).await;
    assert!(page.contains("опубликовано с опозданием на 1 день"), "late on the secretary's page");
    // Five forms on one page: each input has its own id, so each label names its own input.
    let ids: Vec<&str> = page.split(" id=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids repeat on the council's staff page: {ids:?}");
    let desk = text(app.get(STAFF).await).await;
    assert!(desk.contains("Изменение состава: приказ от 26.02.2026 № 15"), "and on the desk");

    // Announcements: five days ahead is refused with the earliest day; eight days ahead goes.
    let announce = |date: &'static str| {
        vec![
            ("date", date),
            ("starts", "15:00"),
            ("ends", "17:00"),
            ("place", "г. Томск, пр. Ленина, 111, зал 3"),
            ("agenda", "1. О плане работы — Петров Пётр Петрович\n2. Об отчёте — Иванова Анна Петровна"),
            ("capacity", "1"),
            ("stream_url", "https://stream.example/council"),
        ]
    };
    let meetings = format!("{STAFF}{id}/meetings");
    let r = app.post_form(&meetings, &announce("07.03.2026")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("не менее чем за 7 дней") && page.contains("не раньше 09.03.2026"), "the rule and the day");
    let mut bad = announce("10.03.2026");
    bad[2] = ("ends", "14:00");
    bad[4] = ("agenda", " \n ");
    bad[3] = ("place", SCRIPT);
    let r = app.post_form(&meetings, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("раньше, чем началось") && page.contains("в повестке нет ни одного вопроса"));
    assert!(page.contains("&#60;script&#62;") && !page.contains(SCRIPT), "what was typed comes back as text");
    let r = app.post_form(&meetings, &announce("10.03.2026")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mid: i64 = location(&r).rsplit('/').next().and_then(|s| s.split('?').next()).expect("id").parse().expect("id");
    let meeting_url = format!("/o/social-protection/councils/meetings/{mid}");

    // Consent, on every public face of the council.
    let council_url = format!("/o/social-protection/councils/{id}");
    let council_page = text(citizen.get(&council_url).await).await;
    let meeting_page = text(citizen.get(&meeting_url).await).await;
    let json = text(citizen.get(&format!("{council_url}/council.json")).await).await;
    let feeds = [
        text(citizen.get("/councils/meetings.ics").await).await,
        text(citizen.get("/o/social-protection/councils/meetings.ics").await).await,
        text(citizen.get(&format!("{council_url}/meetings.ics")).await).await,
    ];
    for (what, shown) in [
        ("council", &council_page),
        ("meeting", &meeting_page),
        ("json", &json),
        ("ical", &feeds[0].replace("\r\n ", "")),
    ] {
        assert!(!shown.contains("Пётр"), "{what}: no name without consent");
        assert!(shown.contains("Иванова Анна Петровна"), "{what}: the name with consent");
        assert!(shown.contains("член совета") || shown.contains("Член совета"), "{what}: the member is there");
    }
    assert!(council_page.contains("&#60;script&#62;") && !council_page.contains(SCRIPT));
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("json");
    let names: Vec<&serde_json::Value> =
        parsed["members"].as_array().expect("members").iter().map(|m| &m["name"]).collect();
    assert_eq!(names, [&serde_json::json!("Иванова Анна Петровна"), &serde_json::Value::Null]);
    assert!(meeting_page.contains("https://stream.example/council") && meeting_page.contains("name=\"full_name\""));

    // The feeds parse, and the meeting is at 15:00 Tomsk time in each.
    for cal in read_ical(&feeds) {
        let events = cal["events"].as_array().expect("events");
        assert_eq!(events.len(), 1, "{cal}");
        assert_eq!(events[0]["start"], "2026-03-10T15:00:00+07:00", "{cal}");
        assert_eq!(events[0]["end"], "2026-03-10T17:00:00+07:00");
        assert_eq!(events[0]["url"], format!("{}{meeting_url}", app.cfg.public_url));
    }

    // Registration: consent needed; one seat, then the waiting list, then the seat given up.
    let r = citizen.post_form(&meeting_url, &[("full_name", "Сидоров Семён"), ("email", "sidorov@mail.example")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("без согласия на обработку персональных данных") && page.contains("Сидоров Семён"));
    let first = register(&app, &citizen, &meeting_url, ("Сидоров Семён", "sidorov@mail.example")).await;
    let second = register(&app, &citizen, &meeting_url, ("Кузнецова Ольга", "olga@mail.example")).await;
    let r = citizen
        .post_form(&meeting_url, &[("full_name", "Ещё раз"), ("email", "OLGA@mail.example"), ("consent", "1")])
        .await;
    assert!(text(r).await.contains("с этого адреса уже есть запись"), "one registration per address");
    let path = |link: &str| link.trim_start_matches(&app.cfg.public_url).to_string();
    assert!(text(citizen.get(&path(&first)).await).await.contains("за вами место в зале"));
    let page = text(citizen.get(&path(&second)).await).await;
    assert!(page.contains("вы в листе ожидания под номером 1") && page.contains("stream.example"), "past capacity");
    let wrong = format!("{}x", path(&second));
    assert_eq!(citizen.get(&wrong).await.status(), StatusCode::NOT_FOUND);
    // The first gives up the seat: it goes to the second, who is told.
    assert_eq!(citizen.post_form(&path(&first), &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(text(citizen.get(&path(&second)).await).await.contains("за вами место в зале"));
    use sqlx::Row;
    let olga: i64 = sqlx::query("SELECT id FROM council_registrations WHERE email = 'olga@mail.example'")
        .fetch_one(&app.db.pool)
        .await
        .expect("row")
        .try_get(0)
        .expect("id");
    assert!(letter(&app, &format!("council-seat:{olga}")).await.contains("Вы записаны на заседание"));
    // The secretary sees who registered; the CSV for the entrance keeps a cell from running.
    let staff_meeting = text(app.get(&format!("{STAFF}meetings/{mid}")).await).await;
    assert!(staff_meeting.contains("olga@mail.example") && staff_meeting.contains("место в зале"));
    assert!(!meeting_page.contains("@mail.example"), "addresses are never public");

    // The day before, the registrants are reminded once.
    app.clock.set(T0 + 7 * DAY + 12 * 3_600_000);
    assert_eq!(
        councils::registrations::remind(&app.db, &app.cfg, kernel::clock::Clock::now_ms(app.clock.as_ref()))
            .await
            .expect("remind"),
        1
    );
    assert_eq!(
        councils::registrations::remind(&app.db, &app.cfg, kernel::clock::Clock::now_ms(app.clock.as_ref()))
            .await
            .expect("remind"),
        0
    );

    // Minutes: not before the meeting; after it, published with a decision per item.
    app.login("secretary@social.example", PASSWORD).await;
    let minutes = format!("{STAFF}meetings/{mid}/minutes");
    let r = app.post_form(&minutes, &[("minutes", "Протокол № 1")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("протокол публикуется после заседания"));
    app.clock.set(T0 + 8 * DAY + 10 * 3_600_000);
    app.login("secretary@social.example", PASSWORD).await;
    let r = app.post_form(&minutes, &[("minutes", ""), ("decision_1", SCRIPT)]).await;
    let page = text(r).await;
    assert!(page.contains("вставьте текст протокола") && page.contains("&#60;script&#62;"), "kept, as text");
    let done = [
        ("minutes", "Протокол № 1. Присутствовали 9 членов совета из 11."),
        ("attended", "9 членов совета, 2 гражданина"),
        ("recording_url", "https://video.example/council-1"),
        ("decision_1", "План работы одобрить."),
        ("status_1", "done"),
    ];
    assert_eq!(app.post_form(&minutes, &done).await.status(), StatusCode::SEE_OTHER);
    let page = text(citizen.get(&meeting_url).await).await;
    for shown in [
        "Протокол № 1",
        "План работы одобрить.",
        "исполнено",
        "https://video.example/council-1",
        "https://stream.example/council",
    ] {
        assert!(page.contains(shown), "{shown}");
    }
    assert!(!page.contains("name=\"full_name\""), "no registration after the meeting");

    // The regional view shows the late publication.
    app.login("coord@tomsk.example", PASSWORD).await;
    let region = text(app.get("/staff/region").await).await;
    assert!(region.contains(&format!("/councils/{id}#publications")), "{region}");
    assert!(region.contains("изменения советов опубликованы позже срока"));
    // Every change the staff made is audited.
    let audited: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE object_type LIKE 'council%'")
        .fetch_one(&app.db.pool)
        .await
        .expect("audit")
        .try_get(0)
        .expect("n");
    assert_eq!(audited, 5, "the council, two members, the meeting, the minutes");
}

on_both_backends!(a_council_meets_in_the_open);

/// A portal kept in UTC: the feed lists the meeting at the hour announced, in UTC. One address
/// may send five registrations in ten minutes; the sixth is refused and nothing of it is stored.
async fn a_portal_in_utc_lists_meetings_in_utc(app: TestApp) {
    use sqlx::Row;
    app.create_staff("secretary@social.example", Role::CouncilSecretary, Some("social-protection")).await;
    app.login("secretary@social.example", PASSWORD).await;
    let card = [
        ("kind", "commission"),
        ("name", "Комиссия по делам несовершеннолетних"),
        ("email", "kdn@social.example"),
        ("attendance", "Вход свободный."),
    ];
    let r = app.post_form(STAFF, &card).await;
    let id: i64 = location(&r).trim_start_matches(STAFF).split('?').next().expect("id").parse().expect("id");
    let announce = [
        ("date", "10.03.2026"),
        ("starts", "15:00"),
        ("ends", "16:30"),
        ("place", "Зал 1"),
        ("agenda", "О работе комиссии"),
        ("capacity", "50"),
    ];
    let r = app.post_form(&format!("{STAFF}{id}/meetings"), &announce).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mid: i64 = location(&r).rsplit('/').next().and_then(|s| s.split('?').next()).expect("id").parse().expect("id");
    let feed = text(app.other_client().get("/councils/meetings.ics").await).await;
    let cal = read_ical(&[feed]);
    assert_eq!(cal[0]["events"][0]["start"], "2026-03-10T15:00:00+00:00", "{cal:?}");
    assert_eq!(cal[0]["events"][0]["end"], "2026-03-10T16:30:00+00:00");

    let citizen = app.other_client();
    let url = format!("/o/social-protection/councils/meetings/{mid}");
    for n in 0..6 {
        let email = format!("person{n}@mail.example");
        let r = citizen.post_form(&url, &[("full_name", "Житель"), ("email", &email), ("consent", "1")]).await;
        let expected = if n < 5 { StatusCode::SEE_OTHER } else { StatusCode::TOO_MANY_REQUESTS };
        assert_eq!(r.status(), expected, "registration {n}");
        if n == 5 {
            assert!(text(r).await.contains("подождите 10 минут"), "the message, with the form kept");
        }
    }
    let stored: i64 = sqlx::query("SELECT COUNT(*) FROM council_registrations")
        .fetch_one(&app.db.pool)
        .await
        .expect("count")
        .try_get(0)
        .expect("n");
    assert_eq!(stored, 5, "the refused one is not stored");
}

on_both_backends!(a_portal_in_utc_lists_meetings_in_utc, &[("GLASNOST_TIMEZONE", "UTC")]);

/// A council's draft work plan discussed in public on the discussion engine: put up with its
/// items and last day, commented on as a whole or item by item, moderated, shown with the item a
/// comment is on, closed after its last day, exported as CSV.
async fn a_work_plan_is_discussed_in_public(app: TestApp) {
    app.create_staff("secretary@social.example", Role::CouncilSecretary, Some("social-protection")).await;
    app.login("secretary@social.example", PASSWORD).await;
    let card = [
        ("kind", "public_council"),
        ("name", "Общественный совет"),
        ("email", "c@social.example"),
        ("attendance", "Вход свободный."),
    ];
    let r = app.post_form(STAFF, &card).await;
    let id: i64 = location(&r).trim_start_matches(STAFF).split('?').next().expect("id").parse().expect("id");
    let plans = format!("{STAFF}{id}/plans");
    let r = app
        .post_form(&plans, &[("plan_title", "Проект плана"), ("plan_items", " \n"), ("plan_until", "01.03.2026")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("впишите пункты плана") && page.contains("последний день обсуждения уже прошёл"));
    let draft = [
        ("plan_title", "Проект плана работы совета на 2026 год"),
        (
            "plan_items",
            "Отчёт департамента о работе с обращениями\nОбсуждение доступности социальных услуг\nПодведение итогов года",
        ),
        ("plan_until", "10.03.2026"),
    ];
    let r = app.post_form(&plans, &draft).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let moderation = location(&r);
    let pid: i64 = moderation.trim_end_matches("/comments").rsplit('/').next().expect("id").parse().expect("id");
    let public = format!("/o/social-protection/councils/plans/{pid}");

    let citizen = app.other_client();
    let comment = |unit: &'static str, text: &'static str| {
        [("unit", unit), ("text", text), ("author_name", "Мария"), ("email", "maria@mail.example"), ("consent", "1")]
    };
    let r = citizen.post_form(&public, &comment("9", "Не туда")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "no item 9");
    let r = citizen.post_form(&public, &comment("2", "Добавьте выездные приёмы в районах области.")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let staff_page = text(app.get(&moderation).await).await;
    assert!(staff_page.contains("Добавьте выездные приёмы") && staff_page.contains("maria@mail.example"));
    let cid: i64 = {
        use sqlx::Row;
        sqlx::query("SELECT id FROM council_plan_comments")
            .fetch_one(&app.db.pool)
            .await
            .expect("row")
            .try_get(0)
            .expect("id")
    };
    let r = app.post_form(&format!("{moderation}/{cid}"), &[("action", "publish")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let shown = text(citizen.get(&public).await).await;
    assert!(shown.contains("Добавьте выездные приёмы") && shown.contains("к пункту 2"), "published with its item");
    assert!(!shown.contains("maria@mail.example"), "the address is not public");
    let csv = text(app.get(&format!("{moderation}.csv")).await).await;
    assert!(csv.contains("Добавьте выездные приёмы"));

    app.clock.set(T0 + 9 * DAY);
    let r = citizen.post_form(&public, &comment("", "Поздно")).await;
    assert!(text(r).await.contains("обсуждение завершено"), "closed after its last day");
}

on_both_backends!(a_work_plan_is_discussed_in_public);

/// A meeting cancelled before it begins: the reason is required, shown on its page and in the
/// feed, and written to everyone registered; registration closes; a begun meeting cannot be.
async fn a_cancelled_meeting_tells_those_registered(app: TestApp) {
    use sqlx::Row;
    app.create_staff("secretary@social.example", Role::CouncilSecretary, Some("social-protection")).await;
    app.login("secretary@social.example", PASSWORD).await;
    let card = [
        ("kind", "commission"),
        ("name", "Комиссия"),
        ("email", "k@social.example"),
        ("attendance", "Вход свободный."),
    ];
    let r = app.post_form(STAFF, &card).await;
    let id: i64 = location(&r).trim_start_matches(STAFF).split('?').next().expect("id").parse().expect("id");
    let announce = [
        ("date", "12.03.2026"),
        ("starts", "10:00"),
        ("ends", "11:00"),
        ("place", "Зал 2"),
        ("agenda", "О работе"),
        ("capacity", "5"),
    ];
    let r = app.post_form(&format!("{STAFF}{id}/meetings"), &announce).await;
    let mid: i64 = location(&r).rsplit('/').next().and_then(|s| s.split('?').next()).expect("id").parse().expect("id");
    let meeting_url = format!("/o/social-protection/councils/meetings/{mid}");
    let citizen = app.other_client();
    let link = register(&app, &citizen, &meeting_url, ("Житель Томска", "resident@mail.example")).await;
    assert!(text(citizen.get(link.trim_start_matches(&app.cfg.public_url)).await).await.contains("место в зале"));

    let cancel = format!("{STAFF}meetings/{mid}/cancel");
    let r = app.post_form(&cancel, &[("reason", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("назовите причину отмены"));
    let reason = "Председатель в командировке; новая дата будет объявлена";
    assert_eq!(app.post_form(&cancel, &[("reason", reason)]).await.status(), StatusCode::SEE_OTHER);
    let rid: i64 = sqlx::query("SELECT id FROM council_registrations WHERE email = 'resident@mail.example'")
        .fetch_one(&app.db.pool)
        .await
        .expect("row")
        .try_get(0)
        .expect("id");
    assert!(letter(&app, &format!("council-cancelled:{rid}")).await.contains("Председатель в командировке"));
    let page = text(citizen.get(&meeting_url).await).await;
    assert!(page.contains("отменено") && page.contains(reason) && !page.contains("name=\"full_name\""));
    let feed = text(citizen.get("/o/social-protection/councils/meetings.ics").await).await;
    assert!(feed.contains("STATUS:CANCELLED"));
    let r = app.post_form(&cancel, &[("reason", reason)]).await;
    assert!(text(r).await.contains("уже отменено"), "once");
}

on_both_backends!(a_cancelled_meeting_tells_those_registered);
