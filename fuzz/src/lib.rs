//! What the fuzz targets share: a whole Glasnost (the binary's router and mechanisms) on a
//! SQLite file in a temporary folder, with one body, built once per fuzzing process; requests go
//! through it in memory, as from a client at 127.0.0.1.

use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

/// A structure of the given fields (each named in every language as in the data), `id` required
/// and the key.
pub fn structure(fields: &[(&str, opendata_format::FieldType)]) -> opendata_format::Structure {
    let fields = fields
        .iter()
        .map(|(n, k)| opendata_format::Field {
            name: n.to_string(),
            en: n.to_string(),
            ru: n.to_string(),
            kind: k.clone(),
            required: *n == "id",
        })
        .collect();
    opendata_format::Structure { fields, key: Some("id".into()) }
}

pub struct App {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
}

/// The CSRF token the fuzz requests carry (as cookie and header).
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

pub fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("a runtime");
        let dir = std::env::temp_dir().join(format!("glasnost-fuzz-{}", std::process::id()));
        let env = [
            ("GLASNOST_DATA_DIR", dir.display().to_string()),
            ("GLASNOST_APPEALS_PER_ADDRESS_HOUR", "0".into()),
            ("GLASNOST_PAGE_CACHE_MS", "0".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let cfg = kernel::Config::from_sources(None, &env).expect("configuration");
        let router = runtime.block_on(async {
            std::fs::create_dir_all(&cfg.data_dir).expect("data folder");
            let db = kernel::Db::connect(&cfg.database_url).await.expect("database");
            db.migrate(&glasnost::schemas()).await.expect("migrate");
            let form = kernel::bodies::BodyForm {
                slug: "body".into(),
                full_name: "Департамент".into(),
                ..kernel::bodies::BodyForm::default()
            };
            let input = form.validate().expect("a valid body");
            let actor = kernel::audit::Actor::system("fuzz");
            kernel::bodies::create(&db, &actor, 0, None, &input).await.expect("body");
            let clock: kernel::SharedClock = std::sync::Arc::new(kernel::clock::SystemClock);
            glasnost::router(glasnost::state(db, cfg, clock).expect("state"))
        });
        App { runtime, router }
    })
}

impl App {
    /// Sends a request; the status it got.
    pub fn send(&self, req: Request<Body>) -> StatusCode {
        let mut req = req;
        req.extensions_mut().insert(ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))));
        let router = self.router.clone();
        self.runtime.block_on(async move {
            match router.oneshot(req).await {
                Ok(resp) => resp.status(),
                Err(never) => match never {},
            }
        })
    }
}
