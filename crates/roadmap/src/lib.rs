//! Openness roadmaps (seed 000 §4): a body's plan of measures, imported from the documents
//! bodies actually have (`import`: pure, text in, a parsed plan and whatever could not be
//! placed out), stored with its sections and measures (`store`), and exported with each
//! measure's parsed schedule and next due date (`export`).

pub mod comments;
pub mod details;
pub mod execution;
pub mod executors;
pub mod export;
pub mod file;
pub mod http;
pub mod import;
pub mod kept;
pub mod mail;
pub mod marks;
pub mod mechanism;
pub mod reminders;
pub mod report;
pub mod searched;
pub mod store;
pub mod track;

use kernel::db::{Migration, Schema};

/// The roadmap's tables and their migrations.
pub const SCHEMA: Schema = Schema {
    mechanism: "roadmap",
    migrations: &[
        Migration { version: 1, name: "roadmaps", sql: include_str!("../migrations/0001_roadmaps.sql") },
        Migration { version: 2, name: "execution_marks", sql: include_str!("../migrations/0002_execution_marks.sql") },
        Migration {
            version: 3,
            name: "roadmap_comments",
            sql: include_str!("../migrations/0003_roadmap_comments.sql"),
        },
        Migration {
            version: 4,
            name: "measure_executors",
            sql: include_str!("../migrations/0004_measure_executors.sql"),
        },
        Migration {
            version: 5,
            name: "comment_positions",
            sql: include_str!("../migrations/0005_comment_positions.sql"),
        },
    ],
    tables: &["roadmaps", "roadmap_sections", "measures", "execution_marks", "roadmap_comments", "measure_executors"],
};
