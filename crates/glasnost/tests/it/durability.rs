//! Durability of intake (issue 6): 10,000 appeals, each with an attachment, sent by 100
//! concurrent clients to a real `glasnost serve` that is SIGKILLed and restarted three times
//! under load. A client that got its acknowledgement (the redirect to the tracking page, sent only
//! after the commit) keeps it; one whose connection broke sends the same form again (with its
//! one-time value), as a person would. Afterwards every appeal is in the database exactly once
//! with its file (same bytes) and the number its client saw, numbers run 1..n per body and year
//! with no gap and no repeat, and every acknowledgement e-mail reached the SMTP server.
//!
//! The portal runs as two nodes on one database, as a larger installation would: the node taking
//! the appeals (killed) and a node running the outbox worker (not killed), so every letter must
//! arrive exactly once. A kill of the node that is sending mail can repeat a letter between the
//! SMTP server's 250 and the outbox's mark — a moment SMTP gives no way to close (see
//! `kernel::mail`); `outbox.rs` holds that case to the letters in flight, each with its own
//! Message-ID.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kernel::audit::Actor;
use kernel::bodies::{self, BodyForm};
use reqwest::multipart::{Form, Part};
use sqlx::Row;

use crate::helpers::{Backend, T0, config_for, database_url, temp_dir};
use crate::outbox::{Sink, free_port};

const TOTAL: usize = 10_000;
const CLIENTS: usize = 100;
const KILLS: usize = 3;
const BODIES: [&str; 2] = ["social-protection", "information-society"];

/// What appeal `i` attaches: a small text file only it has.
fn attachment(i: usize) -> Vec<u8> {
    format!("Приложение к обращению {i}: копия квитанции.\n").repeat(20).into_bytes()
}

fn start(env: &[(String, String)], log: &std::path::Path) -> crate::helpers::Process {
    let log = std::fs::File::create(log).expect("server log");
    crate::helpers::Process(
        crate::helpers::glasnost_command(env)
            .arg("serve")
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start glasnost serve"),
    )
}

/// One client: sends appeals until all are taken; returns (index, tracking token, number seen).
async fn client(
    http: reqwest::Client,
    base: String,
    csrf: String,
    next: Arc<AtomicUsize>,
    acked: Arc<AtomicUsize>,
) -> Vec<(usize, String, String)> {
    let mut got = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::SeqCst);
        if i >= TOTAL {
            return got;
        }
        let started = Instant::now();
        let token = loop {
            assert!(started.elapsed() < Duration::from_secs(120), "appeal {i} could not be sent for two minutes");
            let form = Form::new()
                .text("csrf", csrf.clone())
                .text("body", BODIES[i % 2])
                .text("kind", "appeal")
                .text("topic", format!("Обращение {i}"))
                .text("text", format!("Прошу разъяснить порядок выплаты (обращение {i})."))
                .text("author_name", "Петрова Анна Сергеевна")
                .text("answer_by", "email")
                .text("email", format!("citizen{i}@example.org"))
                .text("consent", "1")
                .text("once", format!("durability{i:0>40}"))
                .part("files", Part::bytes(attachment(i)).file_name(format!("квитанция-{i}.txt")));
            match http.post(format!("{base}/appeals/new")).multipart(form).send().await {
                Ok(r) if r.status() == reqwest::StatusCode::SEE_OTHER => {
                    let location = r.headers()["location"].to_str().expect("location").to_string();
                    let token = location
                        .strip_prefix("/appeals/track/")
                        .and_then(|t| t.strip_suffix("?sent=1"))
                        .unwrap_or_else(|| panic!("unexpected redirect {location}"));
                    break token.to_string();
                }
                // Refused with a page (the server could not store it) or cut off: send again.
                Ok(r) => assert!(r.status().is_server_error(), "appeal {i}: {}", r.status()),
                Err(_) => {}
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        acked.fetch_add(1, Ordering::SeqCst);
        // The number is on the tracking page the redirect leads to.
        let number = loop {
            assert!(started.elapsed() < Duration::from_secs(240), "the tracking page of {i} did not open");
            if let Ok(r) = http.get(format!("{base}/appeals/track/{token}")).send().await
                && r.status().is_success()
            {
                let page = r.text().await.unwrap_or_default();
                let heading = page.split("<h1>").nth(1).unwrap_or_default();
                if let Some(n) = heading.split("№ ").nth(1).and_then(|t| t.split('<').next()) {
                    break n.trim().to_string();
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        got.push((i, token, number));
    }
}

async fn intake_survives_kills(backend: Backend) {
    let dir = temp_dir("durability");
    let Some(url) = database_url(backend, &dir).await else { return };
    let sink = Sink::start(&dir);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let env: Vec<(String, String)> = [
        ("GLASNOST_DATA_DIR", dir.display().to_string()),
        ("GLASNOST_DATABASE_URL", url.clone()),
        ("GLASNOST_BIND", format!("127.0.0.1:{port}")),
        ("GLASNOST_SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port)),
        ("GLASNOST_APPEALS_PER_ADDRESS_HOUR", "0".into()),
        ("GLASNOST_WORKER_LEASE_SECS", "2".into()),
        ("GLASNOST_WORKER_POLL_MS", "50".into()),
        ("GLASNOST_LOG_FORMAT", "json".into()),
        ("GLASNOST_WORKER", "false".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let cfg = config_for(&dir, &url, &[]);
    let db = kernel::Db::connect(&cfg.database_url).await.expect("connect");
    db.migrate(&glasnost::schemas()).await.expect("migrate");
    for slug in BODIES {
        let f =
            BodyForm { slug: slug.into(), full_name: format!("Департамент {slug}"), ..BodyForm::default() };
        bodies::create(&db, &Actor::system("test"), T0, None, &f.validate().expect("body")).await.expect("create");
    }

    let mut server = start(&env, &dir.join("server-0.log"));
    let mut mail_env = env.clone();
    mail_env.retain(|(k, _)| k != "GLASNOST_WORKER" && k != "GLASNOST_BIND");
    mail_env.push(("GLASNOST_BIND".into(), format!("127.0.0.1:{}", free_port())));
    let mut mailer = start(&mail_env, &dir.join("mailer.log"));
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .expect("client");
    let started = Instant::now();
    let csrf = loop {
        if let Ok(r) = http.get(format!("{base}/appeals/new")).send().await {
            let cookie = r.headers().get_all("set-cookie").iter().find_map(|c| {
                c.to_str().ok()?.strip_prefix("gl_csrf=").map(|v| v.split(';').next().unwrap_or_default().to_string())
            });
            break cookie.expect("the form sets a CSRF cookie");
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };

    let (next, acked) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| tokio::spawn(client(http.clone(), base.clone(), csrf.clone(), next.clone(), acked.clone())))
        .collect();
    // Kill at a quarter, a half and three quarters of the way, each time under full load.
    for k in 1..=KILLS {
        while acked.load(Ordering::SeqCst) < TOTAL * k / (KILLS + 1) {
            assert!(started.elapsed() < Duration::from_secs(600), "the load stalled before kill {k}");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        server.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
        server.wait().expect("reap");
        server = start(&env, &dir.join(format!("server-{k}.log")));
    }
    let mut seen = Vec::new();
    for c in clients {
        seen.extend(c.await.expect("client"));
    }
    let send_secs = started.elapsed().as_secs_f64();
    assert_eq!(seen.len(), TOTAL, "every appeal was acknowledged in the end");

    // Every acknowledged appeal: stored with its number and its file's bytes.
    let storage = kernel::storage::Storage::open(&cfg.storage_url).expect("storage");
    let rows = sqlx::query(
        "SELECT s.token_hash, s.seq, s.year, s.topic, f.file_key, f.sha256, f.bytes FROM submissions s \
         LEFT JOIN submission_files f ON f.submission_id = s.id",
    )
    .fetch_all(&db.pool)
    .await
    .expect("submissions");
    let stored: HashMap<String, (String, String, Option<String>, Option<String>)> = rows
        .iter()
        .map(|r| {
            let number = format!("{}/{}", r.try_get::<i64, _>(1).expect("seq"), r.try_get::<i64, _>(2).expect("year"));
            let v = (number, r.try_get(3).expect("topic"), r.try_get(4).expect("key"), r.try_get(5).expect("sha"));
            (r.try_get(0).expect("hash"), v)
        })
        .collect();
    assert_eq!(stored.len(), rows.len(), "one file row per appeal");
    for (i, token, number) in &seen {
        let (n, topic, key, sha) = stored
            .get(&kernel::staff::sha256_hex(token))
            .unwrap_or_else(|| panic!("acknowledged appeal {i} ({number}) is not in the database"));
        assert_eq!((n, topic), (number, &format!("Обращение {i}")), "appeal {i}");
        let bytes = storage.get(key.as_deref().expect("a file row")).await.expect("the file is stored");
        assert_eq!(bytes.as_ref(), attachment(*i), "the file of appeal {i}");
        assert_eq!(sha.as_deref(), Some(kernel::staff::sha256_hex_bytes(&bytes).as_str()));
    }
    assert_eq!(stored.len(), TOTAL, "an appeal sent again after a broken connection was stored once");

    // Numbers: per body and year 1..n, each once.
    let rows = sqlx::query("SELECT body_id, year, COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM submissions GROUP BY body_id, year")
        .fetch_all(&db.pool)
        .await
        .expect("numbers");
    assert_eq!(rows.len(), BODIES.len());
    for r in rows {
        let (n, distinct, min, max): (i64, i64, i64, i64) = (
            r.try_get(2).expect("n"),
            r.try_get(3).expect("d"),
            r.try_get(4).expect("min"),
            r.try_get(5).expect("max"),
        );
        assert_eq!((distinct, min, max), (n, 1, n), "numbers 1..{n} without gaps or repeats");
    }

    // Every acknowledgement reached the SMTP server, once.
    // The wait is on progress: the test fails only when no letter goes out for a whole minute.
    let all = stored.len();
    let (mut last_done, mut last_progress) = (0, Instant::now());
    loop {
        let c = kernel::outbox::counts(&db).await.expect("counts");
        if c.done as usize == all {
            break;
        }
        if c.done > last_done {
            (last_done, last_progress) = (c.done, Instant::now());
        }
        assert!(last_progress.elapsed() < Duration::from_secs(60), "the sending of acknowledgements stalled: {c:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for node in [&mut server, &mut mailer] {
        node.kill().expect("stop");
        node.wait().expect("reap");
    }
    let mut letters: HashMap<String, usize> = HashMap::new();
    for id in sink.received() {
        *letters.entry(id).or_default() += 1;
    }
    assert_eq!(letters.len(), all, "one acknowledgement per stored appeal, each under its own Message-ID");
    let repeated: Vec<_> = letters.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "every acknowledgement arrived exactly once: {repeated:?}");
    eprintln!(
        "{backend:?}: {TOTAL} appeals acknowledged in {send_secs:.1} s through {KILLS} kills, each stored once; \
         {all} letters each arrived once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_appeals_survive_three_kills_sqlite() {
    intake_survives_kills(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_appeals_survive_three_kills_postgres() {
    intake_survives_kills(Backend::Postgres).await;
}
