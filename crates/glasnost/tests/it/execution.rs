//! A published execution report of seed 002's shape imported into the approved plan: the preview
//! shows what each row will mark and the rows the plan does not have, nothing is stored until the
//! planner confirms, and then every confirmed row is a mark with the report's text and address,
//! audited.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

const SEED_002: &str = include_str!("../../../roadmap/tests/fixtures/002.txt");
const REPORT_URL: &str = "https://dszn.tomsk.gov.ru/dorozhnaja-karta-po-realizatsii-printsipov-otkrytosti-departamenta";

/// Seed 002's table with its «Отметка об исполнении» column filled in: row 1 as the department's
/// published report has it, rows 2 and 3 with marks written for the test (row 3 worded
/// differently), and a row 92 the plan does not have.
fn report() -> String {
    let mut out = String::new();
    let mut last_row = 0;
    let lines: Vec<&str> = SEED_002.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.contains('\t') {
            last_row = i;
        }
    }
    for (i, l) in lines.iter().enumerate() {
        let mut cells: Vec<String> = l.split('\t').map(str::to_string).collect();
        match cells.first().map(String::as_str) {
            Some("1.") => *cells.last_mut().expect("cells") = "Главная/Пресс-центр/О сайте".into(),
            Some("2.") => *cells.last_mut().expect("cells") = "Исполнено, перечень размещён на Сайте".into(),
            Some("3.") => {
                cells[1] = "Размещение на Сайте правил использования материалов".into();
                *cells.last_mut().expect("cells") = "Исполнено частично".into();
            }
            _ => {}
        }
        out.push_str(&cells.join("\t"));
        out.push('\n');
        if i == last_row {
            out.push_str("92.\tМероприятие, которого нет в плане\t1\t2018\tАносова И.А.\tИсполнено\n");
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The fields the preview's form sends as a browser would: hidden inputs, checked boxes and the
/// selected option of each select.
fn form_fields(page: &str) -> Vec<(String, String)> {
    let form = page.split("<form").nth(1).unwrap_or_default();
    let mut out = Vec::new();
    for tag in form.split('<').skip(1) {
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            tag.split_once(&key).and_then(|(_, rest)| rest.split_once('"')).map(|(v, _)| unescape(v))
        };
        let input = tag.starts_with("input") && (tag.contains("type=\"hidden\"") || tag.contains(" checked"));
        if input && let (Some(n), Some(v)) = (attr("name"), attr("value")) {
            out.push((n, v));
        } else if tag.starts_with("select") {
            out.push((attr("name").unwrap_or_default(), String::new()));
        } else if tag.starts_with("option")
            && tag.contains(" selected")
            && let (Some(last), Some(v)) = (out.last_mut(), attr("value"))
        {
            last.1 = v;
        }
    }
    out
}

async fn upload(app: &TestApp, id: i64, source: &str) -> reqwest::Response {
    let form = Form::new()
        .text("csrf", app.csrf().await)
        .text("year", "2017")
        .text("source", source.to_string())
        .text("marked_on", "2018-01-15")
        .part("file", Part::bytes(report().into_bytes()).file_name("Отчёт 2017.txt"));
    let url = app.url(&format!("/staff/o/social-protection/roadmaps/{id}/execution"));
    app.client.post(url).multipart(form).send().await.expect("upload")
}

async fn marks_of(app: &TestApp, id: i64) -> Vec<roadmap::marks::Mark> {
    roadmap::marks::for_roadmap(&app.db, id).await.expect("marks")
}

async fn an_execution_report_becomes_marks_once_confirmed(app: TestApp) {
    app.create_staff("open@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    app.login("open@social.example", PASSWORD).await;
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let plan = roadmap::file::read_plan("002.txt", SEED_002.as_bytes()).expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "План", "002.txt", &plan);
    let actor = kernel::audit::Actor::system("test");
    let id = roadmap::store::create_from_import(&app.db, &actor, crate::helpers::T0, new).await.expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    let act = loaded.roadmap.approving_act.clone();

    let url = format!("/staff/o/social-protection/roadmaps/{id}/execution");
    let draft = app.get(&url).await.text().await.expect("text");
    assert!(draft.contains("ещё не утверждён") && !draft.contains("name=\"file\""), "a draft takes no report");
    assert_eq!(upload(&app, id, REPORT_URL).await.status(), StatusCode::BAD_REQUEST, "not even posted");
    roadmap::store::set_status(&app.db, &actor, crate::helpers::T0, &loaded.roadmap, "approved", &act, "")
        .await
        .expect("approve");
    let page = app.get(&format!("/staff/o/social-protection/roadmaps/{id}")).await.text().await.expect("text");
    assert!(page.contains(&url), "the approved plan links to the report upload");
    assert_eq!(app.get(&url).await.status(), StatusCode::OK);

    let r = upload(&app, id, "не ссылка").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("адрес опубликованного отчёта"));

    let r = upload(&app, id, REPORT_URL).await;
    assert_eq!(r.status(), StatusCode::OK);
    let preview = r.text().await.expect("text");
    let unknown = preview.split("не будут сохранены").nth(1).and_then(|s| s.split("</div>").next()).unwrap_or_default();
    assert!(unknown.contains("№ 92."), "the row the plan does not have is shown: {unknown}");
    assert!(preview.contains("текст в отчёте отличается"), "row 3 is worded differently");
    assert!(marks_of(&app, id).await.is_empty(), "nothing is stored before confirmation");

    let fields = form_fields(&preview);
    assert_eq!(fields.iter().filter(|(k, _)| k.ends_with("_take")).count(), 3, "rows 1–3 are carried over");
    let mut sent: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    sent.retain(|(k, _)| *k != "csrf");
    let r = app.post_form(&format!("{url}/confirm"), &sent).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());

    let marks = marks_of(&app, id).await;
    assert_eq!(marks.len(), 3);
    let number_of =
        |mid: i64| loaded.measures.iter().find(|m| m.id == mid).map(|m| m.number.clone()).unwrap_or_default();
    let by_number = |n: &str| marks.iter().find(|k| number_of(k.measure_id) == n).expect("a mark");
    let one = by_number("1.");
    assert_eq!(
        (one.status.as_str(), one.comment.as_str(), one.period.as_str()),
        ("done", "Главная/Пресс-центр/О сайте", "")
    );
    assert_eq!(one.evidence, [REPORT_URL]);
    assert_eq!(one.marked_on, "2018-01-15");
    assert_eq!(by_number("2.").period, "I полугодие 2017", "the period of the plan's deadline in 2017");
    assert_eq!(by_number("3.").status, "partly");
    let audited: i64 = {
        use sqlx::Row;
        sqlx::query("SELECT COUNT(*) FROM audit_log WHERE object_type = 'execution_mark'")
            .fetch_one(&app.db.pool)
            .await
            .expect("audit")
            .try_get(0)
            .expect("a count")
    };
    assert_eq!(audited, 3, "every mark is audited");
}
on_both_backends!(an_execution_report_becomes_marks_once_confirmed);
