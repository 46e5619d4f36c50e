//! Rule-making in the open (seed 000 §9, §25–27): a body's drafts of normative acts from the
//! notice that one is being prepared to the adopted act — each version's text split into
//! structural units (`units`), stored with the draft's timeline (`store`), discussed on the
//! discussion engine (`comments`) in a window computed from the portal's rule for the kind of
//! act, with the body's position on every proposal and the summary of proposals.

pub mod comments;
pub mod expertise;
pub mod http;
pub mod mail;
pub mod mechanism;
pub mod plan;
pub mod searched;
pub mod store;
pub mod units;

pub use comments::COMMENTS;

use kernel::db::{Migration, Schema};

pub const SCHEMA: Schema = Schema {
    mechanism: "rulemaking",
    migrations: &[
        Migration { version: 1, name: "drafts", sql: include_str!("../migrations/0001_drafts.sql") },
        Migration { version: 2, name: "expertise", sql: include_str!("../migrations/0002_expertise.sql") },
        Migration { version: 3, name: "plan", sql: include_str!("../migrations/0003_plan.sql") },
        Migration { version: 4, name: "clarity", sql: include_str!("../migrations/0004_clarity.sql") },
    ],
    tables: &[
        "draft_kinds",
        "drafts",
        "draft_versions",
        "draft_anchors",
        "draft_units",
        "draft_events",
        "draft_comments",
        "draft_conclusions",
        "draft_findings",
        "draft_plan_items",
    ],
};
