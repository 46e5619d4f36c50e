//! Appeals of citizens (59-FZ) and requests for information (8-FZ) to a body (seed 000 §17):
//! the legal deadlines in one table (`rules`), and intake (`intake`) that commits a submission
//! durably, with its attachments, before it shows a registration number — unique per body and
//! year, never reused, without gaps — and an acknowledgement with a secret tracking link; and
//! what staff do next (`workflow`): extend the term once, answer with the result; split it into
//! classified questions, each with its result, exported monthly for Decree 171 (`questions`).

pub mod http;
pub mod intake;
pub mod letters;
pub mod mail;
pub mod mechanism;
pub mod publication;
pub mod questions;
pub mod redact;
pub mod reminders;
pub mod rules;
pub mod searched;
pub mod stats;
pub mod submissions;
pub mod workflow;

use kernel::db::{Migration, Schema};

/// The Russian words for a code of a kind (`appeal_kind`, `result`, `no_answer_ground`…) from the
/// appeals' strings: letters to applicants, event notes and Decree 171 reports are in Russian
/// whatever language the member of staff reads the interface in.
pub fn russian(kind: &str, code: &str) -> &'static str {
    shell::i18n::russian(http::strings::STRINGS, &format!("{kind}.{code}")).unwrap_or("")
}

/// The tables of appeals and requests and their migrations.
pub const SCHEMA: Schema = Schema {
    mechanism: "appeals",
    migrations: &[
        Migration { version: 1, name: "submissions", sql: include_str!("../migrations/0001_submissions.sql") },
        Migration { version: 2, name: "questions", sql: include_str!("../migrations/0002_questions.sql") },
        Migration { version: 3, name: "letters", sql: include_str!("../migrations/0003_letters.sql") },
        Migration { version: 4, name: "respondent", sql: include_str!("../migrations/0004_respondent.sql") },
        Migration { version: 5, name: "tracking_links", sql: include_str!("../migrations/0005_tracking_links.sql") },
        Migration {
            version: 6,
            name: "publication_summary",
            sql: include_str!("../migrations/0006_publication_summary.sql"),
        },
    ],
    tables: &[
        "submission_counters",
        "submissions",
        "submission_files",
        "submission_events",
        "submission_publications",
        "appeal_topics",
        "submission_questions",
        "submission_letters",
        "submission_links",
    ],
};
