//! Typed configuration, loaded once: defaults, then an optional TOML file, then `GLASNOST_…`
//! environment variables (the environment wins). Unknown keys are errors; secrets are never printed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Every setting: its TOML key (the environment variable is `GLASNOST_` + upper case),
/// its default as text, and what it does. `glasnost serve --help` and docs/administration.md list these.
pub const SETTINGS: &[(&str, &str, &str)] = &[
    ("bind", "127.0.0.1:8080", "address and port the HTTP server listens on"),
    ("data_dir", "./data", "folder for the SQLite file, files, the search index and development mail"),
    ("database_url", "sqlite://{data_dir}/glasnost.db", "database: sqlite://FILE or postgres://USER:PASSWORD@HOST/DB"),
    (
        "storage_url",
        "file://{data_dir}/files",
        "file storage: file://FOLDER or s3://BUCKET?endpoint=URL&region=R&access_key_id=K&secret_access_key=S (or AWS_* variables)",
    ),
    (
        "smtp_url",
        "(none: mail is written to {data_dir}/mail as .eml)",
        "outgoing mail server: smtp://HOST:PORT, smtps://USER:PASSWORD@HOST",
    ),
    (
        "smtp_connections",
        "4",
        "SMTP connections a node's worker sends over at once; a node killed while sending repeats at most this many letters, and those accepted but not yet recorded, after its restart (each under its own Message-ID)",
    ),
    ("mail_from", "Glasnost <noreply@localhost>", "sender address of outgoing mail"),
    ("public_url", "http://{bind}", "absolute base URL used in links, feeds and open-data files"),
    ("timezone", "Asia/Tomsk", "the portal's time zone (IANA name) for dates shown to people"),
    (
        "login_max_failures",
        "10",
        "wrong passwords in a row from one address that lock a staff account for that address",
    ),
    (
        "login_lock_minutes",
        "15",
        "how long the first lock lasts; each further lock from that address twice as long, at most a day",
    ),
    ("session_hours", "12", "how long a staff session lasts without activity"),
    ("worker", "true", "run the outbox worker in this process"),
    ("worker_poll_ms", "500", "how often an idle worker looks for due jobs"),
    (
        "worker_lease_secs",
        "20",
        "how long a claimed job is reserved (renewed while it runs) before another worker may retry it",
    ),
    ("job_max_attempts", "12", "attempts before a job is marked failed"),
    ("job_backoff_secs", "10", "first retry delay; it doubles with each attempt, capped at 6 hours"),
    ("reminder_working_days", "3", "remind executors this many working days before a measure's due date"),
    ("opendata_request_days", "30", "calendar days to answer a request for a new open dataset (seed 003 §3.1)"),
    (
        "expertise_working_days",
        "5",
        "working days a draft takes conclusions of independent anti-corruption expertise (seed 000 §34: five in Tomsk Region)",
    ),
    (
        "council_notice_days",
        "7",
        "days before a meeting of a council or other collegial body its announcement must be published at the latest (seed 000 §32: not less than 7 days); a later one must be marked extraordinary with its reason",
    ),
    (
        "council_freshness_days",
        "3",
        "calendar days after its approval a change of a council's composition or a document of it must be on the site (roadmap 004 §5.1–5.4: within 3 days); a later publication is marked late",
    ),
    (
        "council_minutes_working_days",
        "10",
        "working days after a meeting by which its minutes should be published, after which the council's address is reminded (the portal's default: seed 000 names no term)",
    ),
    (
        "conferences_per_year",
        "6",
        "online conferences a body should hold in a calendar year, those for the media apart (seed 000 §41 д: not less than 6 a year); fewer held or announced is flagged in the regional view",
    ),
    (
        "mailing_per_minute",
        "600",
        "letters of mailings (campaigns and digests) handed to the mail server per minute at most, 0 for no limit; set it to what your mail provider allows",
    ),
    (
        "mailing_digest_secs",
        "60",
        "how often a node running the worker collects what was published and sends the digests due (seconds)",
    ),
    (
        "compliance_secs",
        "60",
        "how often a node running the worker evaluates the obligations of the bodies whose content changed, and of every body once a day (seconds)",
    ),
    (
        "compliance_public",
        "false",
        "show the bodies' openness index to the public at /openness/ (true), or to staff only",
    ),
    (
        "mailing_confirm_hours",
        "72",
        "hours a subscription's confirmation link stays valid (seed 000 §40 г: a subscription is confirmed by a link sent by e-mail)",
    ),
    (
        "mailing_bounce_dir",
        "",
        "a folder the mail server delivers bounce reports (DSN, RFC 3464) into as files; each is read, applied to its letter and moved to `done/` (empty: none)",
    ),
    (
        "mailing_bounce_secret",
        "",
        "the bearer token a mail provider's bounce webhook (POST /api/mailing/bounces) must present (empty: the webhook is off)",
    ),
    (
        "conferences_media_per_year",
        "4",
        "online conferences for the media a body should hold in a calendar year (seed 000 §41 д: not less than 4 a year)",
    ),
    (
        "conferences_head_per_quarter",
        "2",
        "online conferences with the body's head in a quarter (seed 000 §41 д: not less than 2 a quarter)",
    ),
    (
        "appeals_per_address_hour",
        "20",
        "appeals and requests one address may send in an hour (0: no limit, for load tests)",
    ),
    (
        "appeal_terms",
        "(the law's)",
        "terms of appeals and requests that differ from the law's defaults: RULE_ID=DAYS [calendar|working] [preceding|following], comma-separated (rule ids in docs/appeals.md)",
    ),
    (
        "submit_batch",
        "256",
        "appeals and requests made durable together by one commit (group commit); 1 commits each alone",
    ),
    (
        "deadline_day_off",
        "preceding",
        "a legal deadline of an appeal or request that falls on a day off moves to the preceding working day (office-work rule) or the following one (Civil Code art. 193)",
    ),
    (
        "opendata_report_days",
        "30",
        "calendar days to answer a report of an error in open data (seed 000 §24 leaves the term to the body; 30 as for an appeal, 59-FZ art. 12)",
    ),
    ("reminder_interval_secs", "300", "how often the worker looks for reminders to send"),
    (
        "page_cache_ms",
        "1000",
        "how long an anonymous public page may be served from this node's memory (0 turns the cache off); a change on this node clears it at once",
    ),
    ("page_cache_mb", "64", "memory the page cache may hold (MiB); the oldest pages go first when it is full"),
    (
        "header_timeout_secs",
        "20",
        "seconds a client has to send a request's headers, and that an idle connection stays open",
    ),
    (
        "body_timeout_secs",
        "120",
        "seconds a client has to send a request's whole body (a form or an upload) before it is refused",
    ),
    (
        "recheck_ms",
        "1000",
        "how often a node asks whether data it keeps in memory (the portal, its bodies, calendar and staff accounts, signed-in sessions, plans, lists of appeals, the published catalogue) was changed through another node; a change through this node shows at once",
    ),
    (
        "presidential_days_off",
        "false",
        "count the 2020-2021 presidential non-working days as days off in deadlines (legal terms ran through them)",
    ),
    (
        "metrics_token",
        "(none: /metrics answers only the machine itself)",
        "a secret a monitoring system sends as `Authorization: Bearer …` to read /metrics from elsewhere",
    ),
    (
        "visits",
        "true",
        "count page views for the visit statistics (no cookie, no address or browser name kept); false turns counting off",
    ),
    (
        "income_published",
        "false",
        "publish the officials' income and property tables on the bodies' sites; off while Указ Президента РФ от 29.12.2022 № 968 suspends their publication (staff who edit a body's site still load them)",
    ),
    (
        "income_years",
        "0",
        "how many latest reporting years of income tables stay public (0: every year loaded); older years stay with the staff",
    ),
    (
        "search_follow_ms",
        "250",
        "how often a node looks in the database's change log for things to add to, change in or remove from its search index",
    ),
    (
        "search_freshness",
        "30",
        "how much newer things rank above older ones in search, in percent: a thing published today scores this much more than an old one with the same words",
    ),
    ("search_half_life_days", "365", "after how many days a thing's freshness advantage in search is halved"),
    ("clock", "(real time)", "start the server's clock at this instant (RFC 3339), for demonstrations and tests"),
    ("log_format", "text", "text or json"),
];

#[derive(Clone, Debug)]
pub struct Config {
    pub bind: String,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub storage_url: String,
    pub smtp_url: Option<String>,
    pub smtp_connections: i64,
    pub mail_from: String,
    pub public_url: String,
    pub timezone: String,
    pub login_max_failures: i64,
    pub login_lock_minutes: i64,
    pub session_hours: i64,
    pub worker: bool,
    pub worker_poll_ms: u64,
    pub worker_lease_secs: i64,
    pub job_max_attempts: i64,
    pub job_backoff_secs: i64,
    pub page_cache_ms: i64,
    pub page_cache_mb: usize,
    pub header_timeout_secs: u64,
    pub body_timeout_secs: u64,
    pub recheck_ms: i64,
    pub reminder_working_days: i64,
    pub opendata_request_days: i64,
    pub expertise_working_days: i64,
    pub council_notice_days: i64,
    pub council_freshness_days: i64,
    pub council_minutes_working_days: i64,
    pub conferences_per_year: i64,
    pub conferences_media_per_year: i64,
    pub mailing_per_minute: i64,
    pub mailing_confirm_hours: i64,
    pub mailing_digest_secs: i64,
    pub compliance_secs: i64,
    pub compliance_public: bool,
    pub mailing_bounce_dir: Option<PathBuf>,
    pub mailing_bounce_secret: Option<String>,
    pub conferences_head_per_quarter: i64,
    pub opendata_report_days: i64,
    /// `preceding` or `following`.
    pub deadline_day_off: String,
    pub appeals_per_address_hour: u32,
    /// Overrides of the legal terms of appeals (read by `appeals::rules::Terms`).
    pub appeal_terms: String,
    /// Submissions one commit may take (group commit).
    pub submit_batch: usize,
    pub reminder_interval_secs: i64,
    pub presidential_days_off: bool,
    pub visits: bool,
    /// Whether the officials' income tables are public (Указ № 968 suspended it: off by default).
    pub income_published: bool,
    /// How many latest reporting years of income tables are public; 0 for all.
    pub income_years: i64,
    /// How often a node reads the search change log (ms).
    pub search_follow_ms: u64,
    /// Freshness weight in search ranking, percent; its half-life in days.
    pub search_freshness: u32,
    pub search_half_life_days: u32,
    /// Ranking factors of kinds of thing in search: (kind, factor).
    pub search_kind_boosts: Vec<(String, f32)>,
    pub clock: Option<String>,
    pub metrics_token: Option<String>,
    pub log_format: String,
}

impl Config {
    /// Loads the configuration from an optional TOML file and the process environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let env: BTreeMap<String, String> = std::env::vars().filter(|(k, _)| k.starts_with("GLASNOST_")).collect();
        let file_text = match file {
            Some(p) => Some(
                std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read the configuration file {}", p.display()))?,
            ),
            None => None,
        };
        Config::from_sources(file_text.as_deref(), &env)
    }

    /// The merge itself, free of IO so it can be tested.
    pub fn from_sources(toml_text: Option<&str>, env: &BTreeMap<String, String>) -> anyhow::Result<Config> {
        let mut values: BTreeMap<String, String> = BTreeMap::new();
        if let Some(text) = toml_text {
            let table: toml::Table = text.parse().context("the configuration file is not valid TOML")?;
            for (k, v) in table {
                if !SETTINGS.iter().any(|(key, _, _)| *key == k) {
                    bail!("unknown setting `{k}` in the configuration file");
                }
                let s = match v {
                    toml::Value::String(s) => s,
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    other => bail!("setting `{k}` must be a string, number or boolean, not {other}"),
                };
                values.insert(k, s);
            }
        }
        for (k, v) in env {
            let key = k.trim_start_matches("GLASNOST_").to_ascii_lowercase();
            if key == "config" {
                continue;
            }
            if !SETTINGS.iter().any(|(s, _, _)| *s == key) {
                bail!("unknown environment variable {k}");
            }
            values.insert(key, v.clone());
        }
        let get = |k: &str| values.get(k).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let num = |k: &str, d: i64| -> anyhow::Result<i64> {
            match get(k) {
                Some(s) => s.parse::<i64>().with_context(|| format!("setting `{k}` must be a whole number, got `{s}`")),
                None => Ok(d),
            }
        };
        let flag = |k: &str, d: bool| -> anyhow::Result<bool> {
            match get(k).as_deref() {
                None => Ok(d),
                Some("true") | Some("1") | Some("yes") => Ok(true),
                Some("false") | Some("0") | Some("no") => Ok(false),
                Some(other) => bail!("setting `{k}` must be true or false, got `{other}`"),
            }
        };
        let bind = get("bind").unwrap_or_else(|| "127.0.0.1:8080".into());
        let data_dir = PathBuf::from(get("data_dir").unwrap_or_else(|| "./data".into()));
        let database_url =
            get("database_url").unwrap_or_else(|| format!("sqlite://{}", data_dir.join("glasnost.db").display()));
        let storage_url = get("storage_url").unwrap_or_else(|| {
            let abs = std::path::absolute(data_dir.join("files")).unwrap_or_else(|_| data_dir.join("files"));
            format!("file://{}", abs.display())
        });
        let public_url = get("public_url").unwrap_or_else(|| format!("http://{bind}"));
        let public_url = public_url.trim_end_matches('/').to_string();
        url::Url::parse(&public_url).with_context(|| format!("setting `public_url` is not a URL: {public_url}"))?;
        let timezone = get("timezone").unwrap_or_else(|| "Asia/Tomsk".into());
        jiff::tz::TimeZone::get(&timezone).with_context(|| format!("unknown time zone `{timezone}`"))?;
        let worker = flag("worker", true)?;
        let presidential_days_off = flag("presidential_days_off", false)?;
        let visits = flag("visits", true)?;
        let income_published = flag("income_published", false)?;
        let log_format = get("log_format").unwrap_or_else(|| "text".into());
        if log_format != "text" && log_format != "json" {
            bail!("setting `log_format` must be text or json");
        }
        let positive = |k: &str, v: i64| -> anyhow::Result<i64> {
            if v <= 0 {
                bail!("setting `{k}` must be greater than zero");
            }
            Ok(v)
        };
        Ok(Config {
            login_max_failures: positive("login_max_failures", num("login_max_failures", 10)?)?,
            login_lock_minutes: positive("login_lock_minutes", num("login_lock_minutes", 15)?)?,
            session_hours: positive("session_hours", num("session_hours", 12)?)?,
            worker,
            worker_poll_ms: positive("worker_poll_ms", num("worker_poll_ms", 500)?)? as u64,
            worker_lease_secs: positive("worker_lease_secs", num("worker_lease_secs", 20)?)?,
            job_max_attempts: positive("job_max_attempts", num("job_max_attempts", 12)?)?,
            job_backoff_secs: positive("job_backoff_secs", num("job_backoff_secs", 10)?)?,
            page_cache_ms: match num("page_cache_ms", 1000)? {
                v if v < 0 => bail!("setting `page_cache_ms` must not be negative"),
                v => v,
            },
            page_cache_mb: match num("page_cache_mb", 64)? {
                v if (0..=65_536).contains(&v) => v as usize,
                _ => bail!("setting `page_cache_mb` must be between 0 and 65536"),
            },
            header_timeout_secs: match num("header_timeout_secs", 20)? {
                v if (1..=3600).contains(&v) => v as u64,
                _ => bail!("setting `header_timeout_secs` must be between 1 and 3600"),
            },
            body_timeout_secs: match num("body_timeout_secs", 120)? {
                v if (1..=3600).contains(&v) => v as u64,
                _ => bail!("setting `body_timeout_secs` must be between 1 and 3600"),
            },
            recheck_ms: match num("recheck_ms", 1000)? {
                v if (0..=3_600_000).contains(&v) => v,
                _ => bail!("setting `recheck_ms` must be between 0 and 3600000"),
            },
            presidential_days_off,
            visits,
            income_published,
            income_years: match num("income_years", 0)? {
                v if (0..=100).contains(&v) => v,
                _ => bail!("setting `income_years` must be between 0 and 100"),
            },
            search_follow_ms: match num("search_follow_ms", 250)? {
                v if (10..=60_000).contains(&v) => v as u64,
                _ => bail!("setting `search_follow_ms` must be between 10 and 60000"),
            },
            search_freshness: match num("search_freshness", 30)? {
                v if (0..=1000).contains(&v) => v as u32,
                _ => bail!("setting `search_freshness` must be between 0 and 1000"),
            },
            search_kind_boosts: kind_boosts(get("search_kind_boosts").as_deref().unwrap_or("section=1.5"))?,
            search_half_life_days: match num("search_half_life_days", 365)? {
                v if (1..=36_500).contains(&v) => v as u32,
                _ => bail!("setting `search_half_life_days` must be between 1 and 36500"),
            },
            reminder_working_days: match num("reminder_working_days", 3)? {
                v if (0..=60).contains(&v) => v,
                _ => bail!("setting `reminder_working_days` must be between 0 and 60"),
            },
            expertise_working_days: match num("expertise_working_days", 5)? {
                v if (1..=60).contains(&v) => v,
                _ => bail!("setting `expertise_working_days` must be between 1 and 60"),
            },
            council_notice_days: match num("council_notice_days", 7)? {
                v if (0..=90).contains(&v) => v,
                _ => bail!("setting `council_notice_days` must be between 0 and 90"),
            },
            council_freshness_days: match num("council_freshness_days", 3)? {
                v if (0..=90).contains(&v) => v,
                _ => bail!("setting `council_freshness_days` must be between 0 and 90"),
            },
            council_minutes_working_days: match num("council_minutes_working_days", 10)? {
                v if (1..=90).contains(&v) => v,
                _ => bail!("setting `council_minutes_working_days` must be between 1 and 90"),
            },
            conferences_per_year: match num("conferences_per_year", 6)? {
                v if (0..=366).contains(&v) => v,
                _ => bail!("setting `conferences_per_year` must be between 0 and 366"),
            },
            mailing_per_minute: match num("mailing_per_minute", 600)? {
                v if (0..=1_000_000).contains(&v) => v,
                _ => bail!("setting `mailing_per_minute` must be between 0 and 1000000"),
            },
            mailing_confirm_hours: match num("mailing_confirm_hours", 72)? {
                v if (1..=24 * 30).contains(&v) => v,
                _ => bail!("setting `mailing_confirm_hours` must be between 1 and 720"),
            },
            mailing_digest_secs: match num("mailing_digest_secs", 60)? {
                v if (1..=86_400).contains(&v) => v,
                _ => bail!("setting `mailing_digest_secs` must be between 1 and 86400"),
            },
            compliance_secs: match num("compliance_secs", 60)? {
                v if (1..=86_400).contains(&v) => v,
                _ => bail!("setting `compliance_secs` must be between 1 and 86400"),
            },
            compliance_public: flag("compliance_public", false)?,
            mailing_bounce_dir: get("mailing_bounce_dir").map(PathBuf::from),
            mailing_bounce_secret: get("mailing_bounce_secret"),
            conferences_media_per_year: match num("conferences_media_per_year", 4)? {
                v if (0..=366).contains(&v) => v,
                _ => bail!("setting `conferences_media_per_year` must be between 0 and 366"),
            },
            conferences_head_per_quarter: match num("conferences_head_per_quarter", 2)? {
                v if (0..=92).contains(&v) => v,
                _ => bail!("setting `conferences_head_per_quarter` must be between 0 and 92"),
            },
            opendata_request_days: match num("opendata_request_days", 30)? {
                v if (1..=365).contains(&v) => v,
                _ => bail!("setting `opendata_request_days` must be between 1 and 365"),
            },
            appeals_per_address_hour: match num("appeals_per_address_hour", 20)? {
                v if (0..=100_000).contains(&v) => v as u32,
                _ => bail!("setting `appeals_per_address_hour` must be between 0 and 100000"),
            },
            appeal_terms: get("appeal_terms").unwrap_or_default(),
            submit_batch: match num("submit_batch", 256)? {
                v if (1..=10_000).contains(&v) => v as usize,
                _ => bail!("setting `submit_batch` must be between 1 and 10000"),
            },
            deadline_day_off: match get("deadline_day_off").as_deref().unwrap_or("preceding") {
                v @ ("preceding" | "following") => v.to_string(),
                other => bail!("setting `deadline_day_off` must be `preceding` or `following`, not `{other}`"),
            },
            opendata_report_days: match num("opendata_report_days", 30)? {
                v if (1..=365).contains(&v) => v,
                _ => bail!("setting `opendata_report_days` must be between 1 and 365"),
            },
            reminder_interval_secs: positive("reminder_interval_secs", num("reminder_interval_secs", 300)?)?,
            smtp_url: get("smtp_url"),
            smtp_connections: match num("smtp_connections", 4)? {
                v if (1..=16).contains(&v) => v,
                _ => bail!("setting `smtp_connections` must be between 1 and 16"),
            },
            mail_from: get("mail_from").unwrap_or_else(|| "Glasnost <noreply@localhost>".into()),
            clock: get("clock"),
            metrics_token: get("metrics_token").filter(|t| !t.is_empty()),
            bind,
            data_dir,
            database_url,
            storage_url,
            public_url,
            timezone,
            log_format,
        })
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres://") || self.database_url.starts_with("postgresql://")
    }

    /// Cookies get `Secure` when the public address is HTTPS (the server sits behind TLS).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    /// The settings as `KEY (GLASNOST_KEY, default …): help` lines, for `--help` and docs/administration.md.
    pub fn describe() -> String {
        let mut out = String::new();
        for (k, d, h) in SETTINGS {
            out.push_str(&format!("  GLASNOST_{:<20} {h} [default: {d}]\n", k.to_ascii_uppercase()));
        }
        out
    }
}

/// `kind=factor,kind=factor` (factors from 0.1 to 10).
fn kind_boosts(text: &str) -> anyhow::Result<Vec<(String, f32)>> {
    let mut out = Vec::new();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let parsed = pair.split_once('=').and_then(|(k, v)| Some((k.trim(), v.trim().parse::<f32>().ok()?)));
        match parsed {
            Some((kind, factor)) if !kind.is_empty() && (0.1..=10.0).contains(&factor) => {
                out.push((kind.to_string(), factor))
            }
            _ => bail!("setting `search_kind_boosts`: `{pair}` is not kind=factor with a factor from 0.1 to 10"),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_need_no_configuration() -> anyhow::Result<()> {
        let c = Config::from_sources(None, &BTreeMap::new())?;
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://./data/glasnost.db");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert!(!c.is_postgres());
        Ok(())
    }

    #[test]
    fn environment_wins_over_the_file() -> anyhow::Result<()> {
        let c = Config::from_sources(
            Some("bind = \"0.0.0.0:1\"\nlogin_max_failures = 3\n"),
            &env(&[("GLASNOST_BIND", "127.0.0.1:9")]),
        )?;
        assert_eq!(c.bind, "127.0.0.1:9");
        assert_eq!(c.login_max_failures, 3);
        Ok(())
    }

    #[test]
    fn unknown_keys_are_errors() {
        let e = Config::from_sources(Some("bnid = \"x\""), &BTreeMap::new());
        assert!(e.is_err_and(|e| e.to_string().contains("bnid")));
        let e = Config::from_sources(None, &env(&[("GLASNOST_BIDN", "x")]));
        assert!(e.is_err_and(|e| e.to_string().contains("GLASNOST_BIDN")));
    }

    #[test]
    fn bad_values_say_which_setting() {
        let e = Config::from_sources(None, &env(&[("GLASNOST_LOGIN_MAX_FAILURES", "ten")]));
        assert!(e.is_err_and(|e| e.to_string().contains("login_max_failures")));
        let e = Config::from_sources(None, &env(&[("GLASNOST_TIMEZONE", "Mars/Olympus")]));
        assert!(e.is_err_and(|e| e.to_string().contains("Mars/Olympus")));
    }

    #[test]
    fn https_public_url_makes_cookies_secure() -> anyhow::Result<()> {
        let c = Config::from_sources(None, &env(&[("GLASNOST_PUBLIC_URL", "https://portal.example/")]))?;
        assert!(c.secure_cookies());
        assert_eq!(c.public_url, "https://portal.example");
        Ok(())
    }
}
