//! Reminders: with the clock set to 27.06.2017, the worker sends each executor linked to an
//! approved plan one e-mail per measure due within three working days (30.06.2017), to a real
//! SMTP server; after a restart, none again.

use std::time::{Duration, Instant};

use crate::helpers::{Backend, database_url, glasnost, temp_dir};
use crate::outbox::{Sink, free_port, start_server};

async fn reminders_once(backend: Backend) {
    let dir = temp_dir("reminders");
    let Some(url) = database_url(backend, &dir).await else { return };
    let sink = Sink::start(&dir);
    let env: Vec<(String, String)> = [
        ("GLASNOST_DATA_DIR", dir.display().to_string()),
        ("GLASNOST_DATABASE_URL", url.clone()),
        ("GLASNOST_BIND", format!("127.0.0.1:{}", free_port())),
        ("GLASNOST_SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port)),
        ("GLASNOST_CLOCK", "2017-06-27T03:00:00Z".to_string()),
        ("GLASNOST_REMINDER_INTERVAL_SECS", "1".to_string()),
        ("GLASNOST_WORKER_POLL_MS", "50".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert!(glasnost(&env, &["demo"], "").status.success());
    let add = glasnost(
        &env,
        &[
            "user",
            "add",
            "anosova@dszn.example",
            "--role",
            "openness_coordinator",
            "--body",
            "social-protection",
            "--name",
            "Аносова И.А.",
        ],
        "длинный пароль 2017\n",
    );
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let seed = format!("{}/../roadmap/tests/fixtures/002.txt", env!("CARGO_MANIFEST_DIR"));
    assert!(glasnost(&env, &["roadmap", "import", &seed, "--body", "social-protection"], "").status.success());

    let db = kernel::Db::connect(&url).await.expect("connect");
    let body = kernel::bodies::by_slug(&db, "social-protection").await.expect("query").expect("body");
    let roadmap = roadmap::store::for_body(&db, body.id).await.expect("list").remove(0);
    // Nothing is sent for a draft; approve it.
    roadmap::store::set_status(
        &db,
        &kernel::audit::Actor::system("test"),
        0,
        &roadmap,
        "approved",
        "распоряжение № 149",
        "",
    )
    .await
    .expect("approve");

    // The measures naming Аносова И.А. whose deadline is the first half-year or the second quarter
    // of 2017 (both end 30.06.2017), read off the plan by their deadline phrases.
    let loaded = roadmap::store::load(&db, roadmap.id).await.expect("load").expect("stored");
    let expected: Vec<&str> = loaded
        .measures
        .iter()
        .filter(|m| m.executors.contains("Аносова И.А."))
        .filter(|m| {
            let d = m.deadline.to_lowercase();
            d.starts_with("i полугодие 2017")
                || d.starts_with("1 полугодие 2017")
                || d.starts_with("ii кв. 2017")
                || d.starts_with("полугодие 2017")
                || d.starts_with("и полугодие 2017")
        })
        .map(|m| m.number.as_str())
        .collect();
    assert!(expected.len() >= 10, "the plan has many such measures: {expected:?}");
    // The planner links her account to the measures that name her (a name alone grants nothing).
    let users = kernel::staff::list_users(&db).await.expect("users");
    let anosova = users.iter().find(|u| u.email == "anosova@dszn.example").expect("her account").id;
    for m in loaded.measures.iter().filter(|m| m.executors.contains("Аносова И.А.")) {
        let actor = kernel::audit::Actor::system("test");
        roadmap::executors::set(&db, &actor, 0, body.id, m.id, &[anosova]).await.expect("link");
    }

    let mut server = start_server(&env);
    let started = Instant::now();
    while sink.received().len() < expected.len() {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "only {} of {} reminders arrived",
            sink.received().len(),
            expected.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await; // several more planner runs
    server.kill().expect("stop");
    server.wait().expect("reap");
    let mut server = start_server(&env);
    tokio::time::sleep(Duration::from_secs(4)).await;
    server.kill().expect("stop");
    server.wait().expect("reap");

    let received = sink.received();
    assert_eq!(received.len(), expected.len(), "exactly the due reminders, none again after the restart");
    let mut ids = received.clone();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), received.len());
    let all = std::fs::read_to_string(dir.join("received.txt")).expect("log");
    // Each line: the Message-ID, the recipients, the moment the server took it.
    assert!(all.lines().all(|l| l.split('\t').nth(1) == Some("anosova@dszn.example")), "{all}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executors_get_each_due_reminder_once_sqlite() {
    reminders_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executors_get_each_due_reminder_once_postgres() {
    reminders_once(Backend::Postgres).await;
}
