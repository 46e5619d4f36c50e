//! The outbox: nothing is sent twice for one idempotency key, failures are retried with
//! back-off, a job held by a dead worker is taken again, and a server killed mid-send
//! loses no e-mail after a restart: at most the letters in flight at the kill (on the wire, one per
//! SMTP connection, or accepted and not yet recorded: see `Worker::run_batch`) arrive twice, both
//! times under the same Message-ID.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kernel::mail::OutgoingEmail;
use kernel::outbox::{self, Worker};
use sqlx::Row;

use crate::helpers::{Backend, T0, TestApp, config_for, database_url, temp_dir};
use crate::on_both_backends;

fn email(i: usize) -> OutgoingEmail {
    OutgoingEmail {
        to: format!("Гражданин {i} <citizen{i}@example.org>"),
        html: None,
        headers: Vec::new(),
        subject: format!("Обращение № {i} зарегистрировано"),
        text: format!("Ваше обращение зарегистрировано под номером {i}.\n"),
    }
}

async fn job_row(app: &TestApp) -> (String, i64, i64) {
    let r = sqlx::query("SELECT status, attempts, run_at FROM jobs").fetch_one(&app.db.pool).await.expect("job");
    (r.try_get(0).expect("status"), r.try_get(1).expect("attempts"), r.try_get(2).expect("run_at"))
}

async fn one_idempotency_key_sends_one_email(app: TestApp) {
    let mut conn = app.db.pool.acquire().await.expect("conn");
    assert!(outbox::enqueue_email(&mut conn, T0, "ack:1", &email(1)).await.expect("enqueue"));
    assert!(!outbox::enqueue_email(&mut conn, T0, "ack:1", &email(1)).await.expect("enqueue again"));
    drop(conn);
    let worker = Worker::new(app.db.clone(), app.cfg.clone(), app.clock.clone()).expect("worker");
    assert!(worker.run_once().await.expect("run"));
    assert!(!worker.run_once().await.expect("run"), "nothing else is due");
    let files: Vec<_> = std::fs::read_dir(app.cfg.mail_dir()).expect("mail dir").flatten().collect();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(files[0].path()).expect("eml");
    assert!(eml.contains("Message-ID: <"), "{eml}");
    assert!(eml.contains("citizen1@example.org"));
    assert_eq!(job_row(&app).await.0, "done");
}
on_both_backends!(one_idempotency_key_sends_one_email);

async fn an_unreachable_smtp_server_is_retried_with_growing_delays(app: TestApp) {
    let mut cfg = app.cfg.clone();
    cfg.smtp_url = Some("smtp://127.0.0.1:9".into()); // nothing listens on the discard port
    let mut conn = app.db.pool.acquire().await.expect("conn");
    outbox::enqueue_email(&mut conn, T0, "ack:retry", &email(2)).await.expect("enqueue");
    drop(conn);
    let worker = Worker::new(app.db.clone(), cfg, app.clock.clone()).expect("worker");
    assert!(worker.run_once().await.expect("run"));
    assert_eq!(job_row(&app).await, ("queued".into(), 1, T0 + 10_000));
    assert!(!worker.run_once().await.expect("run"), "not due before the back-off");
    app.clock.set(T0 + 10_000);
    assert!(worker.run_once().await.expect("run"));
    assert_eq!(job_row(&app).await, ("queued".into(), 2, T0 + 10_000 + 20_000));
}
on_both_backends!(an_unreachable_smtp_server_is_retried_with_growing_delays);

async fn a_job_held_by_a_dead_worker_is_taken_again_after_its_lease(app: TestApp) {
    let mut conn = app.db.pool.acquire().await.expect("conn");
    outbox::enqueue_email(&mut conn, T0, "ack:lease", &email(3)).await.expect("enqueue");
    drop(conn);
    // A worker on another node claimed it and died: running, lease until T0 + 60 s.
    sqlx::query("UPDATE jobs SET status = 'running', attempts = 1, locked_until = $1, locked_by = 'dead'")
        .bind(T0 + 60_000)
        .execute(&app.db.pool)
        .await
        .expect("claim");
    let worker = Worker::new(app.db.clone(), app.cfg.clone(), app.clock.clone()).expect("worker");
    assert!(!worker.run_once().await.expect("run"), "the lease still holds");
    app.clock.set(T0 + 60_001);
    assert!(worker.run_once().await.expect("run"));
    assert_eq!(job_row(&app).await.0, "done");
}
on_both_backends!(a_job_held_by_a_dead_worker_is_taken_again_after_its_lease);

/// A worker renews the lease of the letter it is sending, so a slow SMTP server does not hand
/// the letter to a second worker; once the first is gone, the second takes it a lease later.
async fn a_slow_send_keeps_its_job_and_a_dead_one_frees_it_within_a_lease(app: TestApp) {
    // An SMTP server that accepts the connection and never says a word.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            open.push(stream);
        }
    });
    let mut cfg = app.cfg.clone();
    cfg.worker_lease_secs = 1;
    cfg.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    let mut conn = app.db.pool.acquire().await.expect("conn");
    outbox::enqueue_email(&mut conn, T0, "ack:slow", &email(4)).await.expect("enqueue");
    drop(conn);
    let first = Worker::new(app.db.clone(), cfg.clone(), app.clock.clone()).expect("worker");
    let sending = tokio::spawn(async move { first.run_once().await });
    let lease = || async {
        let r = sqlx::query("SELECT status, locked_until FROM jobs").fetch_one(&app.db.pool).await.expect("job");
        (r.try_get::<String, _>(0).expect("status"), r.try_get::<Option<i64>, _>(1).expect("lease").unwrap_or(0))
    };
    while lease().await.0 != "running" {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Past the first lease by the clock: the first worker renews it while it waits for the server.
    app.clock.set(T0 + 5_000);
    let renewed = async {
        while lease().await.1 <= T0 + 5_000 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), renewed).await.expect("the lease was renewed while sending");
    // The second worker writes letters to files (no SMTP server to wait for).
    cfg.smtp_url = None;
    let second = Worker::new(app.db.clone(), cfg, app.clock.clone()).expect("worker");
    assert!(!second.run_once().await.expect("run"), "the letter being sent is not taken");
    // The first worker dies mid-send: a lease later the second takes the letter.
    sending.abort();
    let _ = sending.await;
    let until = lease().await.1;
    app.clock.set(until + 1);
    assert!(second.run_once().await.is_ok_and(|ran| ran), "taken again");
    assert_eq!(lease().await.0, "done");
    held.abort();
}
on_both_backends!(a_slow_send_keeps_its_job_and_a_dead_one_frees_it_within_a_lease);

pub struct Sink {
    child: Child,
    pub out: std::path::PathBuf,
    pub port: u16,
}

impl Sink {
    pub fn start(dir: &std::path::Path) -> Sink {
        Sink::spawn(dir, false)
    }

    /// A sink that also keeps every message whole (read them with [`Sink::messages`]).
    pub fn keeping(dir: &std::path::Path) -> Sink {
        Sink::spawn(dir, true)
    }

    fn spawn(dir: &std::path::Path, keep: bool) -> Sink {
        let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let port = free_port();
        let out = dir.join("received.txt");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/smtp_sink.py");
        let mut command = Command::new(python);
        command.args([script, "--port", &port.to_string(), "--out"]).arg(&out);
        if keep {
            let kept = dir.join("kept");
            std::fs::create_dir_all(&kept).expect("kept folder");
            command.arg("--keep").arg(kept);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP sink (python3 with aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("sink output");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start (is aiosmtpd installed?)");
        Sink { child, out, port }
    }

    pub fn received(&self) -> Vec<String> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_string())
            .collect()
    }
}

impl Sink {
    /// Every message kept, whole, in the order received.
    pub fn messages(&self) -> Vec<String> {
        let dir = self.out.with_file_name("kept");
        let mut names: Vec<_> =
            std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        names.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "eml"));
        names.sort();
        names.iter().map(|p| std::fs::read_to_string(p).expect("a kept message")).collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

pub fn start_server(env: &[(String, String)]) -> crate::helpers::Process {
    crate::helpers::Process(
        crate::helpers::glasnost_command(env)
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start glasnost serve"),
    )
}

async fn kill_mid_send_then_restart(backend: Backend) {
    let dir = temp_dir("outbox-kill");
    let Some(url) = database_url(backend, &dir).await else { return };
    let sink = Sink::start(&dir);
    let env: Vec<(String, String)> = [
        ("GLASNOST_DATA_DIR", dir.display().to_string()),
        ("GLASNOST_DATABASE_URL", url.clone()),
        ("GLASNOST_BIND", format!("127.0.0.1:{}", free_port())),
        ("GLASNOST_SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port)),
        ("GLASNOST_WORKER_LEASE_SECS", "2".into()),
        ("GLASNOST_WORKER_POLL_MS", "50".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let cfg = config_for(&dir, &url, &[]);
    let db = kernel::Db::connect(&cfg.database_url).await.expect("connect");
    db.migrate(&glasnost::schemas()).await.expect("migrate");
    let mut tx = db.begin().await.expect("tx");
    for i in 0..1000 {
        outbox::enqueue_email(&mut tx, T0, &format!("bulk:{i}"), &email(i)).await.expect("enqueue");
    }
    tx.commit().await.expect("commit");

    let mut server = start_server(&env);
    let started = Instant::now();
    while sink.received().len() < 200 {
        assert!(started.elapsed() < Duration::from_secs(120), "the worker did not start sending");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
    server.wait().expect("reap");
    let at_kill = sink.received().len();
    assert!(at_kill < 1000, "the server was killed while it was still sending");

    let mut server = start_server(&env);
    let started = Instant::now();
    loop {
        let c = outbox::counts(&db).await.expect("counts");
        if c.done == 1000 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(240), "not every job finished: {c:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.kill().expect("stop");
    server.wait().expect("reap");

    let mut seen = std::collections::HashMap::new();
    for id in sink.received() {
        assert!(!id.is_empty(), "every message has a Message-ID");
        *seen.entry(id).or_insert(0) += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(seen.len(), 1000, "every e-mail arrived (killed after {at_kill})");
    // Only the letters in flight at the kill repeat: those on the wire (four SMTP connections, the
    // default) and those accepted but not yet recorded (waiting, or in the commit being written).
    let in_flight = 4 + 2 * outbox::GROUP;
    assert!(twice.len() <= in_flight && twice.iter().all(|(_, n)| **n == 2), "repeated e-mails: {twice:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_server_mid_send_loses_no_email_sqlite() {
    kill_mid_send_then_restart(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_server_mid_send_loses_no_email_postgres() {
    kill_mid_send_then_restart(Backend::Postgres).await;
}
