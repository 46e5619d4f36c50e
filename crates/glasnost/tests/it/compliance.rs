//! The compliance engine over the demo portal with the three seed plans approved: every
//! obligation's status against a hand-written table (tests/fixtures/compliance-expected.txt), on
//! both backends; changes reflected within one evaluation cycle, also across nodes; the index
//! computed by hand from the methodology.

use std::collections::BTreeMap;

use kernel::audit::Actor;
use kernel::staff::Role;
use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{Backend, PASSWORD, T0, TestApp, database_url, glasnost, temp_dir};

const DAY: i64 = 86_400_000;

/// A node on the demo portal made at T0 (the command `glasnost demo`, as a user runs it).
async fn demo_app(backend: Backend) -> Option<TestApp> {
    let dir = temp_dir("compliance");
    let url = database_url(backend, &dir).await?;
    let env = [
        ("GLASNOST_DATA_DIR", dir.display().to_string()),
        ("GLASNOST_DATABASE_URL", url.clone()),
        ("GLASNOST_CLOCK", "2026-03-02T09:00:00Z".to_string()),
    ];
    let out = glasnost(&env, &["demo"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The node's own cycle runs once at start; the test runs the others itself.
    Some(TestApp::serve(dir, &url, &[("GLASNOST_COMPLIANCE_SECS", "86400")]).await)
}

async fn body_id(app: &TestApp, slug: &str) -> i64 {
    kernel::bodies::by_slug(&app.db, slug).await.expect("query").expect("body").id
}

/// Imports and approves a seed plan for a body; its id.
async fn approve(app: &TestApp, slug: &str, file: &str, text: &str) -> i64 {
    let actor = Actor::system("test");
    let plan = roadmap::file::read_plan(file, text.as_bytes()).expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body_id(app, slug).await, "План", file, &plan);
    let id = roadmap::store::create_from_import(&app.db, &actor, T0, new).await.expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    let act = loaded.roadmap.approving_act.clone();
    roadmap::store::set_status(&app.db, &actor, T0, &loaded.roadmap, "approved", &act, "").await.expect("approve");
    id
}

/// Marks measure `number` of a plan (the `nth` of that number, from 1).
async fn mark(app: &TestApp, plan: i64, number: &str, status: &'static str, on: &str) {
    let loaded = roadmap::store::load(&app.db, plan).await.expect("load").expect("stored");
    let m = loaded.measures.iter().find(|m| m.number == number).expect("measure");
    let new = roadmap::marks::NewMark {
        period: String::new(),
        status,
        marked_on: on.parse().expect("day"),
        comment: "Исполнено".into(),
        evidence: vec!["https://example.org/report".into()],
    };
    let body = loaded.roadmap.body_id;
    roadmap::marks::add(&app.db, &Actor::system("test"), T0, body, m.id, &new).await.expect("mark");
}

/// The known state: the three seed plans approved with a few marks, a list of open data with
/// three items covered by the department's dataset, one not applicable and one not at all.
async fn known_state(app: &TestApp) {
    let p002 =
        approve(app, "social-protection", "002.txt", include_str!("../../../roadmap/tests/fixtures/002.txt")).await;
    let p003 =
        approve(app, "information-society", "003.txt", include_str!("../../../roadmap/tests/fixtures/003.txt")).await;
    let p004 = approve(app, "finance", "004.txt", include_str!("../../../roadmap/tests/fixtures/004.txt")).await;
    // A duty done on time, a standing duty marked, a measure of 2018 marked in February 2019
    // (late), and one marked not done (still late).
    mark(app, p002, "2.", "done", "2017-06-20").await;
    mark(app, p002, "1.", "done", "2026-02-10").await;
    mark(app, p004, "1.1", "done", "2019-02-01").await;
    mark(app, p003, "2.8.", "not_done", "2026-01-20").await;

    let actor = Actor::system("test");
    let lists = opendata::obligations::lists(&app.db).await.expect("lists");
    let list = lists.iter().find(|l| l.code == "1187-r").expect("the list of 1187-р");
    let items = opendata::obligations::read_items(
        "number,title\r\n1,Подведомственные учреждения\r\n2,Места приёма граждан\r\n3,Реестр социальных услуг\r\n"
            .as_bytes(),
    )
    .expect("items");
    opendata::obligations::load(&app.db, &actor, T0, list, &items).await.expect("load");
    let items = opendata::obligations::items(&app.db).await.expect("items");
    let social = body_id(app, "social-protection").await;
    let dataset: i64 = sqlx::query_scalar("SELECT MIN(id) FROM datasets WHERE body_id = $1")
        .bind(social)
        .fetch_one(&app.db.pool)
        .await
        .expect("the department's dataset");
    let item = |n: &str| items.iter().find(|i| i.number == n).expect("item").clone();
    use opendata::obligations::{Cover, link};
    link(&app.db, &actor, T0, social, &item("1"), Cover::Dataset(dataset)).await.expect("cover");
    link(&app.db, &actor, T0, social, &item("2"), Cover::NotApplicable("Приём ведут учреждения")).await.expect("na");
}

/// Every stored status, keyed as the table keys them: roadmap measures by plan and number,
/// open-data items by list and number, minutes by the meeting's day.
async fn statuses(app: &TestApp) -> BTreeMap<String, String> {
    let rows = sqlx::query(
        "SELECT b.slug, s.obligation, s.status, s.days_late FROM compliance_statuses s JOIN bodies b ON b.id = s.body_id",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("statuses");
    let measures = sqlx::query(
        "SELECT m.id, m.number, r.source_name FROM measures m JOIN roadmaps r ON r.id = m.roadmap_id ORDER BY m.id",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("measures");
    let mut measure_keys = BTreeMap::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for m in &measures {
        let (id, number, file): (i64, String, String) =
            (m.try_get("id").expect("id"), m.try_get("number").expect("n"), m.try_get("source_name").expect("s"));
        let plan = file.trim_end_matches(".txt").to_string();
        let n = seen.entry(format!("{plan}/{number}")).or_default();
        *n += 1;
        let suffix = if *n > 1 { format!("#{n}") } else { String::new() };
        measure_keys.insert(format!("roadmap/measure/{id}"), format!("roadmap/{plan}/{number}{suffix}"));
    }
    let items = sqlx::query(
        "SELECT i.id, i.number, l.code FROM obligation_items i JOIN obligation_lists l ON l.id = i.list_id",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("items");
    let mut item_keys = BTreeMap::new();
    for i in &items {
        let (id, number, code): (i64, String, String) =
            (i.try_get("id").expect("id"), i.try_get("number").expect("n"), i.try_get("code").expect("c"));
        item_keys.insert(format!("opendata/item/{id}"), format!("opendata/{code}/{number}"));
    }
    let meetings = sqlx::query("SELECT id, starts_at FROM council_meetings").fetch_all(&app.db.pool).await.expect("m");
    let tz = jiff::tz::TimeZone::get(&app.cfg.timezone).expect("tz");
    for m in &meetings {
        let (id, at): (i64, i64) = (m.try_get("id").expect("id"), m.try_get("starts_at").expect("at"));
        let day = jiff::Timestamp::from_millisecond(at).expect("at").to_zoned(tz.clone()).date();
        item_keys.insert(format!("councils/minutes/{id}"), format!("councils/minutes/{day}"));
    }
    rows.iter()
        .map(|r| {
            let slug: String = r.try_get("slug").expect("slug");
            let key: String = r.try_get("obligation").expect("key");
            let status: String = r.try_get("status").expect("status");
            let days: i64 = r.try_get("days_late").expect("days");
            let key = measure_keys.get(&key).or(item_keys.get(&key)).cloned().unwrap_or(key);
            let status = if status == "satisfied" && days > 0 { format!("{status} {days}") } else { status };
            (format!("{slug} {key}"), status)
        })
        .collect()
}

/// The hand-written table: `body obligation status [days late]`, `#` comments.
fn expected() -> BTreeMap<String, String> {
    include_str!("../fixtures/compliance-expected.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let (slug, key, status) = (parts.next(), parts.next(), parts.next());
            (
                format!("{} {}", slug.unwrap_or_default(), key.unwrap_or_default()),
                status.unwrap_or_default().to_string(),
            )
        })
        .collect()
}

async fn cycle(app: &TestApp) -> compliance::evaluate::Evaluation {
    compliance::evaluate::cycle(&app.state).await.expect("a cycle")
}

/// Staff decide through the body's page: the information society's openness coordinator links
/// evidence for the quarterly complaints report (late) and says the annual report does not
/// apply to it.
async fn decisions_through_the_page(app: &TestApp) {
    app.create_staff("open@it.example", Role::OpennessCoordinator, Some("information-society")).await;
    app.login("open@it.example", PASSWORD).await;
    let page = app.get("/staff/o/information-society/compliance/").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.expect("text");
    assert!(page.contains("compliance/decide?o=site%2Fitem%2Fservices-complaints"), "a decision link per obligation");
    let form = "/staff/o/information-society/compliance/decide";
    let r = app.get(&format!("{form}?o=site%2Fitem%2Fservices-complaints")).await;
    assert_eq!(r.status(), StatusCode::OK);
    // Bad input is refused field by field and nothing is stored.
    let bad =
        [("o", "site/item/services-complaints"), ("kind", "evidence"), ("href", "javascript:x"), ("on", "40.13.2026")];
    let r = app.post_form(form, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(text.contains("укажите ссылку вида") && text.contains("ДД.ММ.ГГГГ"), "{text}");
    let r = app.post_form(form, &[("o", "site/item/nothing-such"), ("kind", "withdrawn")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let linked = [
        ("o", "site/item/services-complaints"),
        ("kind", "evidence"),
        ("reason", "Отчёт за IV квартал на сайте правительства"),
        ("href", "https://tomsk.example/reports/q4"),
        ("on", "15.01.2026"),
    ];
    assert_eq!(app.post_form(form, &linked).await.status(), StatusCode::SEE_OTHER);
    let na =
        [("o", "site/item/rules-annual-report"), ("kind", "not_applicable"), ("reason", "Доклад готовит губернатор")];
    assert_eq!(app.post_form(form, &na).await.status(), StatusCode::SEE_OTHER);
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE object_type = 'compliance_decision'")
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(audited, 2);
}

async fn statuses_equal_the_hand_written_table(backend: Backend) {
    let Some(app) = demo_app(backend).await else { return };
    known_state(&app).await;
    cycle(&app).await;
    decisions_through_the_page(&app).await;
    let done = cycle(&app).await;
    assert_eq!(done.changed, 2, "the two decided statuses change, nothing else: {done:?}");
    let got = statuses(&app).await;
    let want = expected();
    let wrong: Vec<String> = want
        .iter()
        .filter(|(k, v)| got.get(*k) != Some(v))
        .map(|(k, v)| format!("{k}: expected {v}, got {:?}", got.get(k)))
        .chain(got.keys().filter(|k| !want.contains_key(*k)).map(|k| format!("{k} {}: not in the table", got[k])))
        .collect();
    assert!(wrong.is_empty(), "{} differences:\n{}", wrong.len(), wrong.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_equal_the_hand_written_table_sqlite() {
    statuses_equal_the_hand_written_table(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_equal_the_hand_written_table_postgres() {
    statuses_equal_the_hand_written_table(Backend::Postgres).await;
}

/// One obligation's stored status (and days late).
async fn status_of(app: &TestApp, slug: &str, obligation: &str) -> (String, i64) {
    let row = sqlx::query(
        "SELECT s.status, s.days_late FROM compliance_statuses s JOIN bodies b ON b.id = s.body_id \
         WHERE b.slug = $1 AND s.obligation = $2",
    )
    .bind(slug)
    .bind(obligation)
    .fetch_one(&app.db.pool)
    .await
    .unwrap_or_else(|e| panic!("{slug} {obligation}: {e}"));
    (row.try_get("status").expect("status"), row.try_get("days_late").expect("days"))
}

/// With a fixed clock in July 2026: a dataset version, a catalogue item's publication and a
/// meeting's minutes each change their obligation at the next cycle; the publication is made on
/// node A and evaluated and shown by node B on the same database.
async fn changes_show_within_one_cycle_and_across_nodes(backend: Backend) {
    let Some(a) = demo_app(backend).await else { return };
    known_state(&a).await;
    let july = T0 + 130 * DAY;
    a.clock.set(july);
    let b = TestApp::serve(temp_dir("node-b"), &a.cfg.database_url, &[("GLASNOST_COMPLIANCE_SECS", "86400")]).await;
    b.clock.set(july);
    cycle(&b).await;
    let item: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM obligation_items").fetch_one(&a.db.pool).await.expect("item");
    let dataset_item = format!("opendata/item/{item}");
    // 10.07.2026. Updated on 02.03, the dataset missed the quarter's due day, 25.06.2026.
    assert_eq!(status_of(&a, "social-protection", &dataset_item).await, ("late".to_string(), 15));
    let (meeting, at): (i64, i64) = {
        let r = sqlx::query("SELECT id, starts_at FROM council_meetings WHERE minutes_at IS NULL")
            .fetch_one(&a.db.pool)
            .await
            .expect("the demo's meeting ahead of T0");
        (r.try_get("id").expect("id"), r.try_get("starts_at").expect("at"))
    };
    assert!(at < july && at > T0);
    let minutes = format!("councils/minutes/{meeting}");
    assert_eq!(status_of(&a, "social-protection", &minutes).await.0, "late");
    assert_eq!(status_of(&a, "social-protection", "site/item/personnel-vacancies").await.0, "missing");

    // A new version of the dataset, through its store as an information system pushes it.
    let dataset = opendata::store::by_id(&a.db, {
        sqlx::query_scalar::<_, i64>("SELECT dataset_id FROM obligation_links WHERE dataset_id IS NOT NULL")
            .fetch_one(&a.db.pool)
            .await
            .expect("link")
    })
    .await
    .expect("query")
    .expect("dataset");
    let storage = kernel::storage::Storage::open(&a.cfg.storage_url).expect("storage");
    let stamp =
        opendata::publish::stamp_at(july, &jiff::tz::TimeZone::get(&a.cfg.timezone).expect("tz")).expect("stamp");
    // The same data again: a new version all the same, as the schedule asks.
    let versions = opendata::store::versions(&a.db, dataset.id).await.expect("versions");
    let last = versions.last().expect("the demo's version");
    let bytes = storage.get(&last.file_key).await.expect("the version's file");
    let upload = opendata::store::Upload {
        bytes,
        provenance: "Обновление за II квартал",
        valid_until: "",
        idempotency_key: None,
    };
    let (_, version) =
        opendata::store::add_version(&a.db, &storage, &Actor::system("ИС"), july, stamp, &dataset, upload)
            .await
            .expect("version");
    assert!(version.is_some());
    // The minutes, published by the council's secretary.
    let m = councils::meetings::get(&a.db, meeting).await.expect("query").expect("meeting");
    let council = councils::store::get(&a.db, m.council_id).await.expect("query").expect("council");
    let form = councils::meetings::MinutesForm {
        minutes: "Протокол заседания № 2".into(), ..Default::default()
    };
    councils::meetings::publish_minutes(&a.db, &Actor::system("secretary"), july, (&council, &m), &form)
        .await
        .expect("minutes");
    // A catalogue item published, recorded by the department's editor on node A.
    a.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    a.login("editor@social.example", PASSWORD).await;
    let sent =
        [("action", "published"), ("url", "https://social.tomsk.example/vacancies"), ("published_on", "2026-07-10")];
    let r = a.post_form("/staff/o/social-protection/site/items/personnel-vacancies", &sent).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // One cycle on node B.
    let done = cycle(&b).await;
    assert!(done.changed >= 3, "{done:?}");
    assert_eq!(status_of(&a, "social-protection", &dataset_item).await.0, "satisfied");
    let (status, late) = status_of(&a, "social-protection", &minutes).await;
    assert!(status == "satisfied" && late > 0, "published after its due date: {status} {late}");
    assert_eq!(status_of(&a, "social-protection", "site/item/personnel-vacancies").await.0, "satisfied");
    // Node B's page shows it to the department's staff.
    b.create_staff("reader@social.example", Role::Lawyer, Some("social-protection")).await;
    b.login("reader@social.example", PASSWORD).await;
    let page = b.get("/staff/o/social-protection/compliance/").await.text().await.expect("text");
    let row = page.split("id=\"site/item/personnel-vacancies\"").nth(1).and_then(|r| r.split("</tr>").next());
    let row = row.unwrap_or_else(|| panic!("the item's row: {page}"));
    assert!(row.contains("Выполнено") && row.contains("https://social.tomsk.example/vacancies"), "{row}");
    // Nothing changed since: the next cycle writes nothing.
    let again = cycle(&b).await;
    assert_eq!(again.changed, 0, "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_show_within_one_cycle_and_across_nodes_sqlite() {
    changes_show_within_one_cycle_and_across_nodes(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_show_within_one_cycle_and_across_nodes_postgres() {
    changes_show_within_one_cycle_and_across_nodes(Backend::Postgres).await;
}

/// The index of a body computed by hand from the methodology: the subordinate centre has six
/// catalogue items (five published) and one open-data item covered by its dataset; when the
/// dataset misses its quarter, that one obligation turns late and the index falls as the
/// methodology says.
async fn the_index_moves_as_the_methodology_says(app: TestApp) {
    let actor = Actor::system("test");
    let csp = body_id(&app, "csp-tomsk").await;
    site::store::set_body_kind(&app.db, &actor, T0, csp, "subordinate").await.expect("kind");
    let today = jiff::civil::date(2026, 3, 2);
    let items: Vec<site::catalogue::Item> =
        site::catalogue::builtin().into_iter().filter(|i| i.applies("subordinate")).collect();
    assert_eq!(items.len(), 6);
    for item in &items[..5] {
        let form = site::store::RecordForm {
            action: "published".into(),
            url: "/o/csp-tomsk/".into(),
            published_on: today.to_string(),
            ..Default::default()
        };
        site::store::add_record(&app.db, &actor, T0, today, csp, item, &form).await.expect("record");
    }
    let (dataset, _) = crate::opendata::dataset_of(&app, "csp-tomsk", ("centres", "Центры", ""), T0).await;
    let lists = opendata::obligations::lists(&app.db).await.expect("lists");
    let list = lists.iter().find(|l| l.code == "1187-r").expect("1187-р");
    let new = opendata::obligations::read_items("number,title\r\n1,Подведомственные учреждения\r\n".as_bytes())
        .expect("items");
    opendata::obligations::load(&app.db, &actor, T0, list, &new).await.expect("load");
    let item = opendata::obligations::items(&app.db).await.expect("items").remove(0);
    opendata::obligations::link(&app.db, &actor, T0, csp, &item, opendata::obligations::Cover::Dataset(dataset.id))
        .await
        .expect("link");
    cycle(&app).await;

    // By hand: information = the catalogue's six items (five satisfied, one missing), data = the
    // list's one item, dialogue = nothing; the index weighs the parameters that count.
    let m = compliance::methodology::Methodology::builtin();
    let w = |k: &str| m.indicator(k).map(|i| i.weight).expect("indicator");
    let pw = |k: &str| m.parameter(k).map(|p| p.weight).expect("parameter");
    let f = &m.factors;
    let information =
        100.0 * (5.0 * w("site_item") * f.satisfied + w("site_item") * f.missing) / (6.0 * w("site_item"));
    let index = |data: f64| (information * pw("information") + data * pw("data")) / (pw("information") + pw("data"));
    let permille = |x: f64| (x * 10.0).round() as i64;
    let stored = || async {
        let r = sqlx::query("SELECT score, parameters FROM compliance_bodies WHERE body_id = $1")
            .bind(csp)
            .fetch_one(&app.db.pool)
            .await
            .expect("the centre's index");
        (r.try_get::<Option<i64>, _>("score").expect("score"), r.try_get::<String, _>("parameters").expect("p"))
    };
    let (score, parameters) = stored().await;
    assert_eq!(score, Some(permille(index(100.0 * f.satisfied))), "{parameters}");
    assert_eq!(permille(information), 833);
    assert_eq!(score, Some(917), "(83,3 + 100) / 2");

    // 10.07.2026: the dataset was not updated by 25.06 — one obligation late.
    app.clock.set(T0 + 130 * DAY);
    cycle(&app).await;
    let (score, parameters) = stored().await;
    assert_eq!(score, Some(permille(index(100.0 * f.late))), "{parameters}");
    assert_eq!(score, Some(417), "(83,3 + 0) / 2");

    // The body's page explains the point lost, and the board orders the bodies by index.
    app.create_staff("coord@tomsk.example", Role::RegionalCoordinator, None).await;
    app.login("coord@tomsk.example", PASSWORD).await;
    let page = app.get("/staff/o/csp-tomsk/compliance/").await.text().await.expect("text");
    assert!(page.contains("Индекс: 41,7 %"), "{page}");
    let row = page.split(&format!("id=\"opendata/item/{}\"", item.id)).nth(1).and_then(|r| r.split("</tr>").next());
    let row = row.unwrap_or_else(|| panic!("the item's row: {page}"));
    assert!(row.contains("Просрочено") && row.contains("0 / 2") && row.contains("Просрочено, дней: 15"), "{row}");
    let board = app.get("/staff/compliance/").await.text().await.expect("text");
    assert!(board.contains("2026-Q1 91,7 % → 2026-Q3 41,7 %"), "the trend by quarter: {board}");
    assert_eq!(app.get("/openness/").await.status(), StatusCode::NOT_FOUND, "the public page is off by default");
    let home = app.other_client().get("/").await.text().await.expect("home");
    assert!(!home.contains("href=\"/openness/\""), "and the home page does not offer it");
    let csv = app.get("/staff/compliance/bodies.csv").await.text().await.expect("text");
    assert!(csv.lines().any(|l| l.starts_with("ЦСПН") || l.contains("41,7 %")), "{csv}");
    let docx = app.get("/staff/compliance/report.docx").await;
    assert_eq!(docx.status(), StatusCode::OK);
    let bytes = docx.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"PK"), "a .docx is a zip");
}
crate::on_both_backends!(the_index_moves_as_the_methodology_says, &[("GLASNOST_COMPLIANCE_SECS", "86400")]);

/// An appeal's answer is an obligation from the day it is registered: not yet due, then late
/// once its 30 days have passed — told by its number, nothing the applicant wrote.
async fn an_appeal_is_an_obligation_until_answered(app: TestApp) {
    let citizen = app.other_client();
    let r = crate::appeals::send(&citizen, &crate::appeals::appeal("social-protection", "Выплаты"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM submissions").fetch_one(&app.db.pool).await.expect("id");
    let key = format!("appeals/submission/{id}");
    cycle(&app).await;
    assert_eq!(status_of(&app, "social-protection", &key).await, ("upcoming".to_string(), 0));
    app.clock.set(T0 + 45 * DAY);
    cycle(&app).await;
    let (status, late) = status_of(&app, "social-protection", &key).await;
    assert!(status == "late" && late > 0, "{status} {late}");
    let title: String = sqlx::query_scalar("SELECT title FROM compliance_statuses WHERE obligation = $1")
        .bind(&key)
        .fetch_one(&app.db.pool)
        .await
        .expect("title");
    assert!(title.starts_with("№ ") && !title.contains("Петрова"), "{title}");
}
crate::on_both_backends!(an_appeal_is_an_obligation_until_answered, &[("GLASNOST_COMPLIANCE_SECS", "86400")]);

/// The coordinator loads a region's methodology as a file: a bad one is refused with each fault
/// named and changes nothing; a good one is kept as a version, in use at the next cycle, and the
/// public page (turned on) shows the index under it.
async fn a_methodology_is_loaded_as_data_and_the_public_sees_the_index(app: TestApp) {
    use reqwest::multipart::{Form, Part};
    async fn send(client: &TestApp, bytes: Vec<u8>) -> reqwest::Response {
        let form = Form::new().text("csrf", client.csrf().await).part("file", Part::bytes(bytes).file_name("m.json"));
        client.client.post(client.url("/staff/compliance/methodology")).multipart(form).send().await.expect("load")
    }
    app.create_staff("coord@tomsk.example", Role::RegionalCoordinator, None).await;
    app.login("coord@tomsk.example", PASSWORD).await;
    let page = app.get("/staff/compliance/methodology").await.text().await.expect("text");
    assert!(page.contains("Собственная методика Glasnost, не официальная") && page.contains("glasnost v1"), "{page}");
    let r = send(&app, b"{not json".to_vec()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("JSON:"));
    let mut m = compliance::methodology::Methodology::builtin();
    m.code = "tomsk-region".into();
    m.factors.late = 2.0;
    let r = send(&app, serde_json::to_vec(&m).expect("json")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("factors.late: число от 0 до 1"));
    let loaded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM compliance_methodologies").fetch_one(&app.db.pool).await.expect("n");
    assert_eq!(loaded, 0, "a refused file stores nothing");
    m.factors.late = 0.0;
    m.title.ru = "Критерии Томской области <script>".into();
    let r = send(&app, serde_json::to_vec(&m).expect("json")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.expect("text");
    assert!(text.contains("Методика загружена и действует") && text.contains("tomsk-region v1"), "{text}");
    assert!(text.contains("Критерии Томской области &#60;script&#62;") && !text.contains("<script>"), "escaped");
    let r = send(&app, serde_json::to_vec(&m).expect("json")).await;
    assert!(r.text().await.expect("text").contains("версия tomsk-region v1 уже загружена"));
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE object_type = 'compliance_methodology'")
            .fetch_one(&app.db.pool)
            .await
            .expect("n");
    assert_eq!(audited, 1);
    // A body's editor may read the methodology but not load one.
    let editor = app.other_client();
    editor.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    editor.login("editor@social.example", PASSWORD).await;
    assert_eq!(editor.get("/staff/compliance/methodology").await.status(), StatusCode::OK);
    assert_eq!(send(&editor, serde_json::to_vec(&m).expect("json")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        editor.get("/staff/compliance/").await.status(),
        StatusCode::FORBIDDEN,
        "the board is the coordinator's"
    );

    cycle(&app).await;
    let used: Vec<String> = sqlx::query_scalar("SELECT DISTINCT methodology FROM compliance_bodies")
        .fetch_all(&app.db.pool)
        .await
        .expect("methodologies");
    assert_eq!(used, ["tomsk-region v1"]);
    let public = app.other_client().get("/openness/").await;
    assert_eq!(public.status(), StatusCode::OK);
    let public = public.text().await.expect("text");
    assert!(public.contains("tomsk-region v1") && public.contains("href=\"/o/social-protection/\""), "{public}");
    assert!(!public.contains("site/item/"), "no obligation behind the figures on the public page");
    let home = app.other_client().get("/").await.text().await.expect("home");
    assert!(home.contains("href=\"/openness/\""), "a citizen finds it from the home page");
}
crate::on_both_backends!(
    a_methodology_is_loaded_as_data_and_the_public_sees_the_index,
    &[("GLASNOST_COMPLIANCE_SECS", "86400"), ("GLASNOST_COMPLIANCE_PUBLIC", "true")]
);
