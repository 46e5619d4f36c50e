//! What users and their programs read, snapshotted: the roadmap's machine-readable twins, the
//! open-data registry and a CKAN answer, and the portal's home and body pages. The same
//! snapshot is checked on both backends; values that change from run to run (the CSRF token)
//! are redacted. Review a snapshot diff like code (`cargo insta review`).

use crate::helpers::{T0, TestApp};
use crate::on_both_backends;

const SEED_002: &str = include_str!("../../../roadmap/tests/fixtures/002.txt");
use crate::opendata::INN;

async fn text(app: &TestApp, path: &str) -> String {
    let r = app.get(path).await;
    assert_eq!(r.status(), reqwest::StatusCode::OK, "{path}");
    let body = r.text().await.expect("text");
    match app.cookie("gl_csrf") {
        Some(token) => body.replace(&token, "[csrf]"),
        None => body,
    }
}

async fn what_users_read_stays_as_reviewed(app: TestApp) {
    let actor = kernel::audit::Actor::system("test");
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let plan = roadmap::file::read_plan("002.txt", SEED_002.as_bytes()).expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "План 2017–2020", "002.txt", &plan);
    let id = roadmap::store::create_from_import(&app.db, &actor, T0, new).await.expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    roadmap::store::set_status(&app.db, &actor, T0, &loaded.roadmap, "approved", "приказ № 149 от 03.04.2017", "")
        .await
        .expect("approve");

    crate::opendata::published_dataset(&app).await;

    insta::assert_snapshot!("roadmap_json", text(&app, "/o/social-protection/openness/roadmap.json").await);
    insta::assert_snapshot!("roadmap_csv", text(&app, "/o/social-protection/openness/roadmap.csv").await);
    insta::assert_snapshot!("opendata_list_csv", text(&app, "/opendata/list.csv").await);
    insta::assert_snapshot!("opendata_meta_csv", text(&app, &format!("/opendata/{INN}-centres/meta.csv")).await);
    insta::assert_snapshot!(
        "ckan_package_show",
        text(&app, &format!("/api/3/action/package_show?id={INN}-centres")).await
    );
    insta::assert_snapshot!("home_page", text(&app, "/").await);
    insta::assert_snapshot!("body_page", text(&app, "/o/social-protection/").await);
}
on_both_backends!(what_users_read_stays_as_reviewed);
