//! Targeted mailing (seed 000 §40, §38.5к): subscriptions without an account by topic and body,
//! confirmed by a link sent to the address, with the consent recorded (`subscribers`); campaigns
//! written by a body's press secretary, sent through the outbox to their audience with a
//! per-recipient ledger (`campaigns`); bounces read from a folder of reports or a webhook, with
//! the address suppressed after a hard one (`bounces`); and the letters themselves, each with its
//! one-click unsubscribe (`letters`); digests of what was published, per subscriber's topics,
//! bodies and frequency (`digests`).

pub mod bounces;
pub mod campaigns;
pub mod digests;
pub mod http;
pub mod letters;
pub mod mechanism;
pub mod stats;
pub mod subscribers;
pub mod topics;

use kernel::db::{Migration, Schema};

pub const SCHEMA: Schema = Schema {
    mechanism: "mailing",
    migrations: &[
        Migration { version: 1, name: "mailing", sql: include_str!("../migrations/0001_mailing.sql") },
        Migration { version: 2, name: "digests", sql: include_str!("../migrations/0002_digests.sql") },
    ],
    tables: &[
        "mailing_subscribers",
        "mailing_interests",
        "mailing_confirmations",
        "mailing_consents",
        "mailing_events",
        "mailing_campaigns",
        "mailing_deliveries",
        "mailing_items",
        "mailing_marks",
    ],
};
