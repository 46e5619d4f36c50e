//! The database: embedded SQLite by default, PostgreSQL by URL, one SQL code path through
//! `sqlx::Any`. The few backend-specific pieces (pragmas, job claiming, sequences) live here.

use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// Forward-only, numbered, one tree per backend, never edited after landing.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "calendar_overrides",
        sqlite: include_str!("../migrations/sqlite/0002_calendar_overrides.sql"),
        postgres: include_str!("../migrations/postgres/0002_calendar_overrides.sql"),
    },
    Migration {
        version: 3,
        name: "roadmaps",
        sqlite: include_str!("../migrations/sqlite/0003_roadmaps.sql"),
        postgres: include_str!("../migrations/postgres/0003_roadmaps.sql"),
    },
    Migration {
        version: 4,
        name: "execution_marks",
        sqlite: include_str!("../migrations/sqlite/0004_execution_marks.sql"),
        postgres: include_str!("../migrations/postgres/0004_execution_marks.sql"),
    },
    Migration {
        version: 5,
        name: "roadmap_comments",
        sqlite: include_str!("../migrations/sqlite/0005_roadmap_comments.sql"),
        postgres: include_str!("../migrations/postgres/0005_roadmap_comments.sql"),
    },
    Migration {
        version: 6,
        name: "datasets",
        sqlite: include_str!("../migrations/sqlite/0006_datasets.sql"),
        postgres: include_str!("../migrations/postgres/0006_datasets.sql"),
    },
    Migration {
        version: 7,
        name: "dataset_requests",
        sqlite: include_str!("../migrations/sqlite/0007_dataset_requests.sql"),
        postgres: include_str!("../migrations/postgres/0007_dataset_requests.sql"),
    },
    Migration {
        version: 8,
        name: "api_tokens",
        sqlite: include_str!("../migrations/sqlite/0008_api_tokens.sql"),
        postgres: include_str!("../migrations/postgres/0008_api_tokens.sql"),
    },
    Migration {
        version: 9,
        name: "datasets_published_index",
        sqlite: include_str!("../migrations/sqlite/0009_datasets_published_index.sql"),
        postgres: include_str!("../migrations/postgres/0009_datasets_published_index.sql"),
    },
    Migration {
        version: 10,
        name: "opendata_feedback",
        sqlite: include_str!("../migrations/sqlite/0010_opendata_feedback.sql"),
        postgres: include_str!("../migrations/postgres/0010_opendata_feedback.sql"),
    },
    Migration {
        version: 11,
        name: "obligations",
        sqlite: include_str!("../migrations/sqlite/0011_obligations.sql"),
        postgres: include_str!("../migrations/postgres/0011_obligations.sql"),
    },
    Migration {
        version: 12,
        name: "submissions",
        sqlite: include_str!("../migrations/sqlite/0012_submissions.sql"),
        postgres: include_str!("../migrations/postgres/0012_submissions.sql"),
    },
    Migration {
        version: 13,
        name: "questions",
        sqlite: include_str!("../migrations/sqlite/0013_questions.sql"),
        postgres: include_str!("../migrations/postgres/0013_questions.sql"),
    },
    Migration {
        version: 14,
        name: "letters",
        sqlite: include_str!("../migrations/sqlite/0014_letters.sql"),
        postgres: include_str!("../migrations/postgres/0014_letters.sql"),
    },
    Migration {
        version: 15,
        name: "respondent",
        sqlite: include_str!("../migrations/sqlite/0015_respondent.sql"),
        postgres: include_str!("../migrations/postgres/0015_respondent.sql"),
    },
];

impl Db {
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite://") {
            let file = path.split('?').next().unwrap_or(path);
            if let Some(dir) = std::path::Path::new(file).parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create the database folder {}", dir.display()))?;
            }
            let url = if path.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            bail!("database_url must start with sqlite:// or postgres://");
        };
        let options = AnyConnectOptions::from_str(&url).context("database_url is not a valid URL")?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("cannot connect to the database ({})", redact_url(&url)))?;
        Ok(Db { pool, backend })
    }

    /// Applies the migrations not yet applied; safe to run on several nodes at once.
    pub async fn migrate(&self) -> anyhow::Result<Vec<i64>> {
        let mut conn = self.pool.acquire().await?;
        if self.backend == Backend::Postgres {
            // One node migrates at a time; the others wait and then find nothing to do.
            conn.execute("SELECT pg_advisory_lock(7261001)").await?;
        }
        let result = async {
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, \
                 name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            )
            .await?;
            let rows = sqlx::query("SELECT version FROM schema_migrations").fetch_all(&mut *conn).await?;
            let done: Vec<i64> = rows.iter().map(|r| r.try_get::<i64, _>(0)).collect::<Result<_, _>>()?;
            let mut applied = Vec::new();
            for m in MIGRATIONS {
                if done.contains(&m.version) {
                    continue;
                }
                let sql = match self.backend {
                    Backend::Sqlite => m.sqlite,
                    Backend::Postgres => m.postgres,
                };
                let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                tx.execute(sql).await.with_context(|| format!("migration {} ({}) failed", m.version, m.name))?;
                sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                    .bind(m.version)
                    .bind(m.name)
                    .bind(jiff::Timestamp::now().as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                applied.push(m.version);
            }
            anyhow::Ok(applied)
        }
        .await;
        if self.backend == Backend::Postgres {
            conn.execute("SELECT pg_advisory_unlock(7261001)").await?;
        }
        result
    }

    pub async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The tables a backup carries, in an order that respects foreign keys.
    pub const TABLES: &'static [&'static str] = &[
        "portal",
        "bodies",
        "users",
        "user_roles",
        "sessions",
        "audit_log",
        "jobs",
        "calendar_overrides",
        "roadmaps",
        "roadmap_sections",
        "measures",
        "execution_marks",
        "roadmap_comments",
        "datasets",
        "dataset_structures",
        "dataset_versions",
        "dataset_requests",
        "api_tokens",
        "dataset_reports",
        "opendata_demand",
        "opendata_searches",
        "obligation_lists",
        "obligation_items",
        "obligation_links",
        "submission_counters",
        "submissions",
        "submission_files",
        "submission_events",
        "submission_publications",
        "appeal_topics",
        "submission_questions",
    ];

    /// After rows were inserted with explicit ids, PostgreSQL's identity sequences must move on.
    pub async fn reset_sequences(&self) -> anyhow::Result<()> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        for t in [
            "bodies",
            "users",
            "user_roles",
            "audit_log",
            "jobs",
            "roadmaps",
            "roadmap_sections",
            "measures",
            "execution_marks",
            "roadmap_comments",
            "datasets",
            "dataset_structures",
            "dataset_versions",
            "dataset_requests",
            "api_tokens",
            "dataset_reports",
            "obligation_lists",
            "obligation_items",
            "submissions",
            "submission_files",
            "submission_events",
            "submission_questions",
        ] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&self.pool).await?;
        }
        Ok(())
    }
}

/// Hides the password of a database URL in messages.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Splits rows for multi-row statements into pieces of 64, 16, 4 and 1 rows, so that whatever
/// the count only four statement texts occur and each connection's prepared statements are reused.
pub fn pieces<T>(mut rows: &[T]) -> Vec<&[T]> {
    let mut out = Vec::new();
    for size in [64, 16, 4, 1] {
        while rows.len() >= size {
            let (piece, rest) = rows.split_at(size);
            out.push(piece);
            rows = rest;
        }
    }
    out
}

#[cfg(test)]
mod pieces_tests {
    #[test]
    fn rows_are_cut_into_few_sizes_and_none_is_lost() {
        let rows: Vec<u32> = (0..151).collect();
        let sizes: Vec<usize> = super::pieces(&rows).iter().map(|p| p.len()).collect();
        assert_eq!(sizes, [64, 64, 16, 4, 1, 1, 1]);
        assert_eq!(super::pieces(&rows).concat(), rows);
        assert!(super::pieces::<u32>(&[]).is_empty());
    }
}
