//! Visit statistics without third parties (seed 000 §38.1; roadmap 002 items 7, 72): every view
//! of a public page is counted in the node's memory (`count`, pure apart from its lock) and added
//! to the database every few seconds (`store`); the pages show views by day and month, section
//! and body, the popular pages, the sites people came from and how deep they went, with robots
//! counted apart (`http`). No cookie is set and nothing that names a visitor is kept.

pub mod count;
pub mod http;
pub mod mechanism;
pub mod store;
pub mod strings;

use kernel::db::{Migration, Schema};

pub const SCHEMA: Schema = Schema {
    mechanism: "visits",
    migrations: &[Migration { version: 1, name: "visits", sql: include_str!("../migrations/0001_visits.sql") }],
    tables: &["visits_pages", "visits_referrers"],
};
