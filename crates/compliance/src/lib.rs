//! The compliance engine and the openness index (seed 000 §4, §7, §18; 003 §2.7–2.9): every
//! obligation of every body, gathered from every mechanism through one interface
//! (`shell::obligations`), reckoned on a schedule and after each change against what Glasnost
//! holds (`engine`, `evaluate`), with what staff decided where Glasnost cannot know
//! (`decisions`); the index per body, parameter and mechanism under a methodology kept as data
//! (`methodology`, `store`); the coordinator's board, a body's obligations and the public page
//! (`board`, `http`).

pub mod board;
pub mod decisions;
pub mod engine;
pub mod evaluate;
pub mod http;
pub mod mechanism;
pub mod methodology;
pub mod store;

use kernel::db::{Migration, Schema};

pub const SCHEMA: Schema = Schema {
    mechanism: "compliance",
    migrations: &[Migration { version: 1, name: "compliance", sql: include_str!("../migrations/0001_compliance.sql") }],
    tables: &[
        "compliance_statuses",
        "compliance_bodies",
        "compliance_history",
        "compliance_decisions",
        "compliance_methodologies",
        "compliance_marks",
    ],
};
