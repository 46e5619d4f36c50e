//! The mailing's pages: the public ones (subscribing, confirming, preferences, unsubscribing),
//! the press secretary's (campaigns and their ledger, subscribers), the bounce webhook, strings.

pub mod api;
pub mod public;
pub mod staff;
pub mod strings;
