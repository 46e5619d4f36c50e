//! The kernel: what every mechanism of openness shares — configuration, the database on
//! SQLite or PostgreSQL, the portal and its bodies, staff and their scopes, the audit log,
//! the outbox with its worker, file storage and backups.

pub mod audit;
pub mod backup;
pub mod bodies;
pub mod calendar;
pub mod clock;
pub mod config;
pub mod csv;
pub mod db;
pub mod diff;
pub mod error;
pub mod ids;
pub mod mail;
pub mod outbox;
pub mod search;
pub mod staff;
pub mod storage;
pub mod sweep;
pub mod tokens;
pub mod versions;

pub use clock::{Clock, SharedClock};
pub use config::Config;
pub use db::Db;
pub use error::{Error, Result};
