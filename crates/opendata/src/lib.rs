//! Open datasets of a body (seed 000 §18–24): the passport of recommendations v3.0, structure
//! versions and data versions kept forever (`store`), and the files of the open-data section
//! built from them (`publish`). The format itself — structures, validation, the registry and
//! passport files — is the pure `opendata-format` crate.

pub mod demand;
pub mod feedback;
pub mod http;
pub mod index;
pub mod mail;
pub mod mechanism;
pub mod obligations;
pub mod publish;
pub mod requests;
pub mod searched;
pub mod store;

use kernel::db::{Migration, Schema};

/// The Russian words for a code of a kind (`feedback_status`, `request_decision`) from the
/// mechanism's strings, for letters and messages written in Russian whatever the interface.
pub fn russian(kind: &str, code: &str) -> &'static str {
    shell::i18n::russian(http::strings::STRINGS, &format!("{kind}.{code}")).unwrap_or("")
}

/// The open-data section's tables and their migrations.
pub const SCHEMA: Schema = Schema {
    mechanism: "opendata",
    migrations: &[
        Migration { version: 1, name: "datasets", sql: include_str!("../migrations/0001_datasets.sql") },
        Migration {
            version: 2,
            name: "dataset_requests",
            sql: include_str!("../migrations/0002_dataset_requests.sql"),
        },
        Migration {
            version: 3,
            name: "push_idempotency",
            sql: include_str!("../migrations/0003_push_idempotency.sql"),
        },
        Migration {
            version: 4,
            name: "datasets_published_index",
            sql: include_str!("../migrations/0004_datasets_published_index.sql"),
        },
        Migration {
            version: 5,
            name: "opendata_feedback",
            sql: include_str!("../migrations/0005_opendata_feedback.sql"),
        },
        Migration { version: 6, name: "obligations", sql: include_str!("../migrations/0006_obligations.sql") },
    ],
    tables: &[
        "datasets",
        "dataset_structures",
        "dataset_versions",
        "dataset_requests",
        "dataset_reports",
        "opendata_demand",
        "opendata_searches",
        "obligation_lists",
        "obligation_items",
        "obligation_links",
    ],
};
