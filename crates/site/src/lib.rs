//! The official site of a body (seed 000 §6–16): the catalogue of what it must publish
//! (`catalogue`: data, loaded by the portal admin), each body's records of every item — where
//! and when it was published, or why it does not apply — (`store`), and how fresh each item is
//! kept (`freshness`, pure); the staff page of a body's items, the admin's catalogue page and
//! the public «Информация о деятельности» page (`http`).

pub mod catalogue;
pub mod content;
pub mod content_store;
pub mod freshness;
pub mod http;
pub mod income;
pub mod kept;
pub mod mail;
pub mod mechanism;
pub mod premises;
pub mod reception;
pub mod reminders;
pub mod reports;
pub mod searched;
pub mod statements;
pub mod store;
pub mod structure;

use kernel::db::{Migration, Schema};

/// The site's tables and their migrations.
pub const SCHEMA: Schema = Schema {
    mechanism: "site",
    migrations: &[
        Migration { version: 1, name: "site", sql: include_str!("../migrations/0001_site.sql") },
        Migration { version: 2, name: "content", sql: include_str!("../migrations/0002_content.sql") },
        Migration { version: 3, name: "reception", sql: include_str!("../migrations/0003_reception.sql") },
        Migration { version: 4, name: "profiles", sql: include_str!("../migrations/0004_profiles.sql") },
        Migration { version: 5, name: "declarations", sql: include_str!("../migrations/0005_declarations.sql") },
        Migration { version: 6, name: "video", sql: include_str!("../migrations/0006_video.sql") },
        Migration {
            version: 7,
            name: "reception_cancel",
            sql: include_str!("../migrations/0007_reception_cancel.sql"),
        },
        Migration { version: 8, name: "reports", sql: include_str!("../migrations/0008_reports.sql") },
        Migration { version: 9, name: "income", sql: include_str!("../migrations/0009_income.sql") },
    ],
    tables: &[
        "site_catalogue",
        "site_item_records",
        "site_body_kinds",
        "site_files",
        "site_images",
        "site_content",
        "site_content_versions",
        "site_reception_slots",
        "site_reception_bookings",
        "site_profiles",
        "site_declarations",
        "site_reports",
        "site_income",
    ],
};
