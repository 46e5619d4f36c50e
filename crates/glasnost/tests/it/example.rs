//! Adding a mechanism: a small one defined here — a public page, a staff route, a migration, a
//! string, a worker task, a service in the menu, a desk and a line on the staff home — plugged in by one entry in a list of mechanisms, with no edit to the
//! shell, the kernel, the web crate or the binary. The same router, migration runner, string
//! registry, worker and route-scope walk as production take it from that list.

use axum::Extension;
use axum::Router;
use axum::extract::State;
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kernel::db::{Migration, Schema};
use kernel::staff::{Access, Role};
use reqwest::StatusCode;
use shell::chrome::Visitor;
use shell::error::AppResult;
use shell::mechanism::{Desk, Service, Todo};
use shell::staff::{Scoped, StaffRoute};
use shell::{AppState, Mechanism};
use sqlx::Row;

use crate::helpers::{Backend, PASSWORD, TestApp};

const SCHEMA: Schema = Schema {
    mechanism: "example",
    migrations: &[Migration {
        version: 1,
        name: "notes",
        sql: "CREATE TABLE example_notes (id IDENTITY_KEY, body_id BIGINT NOT NULL REFERENCES bodies(id) \
              ON DELETE CASCADE, text TEXT NOT NULL, created_at BIGINT NOT NULL)",
    }],
    tables: &["example_notes"],
};

async fn notes(state: &AppState) -> AppResult<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM example_notes").fetch_one(&state.db.pool).await;
    Ok(row.map_err(kernel::Error::from)?.try_get("n").map_err(kernel::Error::from)?)
}

async fn page(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    Ok(format!("{}: {}", v.t("example_notes"), notes(&state).await?).into_response())
}

async fn staff_page(State(state): State<AppState>, Extension(s): Extension<Scoped>) -> AppResult<Response> {
    Ok(format!("{} — {}", s.body.short_name, notes(&state).await?).into_response())
}

const STAFF: &[StaffRoute] = &[StaffRoute {
    method: Method::GET,
    path: "/staff/o/{slug}/example",
    access: Access::BodyWrite(&[Role::Editor]),
    handler: || get(staff_page),
}];

/// The task writes one note each time it runs.
fn tasks(_: &kernel::Config) -> Vec<(&'static str, i64, kernel::outbox::Task)> {
    let write: kernel::outbox::Task = std::sync::Arc::new(|db, _, now| {
        Box::pin(async move {
            let body: i64 = sqlx::query("SELECT MIN(id) AS id FROM bodies").fetch_one(&db.pool).await?.try_get("id")?;
            sqlx::query("INSERT INTO example_notes (body_id, text, created_at) VALUES ($1, 'заметка', $2)")
                .bind(body)
                .bind(now)
                .execute(&db.pool)
                .await?;
            Ok(1)
        })
    });
    vec![("example notes", 60_000, write)]
}

/// The staff home's line: the notes to read, for editors.
fn todo<'a>(
    state: &'a AppState,
    _: &'a Visitor,
    user: &'a kernel::staff::StaffUser,
    _: &'a [kernel::bodies::Body],
    _: deadlines::Date,
    _: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Vec<Todo>>> {
    Box::pin(async move {
        if !user.has(Role::Editor) {
            return Ok(Vec::new());
        }
        let n = notes(state).await?;
        Ok(vec![Todo {
            text: format!("Заметки к прочтению: {n}"), href: "/example".into(), urgent: false
        }])
    })
}

const EXAMPLE: Mechanism = Mechanism {
    name: "example",
    schema: &SCHEMA,
    strings: &[("example_notes", "Заметок", "Notes"), ("example_hint", "Заметки органов", "The bodies' notes")],
    routes: || Router::new().route("/example", get(page)),
    query: &[],
    staff: STAFF,
    start: Mechanism::keeps_nothing,
    tasks,
    flush: None,
    figures: None,
    metrics: None,
    services: &[Service {
        name: "example_notes",
        hint: "example_hint",
        rank: 90,
        portal: Some("/example"),
        menu: true,
        body: None,
        shown: None,
    }],
    desks: &[Desk { name: "example_notes", path: "/staff/o/{slug}/example" }],
    todo: Some(todo),
    sitemap: None,
    feed: None,
    search: &[],
    obligations: None,
};

/// Production's list with the example added: the one line a new mechanism needs.
const WITH_EXAMPLE: &[&Mechanism] =
    &[&roadmap::mechanism::MECHANISM, &opendata::mechanism::MECHANISM, &appeals::mechanism::MECHANISM, &EXAMPLE];

async fn a_new_mechanism_is_one_entry_in_the_list(backend: Backend) {
    let Some(app) = TestApp::spawn_mechanisms(backend, WITH_EXAMPLE).await else { return };
    // Its migration ran with everyone else's, and a backup carries its table.
    let applied = sqlx::query("SELECT name FROM applied_migrations WHERE mechanism = 'example'")
        .fetch_all(&app.db.pool)
        .await
        .expect("applied");
    assert_eq!(applied.len(), 1);
    let schemas = shell::mechanism::schemas(WITH_EXAMPLE);
    let zip = app.dir.join("backup.zip");
    let storage = kernel::storage::Storage::open(&format!("file://{}", app.dir.join("files").display())).expect("s");
    kernel::backup::backup(&app.db, &storage, &zip, &schemas).await.expect("backup");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).expect("open")).expect("zip");
    assert!(archive.by_name("db/example_notes.jsonl").is_ok(), "the backup carries the example's table");

    // Its worker task is among the worker's, and runs.
    let tasks = shell::mechanism::tasks(&app.cfg, WITH_EXAMPLE);
    let (_, _, task) = tasks.iter().find(|(name, _, _)| *name == "example notes").expect("the example's task");
    assert_eq!(task(app.db.clone(), app.cfg.clone(), crate::helpers::T0).await.expect("task"), 1);

    // Its page speaks with its strings, in both languages.
    assert_eq!(app.get("/example").await.text().await.expect("text"), "Заметок: 1");
    app.get("/prefs?lang=en&back=/").await;
    assert_eq!(app.get("/example").await.text().await.expect("text"), "Notes: 1");

    // Its service is in every page's menu and on the home page.
    app.get("/prefs?lang=ru&back=/").await;
    let home = app.get("/").await.text().await.expect("home");
    assert!(home.contains("<li><a href=\"/example\">Заметок</a></li>"), "the menu carries it");
    assert!(home.contains("Заметки органов"), "the home page describes it");

    // Its staff route is behind the guard: the same walk as every production route.
    crate::access::every_route_refuses_anonymous_users_and_staff_of_another_body(&app, EXAMPLE.staff.iter()).await;
    app.login("editor@social.example", PASSWORD).await;
    let own = app.get("/staff/o/social-protection/example").await;
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(
        own.text().await.expect("text"),
        format!("{} — 1", "Департамент социальной защиты населения Томской области")
    );
    // Its desk is on the body's staff page, its line on the editor's home.
    let desk = app.get("/staff/o/social-protection/").await.text().await.expect("body page");
    assert!(desk.contains("href=\"/staff/o/social-protection/example\""), "the desk is on the body's staff page");
    let home = app.get("/staff/").await.text().await.expect("staff home");
    assert!(home.contains("Заметки к прочтению: 1"), "the staff home has its line");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_mechanism_is_one_entry_in_the_list_sqlite() {
    a_new_mechanism_is_one_entry_in_the_list(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_mechanism_is_one_entry_in_the_list_postgres() {
    a_new_mechanism_is_one_entry_in_the_list(Backend::Postgres).await;
}
