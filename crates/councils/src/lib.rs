//! Public councils and other collegial bodies of a body (seed 000 §29–32): the council's card,
//! its composition by each member's consent (`store`), its documents published against the
//! freshness term, meetings from the announcement checked against the minimum notice to the
//! minutes (`meetings`), registration with a waiting list (`registrations`), and iCal feeds
//! (`ical`); online conferences with their topic voted on and questions answered (`conferences`).

pub mod conferences;
pub mod http;
pub mod ical;
pub mod mail;
pub mod mechanism;
pub mod meetings;
pub mod registrations;
pub mod store;

use kernel::db::{Migration, Schema};

pub const SCHEMA: Schema = Schema {
    mechanism: "councils",
    migrations: &[
        Migration { version: 1, name: "councils", sql: include_str!("../migrations/0001_councils.sql") },
        Migration { version: 2, name: "conferences", sql: include_str!("../migrations/0002_conferences.sql") },
    ],
    tables: &[
        "councils",
        "council_members",
        "council_documents",
        "council_publications",
        "council_meetings",
        "council_agenda",
        "council_registrations",
        "council_conferences",
        "council_conference_topics",
        "council_conference_votes",
        "council_conference_questions",
    ],
};
