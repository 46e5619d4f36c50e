//! Bodies and subordinate organisations: created by staff, shown to the public, audited.

use kernel::audit::{self, Actor, Filter};
use kernel::bodies::{self, BodyForm};
use kernel::staff::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, T0, TestApp, temp_dir};
use crate::on_both_backends;

async fn an_editor_creates_a_subordinate_organisation_and_the_public_page_shows_it(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    assert_eq!(app.login("editor@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            "/staff/o/social-protection/subordinates/new",
            &[
                ("full_name", "Областной центр «Семья»"),
                ("short_name", "Центр «Семья»"),
                ("slug", "family-centre"),
                ("phone", "+7 3822 111111"),
                ("reception_hours", "Вт, чт 10:00–13:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers().get("location").and_then(|v| v.to_str().ok()), Some("/staff/o/family-centre/?done=created"));

    let public = app.other_client();
    let page = public.get("/o/social-protection/").await.text().await.expect("text");
    assert!(page.contains("Подведомственные организации"));
    assert!(page.contains("href=\"/o/family-centre/\""), "the parent lists its new organisation");
    let page = public.get("/o/family-centre/").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.expect("text");
    assert!(
        page.contains("<h1>Областной центр «Семья»</h1>") || page.contains("Областной центр &#171;Семья&#187;"),
        "{page}"
    );
    assert!(page.contains("Вышестоящий орган"));
    let json: serde_json::Value = public.get("/o/family-centre/body.json").await.json().await.expect("json");
    assert_eq!(json["parent"], "social-protection");
    assert_eq!(json["reception_hours"], "Вт, чт 10:00–13:00");

    let created = kernel::bodies::by_slug(&app.db, "family-centre").await.expect("query").expect("created");
    let log = audit::search(&app.db, &Filter { body_id: Some(created.id), ..Filter::default() }, None, 10)
        .await
        .expect("audit");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "create");
    assert_eq!(log[0].actor, "editor@social.example");
    assert!(log[0].before_json.is_none());
    assert!(log[0].after_json.as_deref().is_some_and(|a| a.contains("family-centre")));
}
on_both_backends!(an_editor_creates_a_subordinate_organisation_and_the_public_page_shows_it);

async fn an_edit_records_before_and_after_and_the_admin_filters_the_log(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    let editor = app.other_client();
    editor.login("editor@social.example", PASSWORD).await;
    let r = editor
        .post_form(
            "/staff/o/social-protection/edit",
            &[
                ("full_name", "Департамент социальной защиты населения Томской области"),
                ("slug", "social-protection"),
                ("phone", "+7 3822 713 000"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    app.login("admin@tomsk.example", PASSWORD).await;
    let page = app.get("/staff/admin/audit?body=social-protection&object=body").await.text().await.expect("text");
    assert!(page.contains("editor@social.example"));
    assert!(page.contains("+7 3822 713 000"), "the after state is shown");
    let other = app.get("/staff/admin/audit?body=information-society&object=body").await.text().await.expect("text");
    assert!(!other.contains("+7 3822 713 000"), "the body filter applies");
    let by_date = app.get("/staff/admin/audit?from=2030-01-01").await.text().await.expect("text");
    assert!(by_date.contains("Ничего не найдено"), "the date filter applies");

    let csv = app.get("/staff/admin/audit?body=social-protection&format=csv").await;
    assert_eq!(csv.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("text/csv; charset=utf-8"));
    let csv = csv.text().await.expect("csv");
    assert!(csv.starts_with("id,at,actor,body,action,object_type,object_id,before,after\r\n"));
    assert!(csv.lines().any(|l| l.contains(",update,body,") && l.contains("editor@social.example")));

    let bad = app.get("/staff/admin/audit?from=31.02.2026").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.expect("text").contains("не дата"));

    // The editor cannot read the log.
    assert_eq!(editor.get("/staff/admin/audit").await.status(), StatusCode::FORBIDDEN);
}
on_both_backends!(an_edit_records_before_and_after_and_the_admin_filters_the_log);

async fn bad_body_input_is_explained_beside_each_field_and_nothing_is_saved(app: TestApp) {
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    app.login("admin@tomsk.example", PASSWORD).await;
    let r = app
        .post_form(
            "/staff/admin/bodies/new",
            &[("full_name", ""), ("slug", "Плохой адрес"), ("inn", "7707083894"), ("email", "not-an-email")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    for expected in [
        "укажите полное наименование",
        "допустимы только строчные латинские буквы",
        "не сходится контрольное число",
        "не похож на адрес",
    ] {
        assert!(page.contains(expected), "missing «{expected}»");
    }
    assert!(page.contains("aria-invalid=\"true\""));
    let taken =
        app.post_form("/staff/admin/bodies/new", &[("full_name", "Дубликат"), ("slug", "social-protection")]).await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.text().await.expect("text").contains("уже занят"));
    assert_eq!(kernel::bodies::list(&app.db).await.expect("list").len(), 3, "nothing was saved");
}
on_both_backends!(bad_body_input_is_explained_beside_each_field_and_nothing_is_saved);

async fn the_admin_deletes_a_body_without_subordinates_and_the_log_keeps_it(app: TestApp) {
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    app.login("admin@tomsk.example", PASSWORD).await;
    let refused = app.post_form("/staff/o/social-protection/delete", &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "a body with subordinates stays");
    // The confirmation again, saying why, with its button still there.
    let text = refused.text().await.expect("text");
    assert!(
        text.contains("сначала удалите или перенесите их")
            && text.contains("action=\"/staff/o/social-protection/delete\"")
    );
    let r = app.post_form("/staff/o/csp-tomsk/delete", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/o/csp-tomsk/").await.status(), StatusCode::NOT_FOUND);
    let log = audit::search(&app.db, &Filter { object_type: Some("body".into()), ..Filter::default() }, None, 50)
        .await
        .expect("audit");
    let deleted = log.iter().find(|e| e.action == "delete").expect("a delete entry");
    assert!(deleted.before_json.as_deref().is_some_and(|b| b.contains("csp-tomsk")));
}
on_both_backends!(the_admin_deletes_a_body_without_subordinates_and_the_log_keeps_it);

async fn the_admin_creates_staff_who_can_then_sign_in(app: TestApp) {
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    app.login("admin@tomsk.example", PASSWORD).await;
    let r = app
        .post_form(
            "/staff/admin/users/new",
            &[
                ("email", "Lawyer@Social.example"),
                ("password", "a long enough pass"),
                ("role", "lawyer"),
                ("body", "social-protection"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let short = app
        .post_form(
            "/staff/admin/users/new",
            &[("email", "x@social.example"), ("password", "short"), ("role", "lawyer"), ("body", "social-protection")],
        )
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text().await.expect("text").contains("не короче 10 символов"));
    let no_body = app
        .post_form(
            "/staff/admin/users/new",
            &[("email", "y@social.example"), ("password", "a long enough pass"), ("role", "editor"), ("body", "")],
        )
        .await;
    assert_eq!(no_body.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let lawyer = app.other_client();
    assert_eq!(lawyer.login("lawyer@social.example", "a long enough pass").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(lawyer.get("/staff/o/social-protection/").await.status(), StatusCode::OK);
    assert_eq!(lawyer.get("/staff/o/social-protection/edit").await.status(), StatusCode::FORBIDDEN);
}
on_both_backends!(the_admin_creates_staff_who_can_then_sign_in);

async fn a_change_shows_at_once_on_a_public_page_served_from_the_cache(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    let public = app.other_client();
    let first = public.get("/o/social-protection/").await.text().await.expect("text");
    assert!(!first.contains("+7 3822 999 999"));
    app.login("editor@social.example", PASSWORD).await;
    let r = app
        .post_form(
            "/staff/o/social-protection/edit",
            &[
                ("full_name", "Департамент социальной защиты населения Томской области"),
                ("slug", "social-protection"),
                ("phone", "+7 3822 999 999"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let again = public.get("/o/social-protection/").await.text().await.expect("text");
    assert!(again.contains("+7 3822 999 999"), "the cached page was replaced");
}
on_both_backends!(a_change_shows_at_once_on_a_public_page_served_from_the_cache);

async fn a_disabled_account_is_signed_out_at_once_and_cannot_sign_in(app: TestApp) {
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    let editor = app.other_client();
    editor.login("editor@social.example", PASSWORD).await;
    assert_eq!(editor.get("/staff/").await.status(), StatusCode::OK);
    app.login("admin@tomsk.example", PASSWORD).await;
    let users = kernel::staff::list_users(&app.db).await.expect("users");
    let id = |email: &str| users.iter().find(|u| u.email == email).map(|u| u.id.to_string()).expect("user");
    let r =
        app.post_form("/staff/admin/users/disable", &[("user", &id("editor@social.example")), ("disabled", "1")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(editor.get("/staff/").await.status(), StatusCode::SEE_OTHER, "the session ended");
    assert_eq!(editor.login("editor@social.example", PASSWORD).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let me =
        app.post_form("/staff/admin/users/disable", &[("user", &id("admin@tomsk.example")), ("disabled", "1")]).await;
    assert_eq!(me.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(me.text().await.expect("text").contains("нельзя заблокировать собственную"));
    app.post_form("/staff/admin/users/disable", &[("user", &id("editor@social.example")), ("disabled", "0")]).await;
    assert_eq!(editor.login("editor@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let log = audit::search(&app.db, &Filter { object_type: Some("user".into()), ..Filter::default() }, None, 10)
        .await
        .expect("audit");
    assert!(log.iter().any(|e| e.after_json.as_deref().is_some_and(|a| a.contains("\"disabled\":true"))));
}
on_both_backends!(a_disabled_account_is_signed_out_at_once_and_cannot_sign_in);

/// Pages read the portal, its bodies and its calendar from the node's memory: a node asks the
/// database whether they changed at most once per `recheck_ms`, and at once after a change made
/// through it; a change made elsewhere (another node, the command line) shows when it asks.
async fn a_change_made_elsewhere_shows_when_the_node_asks(app: TestApp) {
    let url = app.cfg.database_url.clone();
    let patient =
        TestApp::serve(temp_dir("node"), &url, &[("GLASNOST_RECHECK_MS", "3600000"), ("GLASNOST_PAGE_CACHE_MS", "0")])
            .await;
    let eager =
        TestApp::serve(temp_dir("node"), &url, &[("GLASNOST_RECHECK_MS", "0"), ("GLASNOST_PAGE_CACHE_MS", "0")]).await;
    let phone = "+7 3822 555 555";
    async fn shows_phone(node: &TestApp) -> bool {
        node.get("/o/social-protection/").await.text().await.expect("text").contains("+7 3822 555 555")
    }
    assert!(!shows_phone(&patient).await && !shows_phone(&eager).await);
    // Elsewhere: the kernel on the shared database, as another node or the command line would.
    let before = bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let f = BodyForm {
        slug: before.slug.clone(),
        full_name: before.full_name.clone(),
        phone: phone.into(),
        ..BodyForm::default()
    };
    bodies::update(&app.db, &Actor::system("test"), T0, &before, &f.validate().expect("valid")).await.expect("update");
    assert!(shows_phone(&eager).await, "a node that asks on every use shows the change at once");
    assert!(!shows_phone(&patient).await, "a node keeps its copy until it asks: no database read per page");
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    assert_eq!(patient.login("editor@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert!(shows_phone(&patient).await, "after a form sent through it, the node asked and read the change");
}
on_both_backends!(a_change_made_elsewhere_shows_when_the_node_asks);
