//! Who may do what: every staff route refuses anonymous visitors and staff of another body;
//! forms need the CSRF token; wrong passwords lock an account.

use kernel::staff::{Access, Role};
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

/// The concrete path of a route: `{slug}` becomes `slug`, `{id}` the id of a record of that body
/// (a dataset under `/opendata/`, a thing published under `/site/content/`, a roadmap elsewhere).
fn path_of(
    pattern: &str,
    slug: &str,
    (id, mid): (i64, i64),
    (dataset, content, draft, council): (i64, i64, i64, (i64, i64, i64)),
) -> String {
    let (id, mid) = if pattern.contains("/councils/") { (council.0, council.1) } else { (id, mid) };
    let id = if pattern.contains("/conferences/{id}") {
        council.2
    } else if pattern.contains("/opendata/{id}") {
        dataset
    } else if pattern.contains("/site/content/{id}") {
        content
    } else if pattern.contains("/drafts/{id}") {
        draft
    } else {
        id
    };
    pattern
        .replace("{slug}", slug)
        .replace("{id}", &id.to_string())
        .replace("{mid}", &mid.to_string())
        .replace("{cid}", "1")
        .replace("{rid}", "1")
        .replace("{tid}", "1")
        .replace("{fid}", "1")
        .replace("{lid}", "1")
        .replace("{iid}", "1")
        .replace("{aid}", "1")
        .replace("{qid}", "1")
        .replace("{pid}", "1")
        .replace("{name}", "0123abcd.csv")
        .replace("{code}", "general-name")
        .replace("{year}", "2019")
        .replace("{kind}", "news")
}

/// A news item of the body.
async fn a_news_item_of(app: &TestApp, slug: &str) -> i64 {
    let body = kernel::bodies::by_slug(&app.db, slug).await.expect("query").expect("body");
    let f = site::content::Fields { title: "Новость".into(), text: "Текст".into(), ..Default::default() };
    let place = site::content_store::Place { slug, today: "2026-03-02".parse().expect("date") };
    let actor = kernel::audit::Actor::system("test");
    let sent = site::content_store::Sent { fields: &f, upload: None, picture: None };
    let storage = kernel::storage::Storage::open(&app.cfg.storage_url).expect("storage");
    let news = site::content::Kind::News;
    site::content_store::create(&app.db, &storage, &actor, crate::helpers::T0, &place, body.id, news, sent)
        .await
        .expect("news")
}

/// A draft of the body, at its notice.
async fn a_draft_of(app: &TestApp, slug: &str) -> i64 {
    let body = kernel::bodies::by_slug(&app.db, slug).await.expect("query").expect("body");
    let notice = rulemaking::store::NoticeForm {
        kind: "regulation".into(),
        title: "Проект регламента".into(),
        concept: "Суть".into(),
        ..Default::default()
    };
    let actor = kernel::audit::Actor::system("test");
    rulemaking::store::create(&app.db, &actor, crate::helpers::T0, body.id, &notice).await.expect("draft")
}

/// A council of the body with a meeting announced, a call for candidates and a draft plan under
/// discussion, and an online conference: (council, meeting, conference).
async fn a_council_of(app: &TestApp, slug: &str) -> (i64, i64, i64) {
    let body = kernel::bodies::by_slug(&app.db, slug).await.expect("query").expect("body");
    let card = councils::store::CouncilForm {
        kind: "commission".into(),
        name: "Комиссия".into(),
        email: "commission@example.ru".into(),
        attendance: "Вход свободный".into(),
        ..Default::default()
    };
    let actor = kernel::audit::Actor::system("test");
    let id = councils::store::create(&app.db, &actor, crate::helpers::T0, body.id, &card).await.expect("council");
    let council = councils::store::get(&app.db, id).await.expect("query").expect("council");
    let a = councils::meetings::Announcement {
        starts_at: crate::helpers::T0 + 10 * 86_400_000,
        ends_at: crate::helpers::T0 + 10 * 86_400_000 + 3_600_000,
        place: "Зал".into(),
        attendance: String::new(),
        documents: String::new(),
        capacity: 10,
        stream_url: String::new(),
        extraordinary: String::new(),
        closed_law: String::new(),
        agenda: vec![("Вопрос".into(), 0, String::new())],
    };
    let mid = councils::meetings::announce(&app.db, &actor, crate::helpers::T0, &council, &a).await.expect("meeting");
    let c = councils::conferences::Checked {
        kind: "general".into(),
        title: "Онлайн-конференция".into(),
        about: String::new(),
        starts_at: crate::helpers::T0 + 10 * 86_400_000,
        ends_at: crate::helpers::T0 + 10 * 86_400_000 + 3_600_000,
        stream_url: String::new(),
        topics: Vec::new(),
        voting_until: 0,
    };
    let conference =
        councils::conferences::create(&app.db, &actor, crate::helpers::T0, body.id, &c).await.expect("conference");
    // A call for candidates: the first of its database, so `{cid}` (1) names it.
    let call = councils::experts::CallForm {
        council: id.to_string(),
        title: "Отбор".into(),
        requirements: "Требования".into(),
        deadline_on: "10.03.2026".into(),
    };
    let today = "2026-03-02".parse().expect("date");
    councils::experts::announce_call(&app.db, &actor, (crate::helpers::T0, today), &council, &call)
        .await
        .expect("call");
    // A draft work plan under discussion: the first, so `{pid}` (1) names it.
    let plan = councils::plans::PlanForm {
        plan_title: "Проект плана".into(),
        plan_items: "Пункт".into(),
        plan_until: "10.03.2026".into(),
    };
    councils::plans::put_up(&app.db, &actor, (crate::helpers::T0, today), &council, &plan).await.expect("plan");
    (id, mid, conference)
}

/// A dataset of the body (which gets an INN for it).
async fn a_dataset_of(app: &TestApp, slug: &str) -> i64 {
    sqlx::query("UPDATE bodies SET inn = '7017000001' WHERE slug = $1")
        .bind(slug)
        .execute(&app.db.pool)
        .await
        .expect("inn");
    let body = kernel::bodies::by_slug(&app.db, slug).await.expect("query").expect("body");
    let passport =
        opendata::store::PassportForm { name: "test".into(), title: "Набор".into(), ..Default::default() };
    let structure = opendata_format::Structure {
        fields: vec![opendata_format::Field {
            name: "id".into(),
            en: "id".into(),
            ru: "Номер".into(),
            kind: opendata_format::FieldType::Integer,
            required: true,
        }],
        key: None,
    };
    let stamp = opendata_format::registry::Stamp::parse("20260302T1600").expect("stamp");
    let actor = kernel::audit::Actor::system("test");
    opendata::store::create(&app.db, &actor, crate::helpers::T0, stamp, &body, &passport, &structure)
        .await
        .expect("dataset")
}

/// A roadmap of the body, so routes of one roadmap have something to show.
async fn a_roadmap_of(app: &TestApp, slug: &str) -> (i64, i64) {
    let body = kernel::bodies::by_slug(&app.db, slug).await.expect("query").expect("body");
    let plan = roadmap::import::from_text(
        "№\tМероприятие\tСрок\tОтветственный исполнитель\n1.\tРазмещение плана\tпостоянно\tПресс-служба\n",
    )
    .expect("plan");
    let new = roadmap::store::NewRoadmap::from_document(body.id, "План", "plan.txt", &plan);
    let id =
        roadmap::store::create_from_import(&app.db, &kernel::audit::Actor::system("test"), crate::helpers::T0, new)
            .await
            .expect("roadmap");
    let loaded = roadmap::store::load(&app.db, id).await.expect("load").expect("stored");
    (id, loaded.measures[0].id)
}

async fn send(app: &TestApp, method: &reqwest::Method, path: &str) -> reqwest::Response {
    if *method == reqwest::Method::GET { app.get(path).await } else { app.post_form(path, &[]).await }
}

async fn every_staff_route_refuses_anonymous_users_and_staff_of_another_body(app: TestApp) {
    // The staff area's own routes and every listed mechanism's: a mechanism's routes are checked
    // here without this test being edited.
    let routes: Vec<&shell::staff::StaffRoute> =
        web::staff::ROUTES.iter().chain(glasnost::MECHANISMS.iter().flat_map(|m| m.staff.iter())).collect();
    assert!(routes.len() >= 70, "the route tables list the staff area");
    every_route_refuses_anonymous_users_and_staff_of_another_body(&app, routes).await;
}
on_both_backends!(every_staff_route_refuses_anonymous_users_and_staff_of_another_body);

/// Walks the routes: anonymous visitors go to the sign-in page, staff of another body are refused
/// with a Russian page, and the body's own editor gets in where an editor should.
pub async fn every_route_refuses_anonymous_users_and_staff_of_another_body<'a>(
    app: &TestApp,
    routes: impl IntoIterator<Item = &'a shell::staff::StaffRoute>,
) {
    let anonymous = app.other_client();
    app.create_staff("editor@other.example", Role::Editor, Some("information-society")).await;
    let other = app.other_client();
    assert_eq!(other.login("editor@other.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    let own = app.other_client();
    assert_eq!(own.login("editor@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);

    let roadmap_id = a_roadmap_of(app, "csp-tomsk").await;
    let dataset_id = a_dataset_of(app, "csp-tomsk").await;
    let routes: Vec<&shell::staff::StaffRoute> = routes.into_iter().collect();
    // The site's tables exist where the site is one of the mechanisms walked.
    let content_id = if routes.iter().any(|r| r.path.contains("/site/content/")) {
        a_news_item_of(app, "csp-tomsk").await
    } else {
        0
    };
    let draft_id =
        if routes.iter().any(|r| r.path.contains("/drafts/")) { a_draft_of(app, "csp-tomsk").await } else { 0 };
    let council = if routes.iter().any(|r| r.path.contains("/councils/") || r.path.contains("/conferences/")) {
        a_council_of(app, "csp-tomsk").await
    } else {
        (0, 0, 0)
    };
    for r in routes {
        let method = reqwest::Method::from_bytes(r.method.as_str().as_bytes()).expect("method");
        // The subordinate organisation of social-protection: scope must reach down the hierarchy.
        let path = path_of(r.path, "csp-tomsk", roadmap_id, (dataset_id, content_id, draft_id, council));

        let resp = send(&anonymous, &method, &path).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "anonymous {method} {path}");
        let to = resp.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
        assert!(to.starts_with("/staff/login"), "anonymous {method} {path} is sent to the login page, not {to}");

        let refused_for_other = match r.access {
            Access::AnyStaff => false,
            Access::PortalAdmin | Access::ReadAll | Access::Coordinate | Access::BodyRead | Access::BodyWrite(_) => {
                true
            }
        };
        if refused_for_other && !path.ends_with("/logout") {
            let resp = send(&other, &method, &path).await;
            assert_eq!(resp.status(), StatusCode::FORBIDDEN, "staff of another body: {method} {path}");
            let text = resp.text().await.expect("body");
            assert!(text.contains("Доступ запрещён"), "a Russian page explains the refusal on {path}");
        }

        // The body's own editor gets in where an editor should (so the refusals above are not
        // just a broken route), and not into portal administration.
        if method == reqwest::Method::GET {
            let status = send(&own, &method, &path).await.status();
            let expected = match r.access {
                // No error report has that name: past the access check, the route says so.
                _ if path.contains("/reports/") => StatusCode::NOT_FOUND,
                // No versions named to compare: past the access check, the route says so.
                _ if path.ends_with("/diff") => StatusCode::BAD_REQUEST,
                // No application has that document: past the access check, the route says so.
                _ if path.contains("/calls/") && path.contains("/files/") => StatusCode::NOT_FOUND,
                // No income table for that year: past the access check, the route says so.
                _ if path.ends_with("/site/income/2019") => StatusCode::NOT_FOUND,
                Access::AnyStaff | Access::BodyRead => StatusCode::OK,
                Access::BodyWrite(roles) if roles.contains(&Role::Editor) => StatusCode::OK,
                Access::BodyWrite(_) | Access::PortalAdmin | Access::ReadAll | Access::Coordinate => {
                    StatusCode::FORBIDDEN
                }
            };
            assert_eq!(status, expected, "own editor: GET {path}");
        }
    }
}

/// Sessions are kept by each node: a sign-out or a disabled account made elsewhere takes effect on
/// a node once it asks the database again (`GLASNOST_RECHECK_MS`), and at once through the node.
async fn a_session_ended_elsewhere_ends_when_the_node_asks(app: TestApp) {
    let url = app.cfg.database_url.clone();
    let settings = |recheck| [("GLASNOST_RECHECK_MS", recheck), ("GLASNOST_PAGE_CACHE_MS", "0")];
    let patient = TestApp::serve(crate::helpers::temp_dir("node"), &url, &settings("3600000")).await;
    let eager = TestApp::serve(crate::helpers::temp_dir("node"), &url, &settings("0")).await;
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    async fn signed_in(node: &TestApp) -> bool {
        node.get("/staff/").await.status() == StatusCode::OK
    }
    // One session, used through both nodes (as behind a load balancer).
    assert_eq!(patient.login("editor@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let token = patient.cookie("gl_session").expect("session cookie");
    eager.jar.add_cookie_str(&format!("gl_session={token}; Path=/"), &eager.base.parse().expect("url"));
    assert!(signed_in(&patient).await && signed_in(&eager).await);

    // Signed out elsewhere (another node, the command line).
    kernel::staff::logout(&app.db, &token).await.expect("logout");
    assert!(!signed_in(&eager).await, "a node that asks on every use ends the session at once");
    assert!(signed_in(&patient).await, "a node keeps the session until it asks: no database read per page");

    // Through the node itself, at once.
    let again = patient.other_client();
    assert_eq!(again.login("editor@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert!(signed_in(&again).await);
    assert_eq!(again.post_form("/staff/logout", &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(!signed_in(&again).await, "signed out through the node");
}
on_both_backends!(a_session_ended_elsewhere_ends_when_the_node_asks);

async fn regional_coordinator_reads_every_body_but_changes_none(app: TestApp) {
    app.create_staff("coord@tomsk.example", Role::RegionalCoordinator, None).await;
    assert_eq!(app.login("coord@tomsk.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/staff/o/social-protection/").await.status(), StatusCode::OK);
    assert_eq!(app.get("/staff/o/information-society/").await.status(), StatusCode::OK);
    assert_eq!(app.get("/staff/o/social-protection/edit").await.status(), StatusCode::FORBIDDEN);
    let r = app.post_form("/staff/o/social-protection/edit", &[("full_name", "Захват"), ("slug", "x")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let b = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query");
    assert!(b.is_some(), "the body kept its slug");
}
on_both_backends!(regional_coordinator_reads_every_body_but_changes_none);

async fn a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(app: TestApp) {
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    assert_eq!(app.login("admin@tomsk.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let fields = [("slug", "new-body"), ("full_name", "Новый орган")];

    let no_token = app.client.post(app.url("/staff/admin/bodies/new")).form(&fields).send().await.expect("post");
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    assert!(no_token.text().await.expect("text").contains("Форма устарела"));

    let mut wrong = vec![("csrf", "0".repeat(64))];
    wrong.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let wrong_token = app.client.post(app.url("/staff/admin/bodies/new")).form(&wrong).send().await.expect("post");
    assert_eq!(wrong_token.status(), StatusCode::FORBIDDEN);
    assert!(kernel::bodies::by_slug(&app.db, "new-body").await.expect("query").is_none());

    // A token from another visitor does not work either: it must match this visitor's cookie.
    let stranger = app.other_client();
    let foreign = stranger.csrf().await;
    let mut theirs = vec![("csrf", foreign)];
    theirs.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let r = app.client.post(app.url("/staff/admin/bodies/new")).form(&theirs).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let ok = app.post_form("/staff/admin/bodies/new", &fields).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert!(kernel::bodies::by_slug(&app.db, "new-body").await.expect("query").is_some());
}
on_both_backends!(a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing);

/// Ten wrong passwords from one address lock the account for that address, longer each time;
/// the owner signing in from another address is not locked out.
async fn wrong_passwords_slow_the_guesser_without_locking_out_the_owner(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    let guess_ten_times = || async {
        for i in 1..=9 {
            let r = app.login("editor@social.example", "wrong password!").await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}");
            assert!(r.text().await.expect("text").contains("неверный адрес или пароль"));
        }
        let tenth = app.login("editor@social.example", "wrong password!").await;
        assert_eq!(tenth.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(tenth.text().await.expect("text").contains("временно заблокирована"));
    };
    guess_ten_times().await;
    // Even the right password is refused from that address while the lock lasts.
    let locked = app.login("editor@social.example", PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(app.cookie("gl_session").is_none());
    // The owner, at another address, signs in.
    let owner = app.other_client_from(std::net::IpAddr::from([127, 0, 0, 2]));
    assert_eq!(owner.login("editor@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert!(owner.cookie("gl_session").is_some());
    // Only failures count against an address: an office signing in all day is not stopped.
    for i in 0..35 {
        assert_eq!(owner.login("editor@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER, "sign-in {i}");
    }
    // Fifteen minutes later the guesser may try again; ten more wrong guesses lock for thirty.
    app.clock.advance(15 * 60 * 1000 + 1);
    guess_ten_times().await;
    app.clock.advance(15 * 60 * 1000 + 1);
    assert_eq!(app.login("editor@social.example", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(15 * 60 * 1000);
    let r = app.login("editor@social.example", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app.cookie("gl_session").is_some());
}
on_both_backends!(wrong_passwords_slow_the_guesser_without_locking_out_the_owner);

async fn session_cookie_is_http_only_and_logout_ends_the_session(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    let r = app.login("editor@social.example", PASSWORD).await;
    let set: Vec<String> =
        r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect();
    let session = set.iter().find(|c| c.starts_with("gl_session=")).expect("a session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    assert_eq!(app.get("/staff/").await.status(), StatusCode::OK);
    assert_eq!(app.post_form("/staff/logout", &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/staff/").await.status(), StatusCode::SEE_OTHER);
}
on_both_backends!(session_cookie_is_http_only_and_logout_ends_the_session);

async fn one_address_guessing_many_accounts_is_slowed_down(app: TestApp) {
    // 30 attempts per address in ten minutes, whatever the accounts tried.
    for i in 0..30 {
        let r = app.login(&format!("nobody{i}@example.org"), "guess guess guess").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}");
    }
    let r = app.login("nobody@example.org", "guess guess guess").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await.expect("text").contains("Слишком много попыток"));
    app.clock.advance(10 * 60 * 1000);
    assert_eq!(app.login("nobody@example.org", "guess guess guess").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
on_both_backends!(one_address_guessing_many_accounts_is_slowed_down);

/// The names and addresses of people who asked for a dataset or reported an error in one are
/// seen only by those who answer them (the body's open-data officers and editors, and the portal
/// administrator): every role walks every staff page of the body, and a page that shows an
/// address is one its role may answer on.
async fn personal_data_is_seen_only_by_those_who_answer(app: TestApp) {
    let answerers = [Role::PortalAdmin, Role::OpendataOfficer, Role::Editor];
    let (dataset, _) = crate::opendata::published_dataset(&app).await;
    crate::opendata::a_request_and_a_report(&app.other_client(), &dataset).await;
    let roadmap_id = a_roadmap_of(&app, "social-protection").await;
    let content_id = a_news_item_of(&app, "social-protection").await;
    let draft_id = a_draft_of(&app, "social-protection").await;
    let council = a_council_of(&app, "social-protection").await;
    let routes: Vec<&shell::staff::StaffRoute> = web::staff::ROUTES
        .iter()
        .chain(glasnost::MECHANISMS.iter().flat_map(|m| m.staff.iter()))
        .filter(|r| r.method == axum::http::Method::GET)
        .collect();
    for role in Role::ALL {
        let email = format!("{}@tomsk.example", role.as_str());
        let body = (!matches!(role, Role::PortalAdmin | Role::RegionalCoordinator)).then_some("social-protection");
        app.create_staff(&email, role, body).await;
        let member = app.other_client();
        assert_eq!(member.login(&email, PASSWORD).await.status(), StatusCode::SEE_OTHER, "{role:?}");
        let mut seen = Vec::new();
        for r in &routes {
            let path = path_of(r.path, "social-protection", roadmap_id, (dataset.id, content_id, draft_id, council));
            let page = member.get(&path).await.text().await.unwrap_or_default();
            if page.contains("requester@example.org") || page.contains("reporter@example.org") {
                seen.push(path);
            }
        }
        if answerers.contains(&role) {
            assert!(seen.iter().any(|p| p.ends_with("/opendata/requests")), "{role:?} answers requests: {seen:?}");
            assert!(seen.iter().any(|p| p.ends_with("/opendata/feedback")), "{role:?} answers reports: {seen:?}");
        } else {
            assert!(seen.is_empty(), "{role:?} sees requesters' addresses on {seen:?}");
        }
    }
}
on_both_backends!(personal_data_is_seen_only_by_those_who_answer);
