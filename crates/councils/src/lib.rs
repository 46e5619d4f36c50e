//! Public councils and other collegial bodies of a body (seed 000 §29–32): the council's card,
//! its composition by each member's consent (`store`), its documents published against the
//! freshness term, meetings from the announcement checked against the minimum notice to the
//! minutes (`meetings`), registration with a waiting list (`registrations`), and iCal feeds
//! (`ical`); online conferences with their topic voted on and questions answered (`conferences`);
//! the register of reference groups (`groups`); the experts database and open calls for
//! candidates (`experts`); draft work plans discussed on the discussion engine (`plans`).

pub mod conferences;
pub mod experts;
pub mod groups;
pub mod http;
pub mod ical;
pub mod mail;
pub mod mechanism;
pub mod meetings;
pub mod plans;
pub mod registrations;
pub mod store;

use kernel::db::{Migration, Schema};

pub const SCHEMA: Schema = Schema {
    mechanism: "councils",
    migrations: &[
        Migration { version: 1, name: "councils", sql: include_str!("../migrations/0001_councils.sql") },
        Migration { version: 2, name: "conferences", sql: include_str!("../migrations/0002_conferences.sql") },
        Migration {
            version: 3,
            name: "reference groups",
            sql: include_str!("../migrations/0003_reference_groups.sql"),
        },
        Migration { version: 4, name: "experts", sql: include_str!("../migrations/0004_experts.sql") },
        Migration { version: 5, name: "plans", sql: include_str!("../migrations/0005_plans.sql") },
        Migration { version: 6, name: "meeting cancel", sql: include_str!("../migrations/0006_meeting_cancel.sql") },
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
        "council_reference_groups",
        "council_reference_work",
        "council_experts",
        "council_calls",
        "council_applications",
        "council_plans",
        "council_plan_comments",
    ],
};
