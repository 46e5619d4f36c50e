//! Importing a roadmap through the staff pages: upload, preview with editable cells, confirm;
//! approval; the public "Открытость" page and its twins. Bad files and bad cells are explained
//! and nothing is stored.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

const SEED_002: &str = include_str!("../../../roadmap/tests/fixtures/002.txt");

async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>, with_csrf: bool) -> reqwest::Response {
    let mut form = Form::new();
    if with_csrf {
        form = form.text("csrf", app.csrf().await);
    }
    form = form
        .text("title", "План мероприятий по открытости на 2017–2020 годы")
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    app.client.post(app.url("/staff/o/social-protection/roadmaps/import")).multipart(form).send().await.expect("upload")
}

async fn count_roadmaps(app: &TestApp) -> usize {
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    roadmap::store::for_body(&app.db, body.id).await.expect("list").len()
}

async fn a_coordinator_uploads_checks_and_saves_a_plan(app: TestApp) {
    app.create_staff("open@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    app.login("open@social.example", PASSWORD).await;

    assert_eq!(upload(&app, "plan.txt", SEED_002.into(), false).await.status(), StatusCode::FORBIDDEN, "no CSRF token");
    for (name, bytes, message) in [
        ("plan.txt", Vec::new(), "файл пустой"),
        ("plan.txt", vec![0, 1, 2, 3, 255], "не текстовый файл"),
        ("plan.pdf", b"%PDF-1.7".to_vec(), "не поддерживается"),
        ("plan.txt", "имя\tзначение\n1\t2\n".into(), "не найден план"),
    ] {
        let r = upload(&app, name, bytes, true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(r.text().await.expect("text").contains(message), "{message}");
    }
    let r = upload(&app, "plan.txt", vec![b'x'; 11 * 1024 * 1024], true).await;
    assert!(r.status().is_client_error());
    let text = r.text().await.expect("text");
    assert!(text.contains("слишком большой"), "{}", text.split("<main").nth(1).unwrap_or_default());
    assert_eq!(count_roadmaps(&app).await, 0, "nothing was stored");

    let preview = upload(&app, "002.txt", SEED_002.into(), true).await;
    assert_eq!(preview.status(), StatusCode::OK);
    let page = preview.text().await.expect("text");
    assert!(
        page.contains("name=\"m90_number\"") && !page.contains("name=\"m91_number\""),
        "91 measures in the preview"
    );
    assert!(page.contains("стадии отражают последовательное"), "the unplaced footnote is shown");
    assert!(page.contains("пустая ячейка посередине"), "the repaired rows are shown");
    assert_eq!(count_roadmaps(&app).await, 0, "the preview stores nothing");

    // Confirming a corrected preview: a bad stage is refused, a good one saved.
    let base = [
        ("title", "План мероприятий"),
        ("source", "002.txt"),
        ("sections", "1"),
        ("s0_number", "I"),
        ("s0_title", "Реализация принципа информационной открытости"),
        ("measures", "2"),
        ("m0_number", "1."),
        ("m0_section", "I"),
        ("m0_text", "Размещение на Сайте порядка доступа к информации"),
        ("m0_deadline", "постоянно"),
        ("m0_executors", "Аносова И.А."),
        ("m1_number", "2."),
        ("m1_section", "I"),
        ("m1_text", "Размещение перечня информации"),
        ("m1_deadline", "I полугодие 2017, далее ежегодно"),
        ("m1_executors", "Сухорослова И.П."),
    ];
    let mut bad: Vec<(&str, &str)> = base.to_vec();
    bad.push(("m0_stage", "7"));
    let r = app.post_form("/staff/o/social-protection/roadmaps/confirm", &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("стадия «7»"));
    assert_eq!(count_roadmaps(&app).await, 0);
    let mut good: Vec<(&str, &str)> = base.to_vec();
    good.push(("m0_stage", "1"));
    let r = app.post_form("/staff/o/social-protection/roadmaps/confirm", &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let detail = r.headers().get("location").and_then(|l| l.to_str().ok()).expect("location").to_string();
    let page = app.get(&detail).await.text().await.expect("text");
    assert!(page.contains("Размещение перечня информации") && page.contains("ежегодно, до конца каждого периода"));

    // Not public until approved, and approval needs the approving act.
    let public = app.other_client();
    assert!(
        public.get("/o/social-protection/openness/").await.text().await.expect("text").contains("Утверждённого плана")
    );
    assert_eq!(public.get("/o/social-protection/openness/roadmap.json").await.status(), StatusCode::NOT_FOUND);
    let status_url = format!("{}/status", detail.split('?').next().unwrap_or_default());
    let r = app.post_form(&status_url, &[("status", "approved"), ("approving_act", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The plan's page again, with what is missing beside the status form (not a bare error page).
    let text = r.text().await.expect("text");
    assert!(text.contains("для утверждения укажите реквизиты акта") && text.contains("Размещение перечня информации"));
    let r = app.post_form(&status_url, &[("status", "closed")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("выберите статус плана из списка"));
    let r = app
        .post_form(&status_url, &[("status", "approved"), ("approving_act", "распоряжение от 03.04.2017 № 149")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = public.get("/o/social-protection/openness/").await.text().await.expect("text");
    assert!(page.contains("распоряжение от 03.04.2017 № 149") && page.contains("Размещение перечня информации"));
    let j: serde_json::Value =
        public.get("/o/social-protection/openness/roadmap.json").await.json().await.expect("json");
    assert_eq!(j["measures"].as_array().map(Vec::len), Some(2));
    assert_eq!(j["measures"][0]["stage"], 1);
    let csv = public.get("/o/social-protection/openness/roadmap.csv").await;
    assert_eq!(csv.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("text/csv; charset=utf-8"));
}
on_both_backends!(a_coordinator_uploads_checks_and_saves_a_plan);

async fn execution_is_marked_with_evidence_and_shown_to_the_public(app: TestApp) {
    app.create_staff("open@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    app.login("open@social.example", PASSWORD).await;
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let plan = roadmap::file::read_plan("002.txt", SEED_002.as_bytes()).expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "План", "002.txt", &plan);
    let id =
        roadmap::store::create_from_import(&app.db, &kernel::audit::Actor::system("test"), crate::helpers::T0, new)
            .await
            .expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    let m84 = loaded.measures.iter().find(|m| m.number == "84.").expect("measure 84").id;
    let url = format!("/staff/o/social-protection/roadmaps/{id}/measures/{m84}/mark");

    let form = app.get(&url).await.text().await.expect("text");
    assert!(form.contains("I полугодие 2017"), "the due periods of the schedule are offered");
    let r = app
        .post_form(&url, &[("period", "2017 год"), ("status", "done"), ("marked_on", "2017-06-20"), ("evidence", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("хотя бы одну ссылку"));
    let r = app
        .post_form(
            &url,
            &[("period", ""), ("status", "partly"), ("marked_on", "2017-05-02"), ("comment", "раздел в разработке")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let evidence = "https://dszn.tomsk.example/anticorruption/faq";
    let r = app
        .post_form(
            &url,
            &[("period", "I полугодие 2017"), ("status", "done"), ("marked_on", "2017-06-20"), ("evidence", evidence)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let history = app.get(&url).await.text().await.expect("text");
    assert!(history.contains("раздел в разработке") && history.contains(evidence), "both marks stay in the history");

    app.post_form(
        &format!("/staff/o/social-protection/roadmaps/{id}/status"),
        &[("status", "approved"), ("approving_act", "распоряжение № 149")],
    )
    .await;
    let public = app.other_client();
    let page = public.get("/o/social-protection/openness/").await.text().await.expect("text");
    assert!(page.contains("исполнено, 2017-06-20 (I полугодие 2017)"), "the newest mark is shown");
    assert!(page.contains(&format!("href=\"{evidence}\"")));
    let j: serde_json::Value =
        public.get("/o/social-protection/openness/roadmap.json").await.json().await.expect("json");
    let m = j["measures"].as_array().expect("measures").iter().find(|m| m["number"] == "84.").expect("84");
    assert_eq!(m["marks"].as_array().map(Vec::len), Some(2));
    assert_eq!(m["marks"][1]["evidence"][0], evidence);
    // Who marked it stays with the staff: no sign-in address in the public files.
    let text = public.get("/o/social-protection/openness/roadmap.json").await.text().await.expect("json");
    assert!(!text.contains("open@social.example") && m["marks"][1].get("actor").is_none(), "{}", m["marks"][1]);
    let csv = public.get("/o/social-protection/openness/roadmap.csv").await.text().await.expect("csv");
    assert!(!csv.contains("open@social.example"));

    // The coordinator's tracking list: overdue measures, and 84 is not among them.
    let track =
        app.get(&format!("/staff/o/social-protection/roadmaps/{id}/track?overdue=1")).await.text().await.expect("text");
    assert!(track.contains("<td>2.</td>") && !track.contains("<td>84.</td>"), "84 was marked for its period");
    // The staff home says how many of the approved plan's measures are overdue, and links them.
    let home = app.get("/staff/").await.text().await.expect("text");
    let overdue = track.matches("<tr").count() - 1;
    assert!(home.contains(&format!("просрочено мероприятий плана — {overdue}")), "{overdue} overdue: {home}");
    assert!(home.contains(&format!("/staff/o/social-protection/roadmaps/{id}/track?overdue=1")));
    let by_executor = app
        .get(&format!("/staff/o/social-protection/roadmaps/{id}/track?executor=Сухорослова"))
        .await
        .text()
        .await
        .expect("text");
    let rows: Vec<&str> = by_executor.split("<tr").skip(2).collect();
    assert!(!rows.is_empty() && rows.iter().all(|r| r.contains("Сухорослова")));
    let bad = app.get(&format!("/staff/o/social-protection/roadmaps/{id}/track?stage=9")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // The 2017 report: 84 is done (marked for I полугодие 2017); unmarked measures due in 2017 are overdue.
    let report = public.get("/o/social-protection/openness/report?year=2017").await;
    assert_eq!(report.status(), StatusCode::OK);
    let page = report.text().await.expect("text");
    assert!(page.contains("<svg role=\"img\""), "a chart");
    let row84 = page.split("<tr>").find(|r| r.contains("<td>84.</td>")).expect("84 in the report");
    assert!(row84.contains("<td>исполнено</td>") && row84.contains(evidence), "{row84}");
    let row2 = page.split("<tr>").find(|r| r.contains("<td>2.</td>")).expect("2 in the report");
    assert!(row2.contains("<td>просрочено</td>"), "due 30.06.2017, never marked: {row2}");
    let docx = public.get("/o/social-protection/openness/report.docx?year=2017&quarter=2").await;
    assert_eq!(
        docx.headers().get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    let text = office::docx_text(&docx.bytes().await.expect("bytes")).expect("a Word document");
    let line84 = text.lines().find(|l| l.starts_with("84.\t")).expect("84 in the .docx");
    assert!(line84.contains("\tисполнено\t") && line84.contains(evidence), "{line84}");
    assert!(text.contains("Период: II квартал 2017"));
    for bad in ["year=17000", "year=2017&quarter=5", "year=два"] {
        let r = public.get(&format!("/o/social-protection/openness/report?{bad}")).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}
on_both_backends!(execution_is_marked_with_evidence_and_shown_to_the_public);

async fn seeds_003_and_004_preview_completely_through_the_web_page(app: TestApp) {
    app.create_staff("open@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    app.login("open@social.example", PASSWORD).await;
    for (file, text, rows, continuation) in [
        ("003.txt", include_str!("../../../roadmap/tests/fixtures/003.txt"), 19, true),
        ("004.txt", include_str!("../../../roadmap/tests/fixtures/004.txt"), 34, false),
    ] {
        let r = upload(&app, file, text.into(), true).await;
        assert_eq!(r.status(), StatusCode::OK, "{file}");
        let page = r.text().await.expect("text");
        let last = format!("name=\"m{}_number\"", rows - 1);
        let beyond = format!("name=\"m{rows}_number\"");
        assert!(page.contains(&last) && !page.contains(&beyond), "{file}: {rows} rows in the preview");
        assert_eq!(page.contains("_cont\" value=\"1\""), continuation, "{file}: merged second rows are kept");
    }
}
on_both_backends!(seeds_003_and_004_preview_completely_through_the_web_page);

async fn an_executor_sees_their_measures_and_marks_only_those(app: TestApp) {
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let new = kernel::staff::NewUser {
        email: "anosova@social.example",
        display_name: "Аносова И.А.",
        password: PASSWORD,
        grants: vec![kernel::staff::Grant { role: Role::PressSecretary, body_id: Some(body.id) }],
    };
    kernel::staff::create_user(&app.db, &kernel::audit::Actor::system("test"), crate::helpers::T0, new)
        .await
        .expect("user");
    let plan = roadmap::file::read_plan("002.txt", SEED_002.as_bytes()).expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "План", "002.txt", &plan);
    let actor = kernel::audit::Actor::system("test");
    let id = roadmap::store::create_from_import(&app.db, &actor, crate::helpers::T0, new).await.expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    roadmap::store::set_status(&app.db, &actor, crate::helpers::T0, &loaded.roadmap, "approved", "№ 149", "")
        .await
        .expect("approve");
    // Named in the executors cell, she may mark nothing yet: a planner links her account.
    app.login("anosova@social.example", PASSWORD).await;
    assert!(!app.get("/staff/my-measures").await.text().await.expect("text").contains("/mark\">"));
    let named_ones: Vec<&roadmap::store::StoredMeasure> =
        loaded.measures.iter().filter(|m| m.executors.contains("Аносова И.А.")).collect();
    let first_mark = format!("/staff/o/social-protection/roadmaps/{id}/measures/{}/mark", named_ones[0].id);
    assert_eq!(app.get(&first_mark).await.status(), StatusCode::FORBIDDEN);
    app.post_form("/staff/logout", &[]).await;
    app.create_staff("open@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    app.login("open@social.example", PASSWORD).await;
    let users = kernel::staff::list_users(&app.db).await.expect("users");
    let her = users.iter().find(|u| u.email == "anosova@social.example").expect("account").id.to_string();
    for m in &named_ones {
        let edit = format!("/staff/o/social-protection/roadmaps/{id}/measures/{}/edit", m.id);
        let page = app.get(&edit).await.text().await.expect("text");
        assert!(page.contains("Аносова И.А. (anosova@social.example) — назван в графе «Исполнители»"), "{page}");
        let linked = app
            .post_form(
                &format!("/staff/o/social-protection/roadmaps/{id}/measures/{}/executors", m.id),
                &[("user", &her)],
            )
            .await;
        assert_eq!(linked.status(), StatusCode::SEE_OTHER);
    }
    let stranger = app
        .post_form(
            &format!("/staff/o/social-protection/roadmaps/{id}/measures/{}/executors", named_ones[0].id),
            &[("user", "999999")],
        )
        .await;
    assert_eq!(stranger.status(), StatusCode::BAD_REQUEST, "only staff of the body are linked");
    app.post_form("/staff/logout", &[]).await;
    app.login("anosova@social.example", PASSWORD).await;

    let mine = app.get("/staff/my-measures").await.text().await.expect("text");
    let named = loaded.measures.iter().filter(|m| m.executors.contains("Аносова И.А.")).count();
    assert_eq!(mine.matches("/mark\">").count(), named, "every measure naming the executor, and only those");
    let own = loaded.measures.iter().find(|m| m.executors.contains("Аносова И.А.")).expect("one of theirs");
    let other = loaded.measures.iter().find(|m| !m.executors.contains("Аносова")).expect("one not theirs");
    let url =
        |m: &roadmap::store::StoredMeasure| format!("/staff/o/social-protection/roadmaps/{id}/measures/{}/mark", m.id);
    assert_eq!(app.get(&url(own)).await.status(), StatusCode::OK);
    assert_eq!(app.get(&url(other)).await.status(), StatusCode::FORBIDDEN);
    let r = app
        .post_form(&url(other), &[("status", "done"), ("marked_on", "2017-06-20"), ("evidence", "https://x.example/")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .post_form(&url(own), &[("status", "done"), ("marked_on", "2017-06-20"), ("evidence", "https://x.example/")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The press secretary is not a planner: no import, no status change.
    assert_eq!(
        app.post_form(&format!("/staff/o/social-protection/roadmaps/{id}/status"), &[("status", "archived")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
on_both_backends!(an_executor_sees_their_measures_and_marks_only_those);

async fn the_regional_coordinator_sees_every_body_with_overdue_stage_one_first(app: TestApp) {
    let actor = kernel::audit::Actor::system("test");
    for slug in ["social-protection", "csp-tomsk"] {
        let body = kernel::bodies::by_slug(&app.db, slug).await.expect("query").expect("body");
        let text = if slug == "social-protection" {
            SEED_002.to_string()
        } else {
            "№\tМероприятие\tСтадия\tСрок\tОтветственный исполнитель\n1.\tПубликация отчёта\t2\t2030\tДиректор\n"
                .to_string()
        };
        let plan = roadmap::file::read_plan("plan.txt", text.as_bytes()).expect("plan");
        let new = roadmap::store::NewRoadmap::from_document(body.id, "План", "plan.txt", &plan);
        let id = roadmap::store::create_from_import(&app.db, &actor, crate::helpers::T0, new).await.expect("roadmap");
        let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
        roadmap::store::set_status(&app.db, &actor, crate::helpers::T0, &loaded.roadmap, "approved", "№ 1", "")
            .await
            .expect("approve");
    }
    app.create_staff("coord@tomsk.example", Role::RegionalCoordinator, None).await;
    app.login("coord@tomsk.example", PASSWORD).await;
    let page = app.get("/staff/region").await.text().await.expect("text");
    let social = page.find("Департамент социальной защиты").expect("social protection listed");
    let csp = page.find("Центр социальной поддержки").expect("its subordinate listed");
    assert!(social < csp, "the body with overdue stage-1 measures comes first");
    let it = page.find("Департамент развития информационного общества").expect("a body without a plan is listed too");
    let it_row = page[it..].split("</tr>").next().unwrap_or_default();
    assert!(it_row.contains("<td colspan=\"6\">Нет утверждённого плана</td>"), "{it_row}");
    let csp_row = page[csp..].split("</tr>").next().unwrap_or_default();
    assert!(csp_row.contains("<td>0 / 1</td>"), "one stage-2 measure, not overdue: {csp_row}");
}
on_both_backends!(the_regional_coordinator_sees_every_body_with_overdue_stage_one_first);

/// The row of the social-protection department in the regional view, as its coordinator gets it.
async fn social_row_in_the_regional_view(app: &TestApp) -> String {
    let page = app.get("/staff/region").await.text().await.expect("text");
    let at = page.find("Департамент социальной защиты").expect("social protection listed");
    page[at..].split("</tr>").next().unwrap_or_default().to_string()
}

pub async fn approve_seed_002_elsewhere(app: &TestApp) {
    let actor = kernel::audit::Actor::system("another node");
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let plan = roadmap::file::read_plan("002.txt", SEED_002.as_bytes()).expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "План", "002.txt", &plan);
    let id = roadmap::store::create_from_import(&app.db, &actor, crate::helpers::T0, new).await.expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    roadmap::store::set_status(&app.db, &actor, crate::helpers::T0, &loaded.roadmap, "approved", "№ 149", "")
        .await
        .expect("approve");
}

/// The regional figures are computed once and kept: a change made elsewhere shows after a change
/// made through this node (or, in the next test, once the copy is `recheck_ms` old).
async fn the_regional_figures_are_kept_until_the_node_learns_of_a_change(app: TestApp) {
    app.create_staff("coord@tomsk.example", Role::RegionalCoordinator, None).await;
    app.login("coord@tomsk.example", PASSWORD).await;
    assert!(social_row_in_the_regional_view(&app).await.contains("Нет утверждённого плана"));
    approve_seed_002_elsewhere(&app).await;
    assert!(
        social_row_in_the_regional_view(&app).await.contains("Нет утверждённого плана"),
        "computed once, not on every view"
    );
    assert_eq!(app.login("coord@tomsk.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let row = social_row_in_the_regional_view(&app).await;
    assert!(!row.contains("Нет утверждённого плана") && row.contains("/track?overdue=1"), "{row}");
}
on_both_backends!(
    the_regional_figures_are_kept_until_the_node_learns_of_a_change,
    &[("GLASNOST_RECHECK_MS", "3600000")]
);

async fn the_regional_figures_follow_a_change_elsewhere_once_the_copy_is_old(app: TestApp) {
    app.create_staff("coord@tomsk.example", Role::RegionalCoordinator, None).await;
    app.login("coord@tomsk.example", PASSWORD).await;
    assert!(social_row_in_the_regional_view(&app).await.contains("Нет утверждённого плана"));
    approve_seed_002_elsewhere(&app).await;
    // The old copy is served while a fresh one is computed beside the request: wait for it.
    let mut views = 0;
    while social_row_in_the_regional_view(&app).await.contains("Нет утверждённого плана") {
        views += 1;
        assert!(views < 500, "the regional view never showed the change made elsewhere");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
on_both_backends!(the_regional_figures_follow_a_change_elsewhere_once_the_copy_is_old, &[("GLASNOST_RECHECK_MS", "0")]);

async fn a_planner_corrects_a_measure_and_every_change_is_kept(app: TestApp) {
    app.create_staff("open@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    app.login("open@social.example", PASSWORD).await;
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let plan = roadmap::file::read_plan("002.txt", SEED_002.as_bytes()).expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "План", "002.txt", &plan);
    let actor = kernel::audit::Actor::system("test");
    let id = roadmap::store::create_from_import(&app.db, &actor, crate::helpers::T0, new).await.expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    let m = loaded.measures.iter().find(|m| m.number == "2.").expect("measure 2").clone();
    let section = m.section_id.expect("in section I").to_string();
    let url = format!("/staff/o/social-protection/roadmaps/{id}/measures/{}/edit", m.id);
    let page = app.get(&format!("/staff/o/social-protection/roadmaps/{id}")).await.text().await.expect("text");
    assert!(page.contains(&format!("href=\"{url}\"")), "the plan links each measure to its edit form");
    let form = app.get(&url).await.text().await.expect("text");
    assert!(form.contains(&m.deadline) && form.contains("не менялось"), "the form starts from the stored values");

    let fields = |deadline: &str, stage: &str, reason: &str| {
        vec![
            ("number", m.number.clone()),
            ("section", section.clone()),
            ("text", m.text.clone()),
            ("stage", stage.to_string()),
            ("deadline", deadline.to_string()),
            ("executors", m.executors.clone()),
            ("expected", String::new()),
            ("reason", reason.to_string()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let url = url.clone();
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&url, &pairs).await
        }
    };
    // Unchanged: said so, nothing recorded.
    let r = post(fields(&m.deadline, "1", "")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.expect("text").contains("Изменений нет"));
    // A bad stage and an empty text are explained together.
    let mut bad = fields("до 1 июля 2018 года", "5", "");
    bad[2].1 = String::new();
    let r = post(bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(text.contains("стадия «5»") && text.contains("укажите, что нужно сделать"), "{text}");
    // A draft changes without a reason.
    let r = post(fields("до 1 июля 2018 года", "1", "")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // An approved plan changes only with the act that changed it.
    roadmap::store::set_status(&app.db, &actor, crate::helpers::T0, &loaded.roadmap, "approved", "№ 149", "")
        .await
        .expect("approve");
    let r = post(fields("ежегодно до 1 июля", "2", "")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("основание изменения"));
    let r = post(fields("ежегодно до 1 июля", "2", "распоряжение от 01.03.2018 № 12")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let history = app.get(&url).await.text().await.expect("text");
    for seen in [m.deadline.as_str(), "до 1 июля 2018 года", "ежегодно до 1 июля", "распоряжение от 01.03.2018 № 12"]
    {
        assert!(history.contains(seen), "the history shows «{seen}»");
    }
    let public = app.other_client();
    let j: serde_json::Value =
        public.get("/o/social-protection/openness/roadmap.json").await.json().await.expect("json");
    let e = j["measures"].as_array().expect("measures").iter().find(|x| x["number"] == "2.").expect("2.");
    assert_eq!(e["deadline"], "ежегодно до 1 июля");
    assert_eq!(e["stage"], 2);
    let changes = e["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 2, "two saved edits, the unchanged one not counted");
    assert_eq!(changes[0]["fields"][0]["before"], m.deadline.as_str());
    assert_eq!(changes[1]["reason"], "распоряжение от 01.03.2018 № 12");
    assert!(changes[1].get("actor").is_none(), "who edited stays in the staff area");
    let audit = kernel::audit::search(
        &app.db,
        &kernel::audit::Filter { object_type: Some("measure".into()), ..Default::default() },
        None,
        10,
    )
    .await
    .expect("audit");
    assert_eq!(audit.len(), 2);
}
on_both_backends!(a_planner_corrects_a_measure_and_every_change_is_kept);

/// Plans are kept by each node for their tracking pages: a mark made elsewhere shows once the node
/// asks (at once on a node that asks every time), and a mark made through the node at once.
async fn a_mark_made_elsewhere_shows_on_the_tracking_page_when_the_node_asks(app: TestApp) {
    let url = app.cfg.database_url.clone();
    let settings = |recheck| [("GLASNOST_RECHECK_MS", recheck), ("GLASNOST_PAGE_CACHE_MS", "0")];
    let patient = TestApp::serve(crate::helpers::temp_dir("node"), &url, &settings("3600000")).await;
    let eager = TestApp::serve(crate::helpers::temp_dir("node"), &url, &settings("0")).await;
    app.create_staff("open@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    for node in [&patient, &eager] {
        assert_eq!(node.login("open@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    }
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let plan = roadmap::file::read_plan("002.txt", SEED_002.as_bytes()).expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "План", "002.txt", &plan);
    let actor = kernel::audit::Actor::system("another node");
    let id = roadmap::store::create_from_import(&app.db, &actor, crate::helpers::T0, new).await.expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    let m84 = loaded.measures.iter().find(|m| m.number == "84.").expect("measure 84").id;
    let track = format!("/staff/o/social-protection/roadmaps/{id}/track");
    let comment = "сведения размещены на сайте";
    async fn shows(node: &TestApp, path: &str, text: &str) -> bool {
        node.get(path).await.text().await.expect("text").contains(text)
    }
    // Both nodes read the plan (the patient one keeps it) before the mark.
    assert!(!shows(&patient, &track, "исполнено частично").await && !shows(&eager, &track, "исполнено частично").await);

    let mark = roadmap::marks::validate("", "partly", "2026-03-01", comment, "").expect("mark");
    roadmap::marks::add(&app.db, &actor, crate::helpers::T0, body.id, m84, &mark).await.expect("mark elsewhere");
    assert!(shows(&eager, &track, "исполнено частично").await, "a node that asks every time shows it at once");
    assert!(!shows(&patient, &track, "исполнено частично").await, "a node keeps the plan until it asks");

    // A mark made through the patient node: the node asks again, and shows both.
    let form = format!("/staff/o/social-protection/roadmaps/{id}/measures/{m84}/mark");
    let fields = [("period", ""), ("status", "not_done"), ("marked_on", "2026-03-02"), ("comment", "")];
    assert_eq!(patient.post_form(&form, &fields).await.status(), StatusCode::SEE_OTHER);
    let history = patient.get(&form).await.text().await.expect("text");
    assert!(history.contains(comment) && history.contains("не исполнено"), "the mark page reads the marks fresh");
    let page = patient.get(&track).await.text().await.expect("text");
    assert!(page.contains("не исполнено, 2026-03-02"), "the tracking page shows the newest mark at once");
}
on_both_backends!(a_mark_made_elsewhere_shows_on_the_tracking_page_when_the_node_asks);

/// Noon (UTC) of a day, as the fixed clock's milliseconds.
fn noon(y: i16, m: i8, d: i8) -> i64 {
    jiff::civil::date(y, m, d)
        .at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .expect("a day")
        .timestamp()
        .as_millisecond()
}

/// The tracking row of a measure: whether it is overdue, and its cells.
fn track_row(page: &str, number: &str) -> Option<(bool, String)> {
    let cell = format!("<td>{number}</td>");
    page.split("<tr")
        .find(|row| row.contains(&cell))
        .map(|row| (row.split('>').next().is_some_and(|tag| tag.contains(" class=\"overdue\"")), row.to_string()))
}

/// Seed 004 was approved on 21.03.2018 and names no years: its fifteen «в течение года» measures
/// are due by the end of 2018 (31.12.2018 is a day off, 29.12 a working Saturday) and overdue
/// after it until marked.
async fn within_the_year_measures_fall_due_at_the_end_of_the_plans_year(app: TestApp) {
    app.create_staff("open@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let plan = roadmap::file::read_plan("004.txt", include_str!("../../../roadmap/tests/fixtures/004.txt").as_bytes())
        .expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "План ЗАТО Сибирский", "004.txt", &plan);
    assert_eq!(
        new.approving_act,
        "распоряжение от 21.03.2018 № 122-р, АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАКРЫТОГО АДМИНИСТРАТИВНО-ТЕРРИТОРИАЛЬНОГО ОБРАЗОВАНИЯ СИБИРСКИЙ АЛТАЙСКОГО КРАЯ"
    );
    let actor = kernel::audit::Actor::system("test");
    let id = roadmap::store::create_from_import(&app.db, &actor, crate::helpers::T0, new).await.expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    let act = loaded.roadmap.approving_act.clone();
    roadmap::store::set_status(&app.db, &actor, crate::helpers::T0, &loaded.roadmap, "approved", &act, "")
        .await
        .expect("approve");
    let within: Vec<String> =
        loaded.measures.iter().filter(|m| m.deadline == "в течение года").map(|m| m.number.clone()).collect();
    assert_eq!(within.len(), 15);
    app.login("open@social.example", PASSWORD).await;
    let url = format!("/staff/o/social-protection/roadmaps/{id}/track");

    app.clock.set(noon(2018, 12, 20));
    let page = app.get(&url).await.text().await.expect("text");
    for n in &within {
        let (overdue, row) = track_row(&page, n).unwrap_or_else(|| panic!("{n} tracked"));
        assert!(!overdue && row.contains("29.12.2018"), "{n} is due on 29.12.2018 and not yet overdue: {row}");
    }

    app.clock.set(noon(2019, 1, 15));
    let page = app.get(&format!("{url}?overdue=1")).await.text().await.expect("text");
    for n in &within {
        let (overdue, row) = track_row(&page, n).unwrap_or_else(|| panic!("{n} is among the overdue"));
        assert!(overdue && row.contains("29.12.2018"), "{n}: {row}");
    }
}
on_both_backends!(within_the_year_measures_fall_due_at_the_end_of_the_plans_year);
