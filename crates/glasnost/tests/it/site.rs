//! The site's catalogue of what a body must publish: an editor records where and when each item
//! was published (and the event its term runs from), the late ones come first and say by how
//! much, an item that does not apply says why and can be made to apply again, citizens see the
//! same on «Информация о деятельности»; the portal admin downloads and loads the catalogue as CSV,
//! all or nothing, audited.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{PASSWORD, T0, TestApp};
use crate::on_both_backends;

const DAY: i64 = 86_400_000;

/// A page's text with the escapes of an address undone.
async fn text(r: reqwest::Response) -> String {
    r.text().await.expect("text").replace("&#x2f;", "/").replace("&#47;", "/")
}
const ACTS: &str = "/staff/o/social-protection/site/items/rules-acts";

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    use sqlx::Row;
    sqlx::query(sql).fetch_one(&app.db.pool).await.expect("count").try_get(0).expect("a number")
}

async fn an_editor_keeps_the_catalogue_items_and_citizens_see_them(app: TestApp) {
    // T0 is Monday 02.03.2026; a month later.
    app.clock.set(T0 + 30 * DAY);
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;

    let list = app.get("/staff/o/social-protection/site/").await.text().await.expect("text");
    assert!(list.contains("Требует внимания") && list.contains("Принятые нормативные правовые акты"), "{list}");

    // Nothing is stored from a form with problems, and every problem is named.
    let before = count(&app, "SELECT COUNT(*) FROM site_item_records").await;
    let r = app
        .post_form(ACTS, &[("action", "published"), ("url", "сайт"), ("published_on", "2031-01-01"), ("event_on", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("укажите адрес страницы") && page.contains("ещё не наступило"), "{page}");
    assert!(page.contains("aria-invalid=\"true\""), "the fields are marked");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_item_records").await, before);

    // An act approved on 02.03.2026 and published on 13.03.2026: eight working days later (the
    // 9th is the day off for 8 March) under a «5 рабочих дней» rule — three working days late.
    let url = "https://social.tomsk.gov.ru/documents/acts";
    let sent = [("action", "published"), ("url", url), ("published_on", "2026-03-13"), ("event_on", "2026-03-02")];
    let r = app.post_form(ACTS, &sent).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let item = app.get(ACTS).await.text().await.expect("text");
    assert!(item.contains("размещено 13.03.2026 с опозданием на 3 раб. дн. (срок — 10.03.2026)"), "{item}");
    let list = app.get("/staff/o/social-protection/site/").await.text().await.expect("text");
    assert!(list.contains("с опозданием на 3 раб. дн."));
    let public = text(app.get("/o/social-protection/info/").await).await;
    assert!(public.contains(&format!("<a href=\"{url}\" lang=\"ru\">Принятые нормативные правовые акты")), "{public}");
    assert!(public.contains("с опозданием на 3 раб. дн."));

    // The staff home says what is late; the regional view shows the body's late items and by how
    // much, once the yearly and quarterly reports are published in time.
    for (code, on) in [("rules-annual-report", "2025-12-20"), ("services-complaints", "2026-03-20")] {
        let sent = [("action", "published"), ("url", url), ("published_on", on)];
        let r = app.post_form(&format!("/staff/o/social-protection/site/items/{code}"), &sent).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let home = app.get("/staff/").await.text().await.expect("text");
    assert!(home.contains("Обязательная информация на сайте: просрочено — "), "{home}");
    let coordinator = app.other_client();
    coordinator.create_staff("region@tomsk.example", Role::RegionalCoordinator, None).await;
    coordinator.login("region@tomsk.example", PASSWORD).await;
    let region = coordinator.get("/staff/region").await.text().await.expect("text");
    let row =
        region.split("<th scope=\"row\">Департамент социальной защиты").nth(1).and_then(|r| r.split("</tr>").next());
    let row = row.unwrap_or_default();
    assert!(row.contains("<a href=\"/staff/o/social-protection/site/\">1</a></td><td>3 раб. дн.</td>"), "{row}");

    // Does not apply: the reason is required, shown (escaped) to citizens, and undone.
    let media = "/staff/o/social-protection/site/items/general-media";
    let r = app.post_form(media, &[("action", "not_applicable"), ("reason", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("укажите, почему пункт не относится"));
    let reason = "Департамент не учреждал СМИ <script>alert(1)</script>";
    let r = app.post_form(media, &[("action", "not_applicable"), ("reason", reason)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let public = app.get("/o/social-protection/info/").await.text().await.expect("text");
    assert!(public.contains("не относится к органу: Департамент не учреждал СМИ &#60;script&#62;"), "{public}");
    assert!(!public.contains("<script>alert(1)"));
    let r = app.post_form(media, &[("action", "applicable")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let item = app.get(media).await.text().await.expect("text");
    assert!(item.contains("не размещено") && item.contains("возвращено") && item.contains("отмечено как неприменимое"));

    // Every change is in the audit log.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'site_item_record'").await, 5);

    // A subordinate organisation has fewer items: no acts of its own to publish.
    let r = app.post_form("/staff/o/social-protection/site/kind", &[("kind", "subordinate")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let list = app.get("/staff/o/social-protection/site/").await.text().await.expect("text");
    assert!(!list.contains("Принятые нормативные правовые акты") && list.contains("Официальные страницы органа"));
    assert_eq!(app.get(ACTS).await.status(), StatusCode::NOT_FOUND);
    let r = app.post_form("/staff/o/social-protection/site/kind", &[("kind", "ministry")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Another body's editor reads nothing of this one and changes nothing.
    app.create_body(None, "culture", "Департамент культуры").await;
    let other = app.other_client();
    other.create_staff("editor@culture.example", Role::Editor, Some("culture")).await;
    other.login("editor@culture.example", PASSWORD).await;
    let r = other.post_form(media, &[("action", "not_applicable"), ("reason", "чужой")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_item_records").await, 5);
}
on_both_backends!(an_editor_keeps_the_catalogue_items_and_citizens_see_them);

async fn load(app: &TestApp, csv: String) -> reqwest::Response {
    let form = Form::new()
        .text("csrf", app.csrf().await)
        .part("file", Part::bytes(csv.into_bytes()).file_name("catalogue.csv"));
    app.client.post(app.url("/staff/site/catalogue")).multipart(form).send().await.expect("load")
}

async fn the_portal_admin_loads_the_catalogue_as_csv_all_or_nothing(app: TestApp) {
    app.create_staff("admin@portal.example", Role::PortalAdmin, None).await;
    app.login("admin@portal.example", PASSWORD).await;
    let r = app.get("/staff/site/catalogue.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    let csv = r.text().await.expect("text");
    assert!(csv.starts_with("code,section,title,kind,applies_to,freshness,basis\r\n"));
    assert_eq!(site::catalogue::parse(csv.as_bytes()).expect("reads").len(), 53);

    // One bad row: nothing changes, and the page says which line and why.
    let bad = csv.replacen("ежегодно,", "раз в никогда,", 1);
    let r = load(&app, bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("срок обновления «раз в никогда» не прочитан"), "{page}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_catalogue").await, 0, "the built-in catalogue still applies");

    // The media item removed, the reviews of appeals made quarterly.
    let edited: String = csv
        .split("\r\n")
        .filter(|l| !l.starts_with("general-media,"))
        .map(|l| {
            if l.starts_with("appeals-reviews,") {
                l.replace("поддерживается в актуальном состоянии", "ежеквартально")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let r = load(&app, edited).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let items = site::store::catalogue(&app.db).await.expect("catalogue");
    assert_eq!(items.len(), 52);
    assert_eq!(items.iter().find(|i| i.code == "appeals-reviews").map(|i| i.freshness.as_str()), Some("ежеквартально"));
    let audit: String = {
        use sqlx::Row;
        sqlx::query("SELECT after_json FROM audit_log WHERE object_type = 'site_catalogue' ORDER BY id DESC")
            .fetch_one(&app.db.pool)
            .await
            .expect("audited")
            .try_get(0)
            .expect("json")
    };
    assert!(
        audit.contains("\"removed\":[\"general-media\"]") && audit.contains("\"changed\":[\"appeals-reviews\"]"),
        "{audit}"
    );
    let public = app.get("/o/social-protection/info/").await.text().await.expect("text");
    assert!(!public.contains("Средства массовой информации, учреждённые органом"));

    // Back to the built-in catalogue.
    let r = app.post_form("/staff/site/catalogue/reset", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(site::store::catalogue(&app.db).await.expect("catalogue").len(), 53);

    // The catalogue is the portal admin's only.
    let editor = app.other_client();
    editor.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    editor.login("editor@social.example", PASSWORD).await;
    assert_eq!(editor.get("/staff/site/catalogue").await.status(), StatusCode::FORBIDDEN);
}
on_both_backends!(the_portal_admin_loads_the_catalogue_as_csv_all_or_nothing);

/// An act approved and not yet published: its editors are reminded within the setting's working
/// days of its due date — once, however often the worker plans.
async fn editors_are_reminded_once_before_an_item_is_due(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.create_staff("lawyer@social.example", Role::Lawyer, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    // Approved on Monday 02.03.2026 (T0): due 10.03.2026, five working days later.
    let r = app
        .post_form(ACTS, &[("action", "published"), ("url", "https://social.example/acts"), ("event_on", "2026-03-02")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let item = app.get(ACTS).await.text().await.expect("text");
    assert!(item.contains("обновить до 10.03.2026"), "{item}");
    let letters = "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'site-reminder:%'";
    // 02.03: six working days ahead — more than the three of the setting.
    assert_eq!(site::reminders::plan(&app.db, &app.cfg, T0).await.expect("plan"), 0);
    // 05.03: three working days ahead (06, 10; the 9th is a day off) — the editor, not the lawyer.
    let thursday = T0 + 3 * DAY;
    assert_eq!(site::reminders::plan(&app.db, &app.cfg, thursday).await.expect("plan"), 1);
    assert_eq!(site::reminders::plan(&app.db, &app.cfg, thursday + 3_600_000).await.expect("plan"), 0);
    assert_eq!(count(&app, letters).await, 1);
    let to: String = {
        use sqlx::Row;
        sqlx::query("SELECT payload FROM jobs WHERE idempotency_key LIKE 'site-reminder:%'")
            .fetch_one(&app.db.pool)
            .await
            .expect("the letter")
            .try_get(0)
            .expect("payload")
    };
    assert!(to.contains("editor@social.example") && to.contains("10.03.2026"), "{to}");
}
on_both_backends!(editors_are_reminded_once_before_an_item_is_due);

/// The demo gives every demo body content in each section of its site a citizen opens first:
/// news, documents, pages, the leadership, reception times, the declaration, spending reports,
/// the premises and the social pages — each marked as made up for the demo.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_body_has_content_in_the_sections_citizens_open_first() {
    use crate::opendata::{demo_server_with, get};
    let (_server, address, _dir) = demo_server_with(None, &[], &[]);
    let (_, bodies) = get(&address, "/bodies.json").await;
    let bodies: serde_json::Value = serde_json::from_str(&bodies).expect("bodies.json");
    let slugs: Vec<String> = bodies["bodies"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|b| b["slug"].as_str().map(str::to_string))
        .collect();
    assert!(slugs.len() >= 3, "{slugs:?}");
    for slug in &slugs {
        for section in ["news/", "documents/", "pages/", "leadership/", "reception/", "declaration/", "reports/"] {
            let (status, page) = get(&address, &format!("/o/{slug}/{section}")).await;
            assert_eq!(status, StatusCode::OK, "/o/{slug}/{section}");
            let empty = ["Пока ничего не опубликовано", "Ближайших приёмов пока нет", "ещё не опубликовал"];
            assert!(!empty.iter().any(|e| page.contains(e)), "/o/{slug}/{section} is empty");
            // Every list links to at least one thing of its own.
            assert!(page.contains(&format!("href=\"/o/{slug}/{section}")), "/o/{slug}/{section} lists nothing");
        }
        for (section, made_up) in [("premises/", "демонстрационная запись"), ("social/", "vk.com/demo_")]
        {
            let (_, page) = get(&address, &format!("/o/{slug}/{section}")).await;
            assert!(page.contains(made_up), "/o/{slug}/{section}: {page}");
        }
    }
}
