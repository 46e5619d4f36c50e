//! `TestApp`: the real router on a real database (a SQLite file, or a fresh PostgreSQL
//! database on the server the test command started), a fixed clock and an HTTP client
//! with a cookie jar — the way a browser talks to the portal.

use std::path::PathBuf;
use std::sync::Arc;

use kernel::audit::Actor;
use kernel::bodies::{self, Body, BodyForm};
use kernel::clock::FixedClock;
use kernel::staff::{Grant, NewUser, Role};
use kernel::{Config, Db};
use reqwest::cookie::CookieStore;
use shell::Mechanism;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// 2026-03-02T09:00:00Z, a Monday.
pub const T0: i64 = 1_772_442_000_000;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    /// The node's state, for calling a mechanism's work directly.
    pub state: shell::AppState,
    pub db: Db,
    pub cfg: Config,
    pub clock: Arc<FixedClock>,
    pub client: reqwest::Client,
    pub jar: Arc<reqwest::cookie::Jar>,
    pub dir: Arc<Scratch>,
}

/// A test's own folder, removed when the test is over; kept (and named) when the test failed.
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for Scratch {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept for inspection: {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub fn temp_dir(tag: &str) -> Scratch {
    let dir =
        std::env::temp_dir().join(format!("glasnost-it-{tag}-{}", kernel::staff::random_token()[..12].to_owned()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    Scratch(dir)
}

/// A database URL for one test: a SQLite file in `dir`, or a new PostgreSQL database.
/// Returns None for PostgreSQL when no server is configured outside CI (the test is skipped).
pub async fn database_url(backend: Backend, dir: &std::path::Path) -> Option<String> {
    match backend {
        Backend::Sqlite => Some(format!("sqlite://{}", dir.join("glasnost.db").display())),
        Backend::Postgres => {
            let admin = match std::env::var("TEST_PG_URL") {
                Ok(u) => u,
                Err(_) if std::env::var("CI").is_ok() => {
                    panic!("TEST_PG_URL is not set: run the suite with scripts/test")
                }
                Err(_) => {
                    eprintln!("skipped: TEST_PG_URL is not set (scripts/test starts a PostgreSQL server)");
                    return None;
                }
            };
            let name = format!("t_{}", &kernel::staff::random_token()[..16]);
            let db = Db::connect(&admin).await.expect("connect to the test PostgreSQL server");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&db.pool)
                .await
                .expect("create database");
            db.pool.close().await;
            let (base, _) = admin.rsplit_once('/').expect("database URL has a path");
            Some(format!("{base}/{name}"))
        }
    }
}

pub fn config_for(dir: &std::path::Path, database_url: &str, extra: &[(&str, &str)]) -> Config {
    let mut env: std::collections::BTreeMap<String, String> = [
        ("GLASNOST_DATA_DIR", dir.display().to_string()),
        ("GLASNOST_DATABASE_URL", database_url.to_string()),
        ("GLASNOST_LOGIN_MAX_FAILURES", "10".into()),
        ("GLASNOST_LOGIN_LOCK_MINUTES", "15".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for (k, v) in extra {
        env.insert(k.to_string(), v.to_string());
    }
    Config::from_sources(None, &env).expect("test configuration")
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        TestApp::spawn_with(backend, &[]).await
    }

    /// A server with some settings of its own (`GLASNOST_*` names).
    pub async fn spawn_with(backend: Backend, settings: &[(&str, &str)]) -> Option<TestApp> {
        let dir = temp_dir("app");
        let url = database_url(backend, &dir).await?;
        let app = TestApp::serve(dir, &url, settings).await;
        app.seed().await;
        Some(app)
    }

    /// A server running the given list of mechanisms instead of the binary's.
    pub async fn spawn_mechanisms(backend: Backend, mechanisms: &'static [&'static Mechanism]) -> Option<TestApp> {
        let dir = temp_dir("app");
        let url = database_url(backend, &dir).await?;
        let app = TestApp::serve_mechanisms(dir, &url, &[], mechanisms).await;
        app.seed().await;
        Some(app)
    }

    /// A server on the database at `url` as it is (migrated first), with the test's folder `dir`.
    pub async fn serve(dir: Scratch, url: &str, settings: &[(&str, &str)]) -> TestApp {
        TestApp::serve_mechanisms(dir, url, settings, glasnost::MECHANISMS).await
    }

    async fn serve_mechanisms(
        dir: Scratch,
        url: &str,
        settings: &[(&str, &str)],
        mechanisms: &'static [&'static Mechanism],
    ) -> TestApp {
        let cfg = config_for(&dir, url, settings);
        let db = Db::connect(&cfg.database_url).await.expect("connect");
        db.migrate(&shell::mechanism::schemas(mechanisms)).await.expect("migrate");
        let clock = Arc::new(FixedClock::new(T0));
        let state = shell::mechanism::start(db.clone(), cfg.clone(), clock.clone(), mechanisms).expect("state");
        let kept = state.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let header_timeout = std::time::Duration::from_secs(cfg.header_timeout_secs);
        tokio::spawn(async move {
            let router = web::router(state, mechanisms);
            shell::serve::serve(listener, router, header_timeout, std::future::pending()).await.expect("serve");
        });
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp { base: format!("http://{addr}"), state: kept, db, cfg, clock, client, jar, dir: Arc::new(dir) }
    }

    /// The portal with two top-level bodies and one subordinate organisation.
    async fn seed(&self) {
        let actor = Actor::system("test");
        let portal = bodies::Portal {
            name: "Томская область".into(),
            kind: "region".into(),
            email: "portal@tomsk.example".into(),
            phone: "+7 3822 000000".into(),
            address: "г. Томск".into(),
        };
        bodies::save_portal(&self.db, &actor, T0, &portal).await.expect("portal");
        let social = self
            .create_body(None, "social-protection", "Департамент социальной защиты населения Томской области")
            .await;
        self.create_body(None, "information-society", "Департамент развития информационного общества").await;
        self.create_body(Some(social.id), "csp-tomsk", "Центр социальной поддержки населения г. Томска").await;
    }

    pub async fn create_body(&self, parent: Option<i64>, slug: &str, name: &str) -> Body {
        let f = BodyForm { slug: slug.into(), full_name: name.into(), ..BodyForm::default() };
        let input = f.validate().expect("valid body");
        bodies::create(&self.db, &Actor::system("test"), T0, parent, &input).await.expect("create body")
    }

    pub async fn create_staff(&self, email: &str, role: Role, body: Option<&str>) {
        let body_id = match body {
            Some(slug) => Some(bodies::by_slug(&self.db, slug).await.expect("query").expect("body exists").id),
            None => None,
        };
        let new = NewUser { email, display_name: "", password: PASSWORD, grants: vec![Grant { role, body_id }] };
        kernel::staff::create_user(&self.db, &Actor::system("test"), T0, new).await.expect("create staff");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// The CSRF token the portal's forms carry for this client, read from a page with a form as
    /// a browser has it (the cookie's before sign-in, the session's own after).
    pub async fn csrf(&self) -> String {
        let page = self.get("/staff/login").await.text().await.expect("the sign-in page");
        let (_, rest) = page.split_once("name=\"csrf\" value=\"").expect("a form with a CSRF token");
        rest.split('"').next().unwrap_or_default().to_string()
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = reqwest::Url::parse(&self.base).expect("base url");
        let header = self.jar.cookies(&url)?;
        let header = header.to_str().ok()?.to_string();
        header.split(';').find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    }

    /// Posts a form with the right CSRF token, as the portal's own pages do.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.client.post(self.url(path)).form(&all).send().await.expect("POST")
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/staff/login", &[("email", email), ("password", password)]).await
    }

    /// Sends a request's head (and whatever of its body it holds) on a bare connection and reads
    /// the whole answer, without sending the rest: for a body refused before it is read (a client
    /// still writing when the server closes may see only a broken pipe).
    pub async fn head_only(&self, head: &str) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream =
            tokio::net::TcpStream::connect(self.base.trim_start_matches("http://")).await.expect("connect");
        stream.write_all(head.as_bytes()).await.expect("write");
        let mut answer = Vec::new();
        let read = stream.read_to_end(&mut answer);
        tokio::time::timeout(std::time::Duration::from_secs(60), read).await.expect("answered").expect("read");
        String::from_utf8_lossy(&answer).into_owned()
    }

    /// A second client (another browser) on the same server.
    pub fn other_client(&self) -> TestApp {
        self.other_client_from(std::net::IpAddr::from([127, 0, 0, 1]))
    }

    /// Another browser at another address (any of 127.0.0.0/8 reaches the server).
    pub fn other_client_from(&self, address: std::net::IpAddr) -> TestApp {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .local_address(address)
            .build()
            .expect("client");
        TestApp {
            base: self.base.clone(),
            state: self.state.clone(),
            db: self.db.clone(),
            cfg: self.cfg.clone(),
            clock: self.clock.clone(),
            client,
            jar,
            dir: self.dir.clone(),
        }
    }
}

/// Runs one async scenario against SQLite and, when a server is available, PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($scenario:ident) => {
        $crate::on_both_backends!($scenario, &[]);
    };
    ($scenario:ident, $settings:expr) => {
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let settings: &[(&str, &str)] = $settings;
                if let Some(app) =
                    $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Sqlite, settings).await
                {
                    super::$scenario(app).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let settings: &[(&str, &str)] = $settings;
                if let Some(app) =
                    $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Postgres, settings).await
                {
                    super::$scenario(app).await;
                }
            }
        }
    };
}

/// A process a test started: killed and reaped when the test ends, even when it fails.
pub struct Process(pub std::process::Child);

impl std::ops::Deref for Process {
    type Target = std::process::Child;

    fn deref(&self) -> &std::process::Child {
        &self.0
    }
}

impl std::ops::DerefMut for Process {
    fn deref_mut(&mut self) -> &mut std::process::Child {
        &mut self.0
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The `glasnost` binary with only the given `GLASNOST_*` settings (none inherited from the test run).
pub fn glasnost_command<K: AsRef<str>, V: AsRef<str>>(env: &[(K, V)]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_glasnost"));
    for (k, _) in std::env::vars() {
        if k.starts_with("GLASNOST_") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k.as_ref(), v.as_ref());
    }
    cmd
}

/// Runs `glasnost ARGS` to completion with `stdin` as its standard input.
pub fn glasnost<K: AsRef<str>, V: AsRef<str>>(env: &[(K, V)], args: &[&str], stdin: &str) -> std::process::Output {
    use std::process::Stdio;
    let mut child = glasnost_command(env)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run glasnost");
    if let Some(mut input) = child.stdin.take() {
        std::io::Write::write_all(&mut input, stdin.as_bytes()).expect("stdin");
    }
    child.wait_with_output().expect("glasnost output")
}

/// A workbook with these rows on its first sheet.
pub fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}
