//! The list of Glasnost's mechanisms, once: the router, the migrations, the tables a backup
//! carries, the worker's tasks, the interface strings and the route-scope test all take them
//! from here. A new mechanism is one crate and one line in this list.

use kernel::db::Schema;
use kernel::{Config, Db, SharedClock};
use shell::{AppState, Mechanism};

/// Every mechanism, in the order they are migrated (after the kernel) and routed.
pub const MECHANISMS: &[&Mechanism] = &[
    // First: the interface strings every discussion shares.
    &discussion::mechanism::MECHANISM,
    &roadmap::mechanism::MECHANISM,
    &opendata::mechanism::MECHANISM,
    &appeals::mechanism::MECHANISM,
    &site::mechanism::MECHANISM,
    &rulemaking::mechanism::MECHANISM,
    &councils::mechanism::MECHANISM,
    &mailing::mechanism::MECHANISM,
    &visits::mechanism::MECHANISM,
    // After every mechanism that obliges bodies: it reads their obligations.
    &compliance::mechanism::MECHANISM,
    // Last: its start reads every other mechanism's search sources.
    &search::mechanism::MECHANISM,
];

/// Every mechanism's schema, in the same order.
pub fn schemas() -> Vec<&'static Schema> {
    shell::mechanism::schemas(MECHANISMS)
}

/// The state of a node running every mechanism (starts what they keep running: call it inside
/// the Tokio runtime).
pub fn state(db: Db, cfg: Config, clock: SharedClock) -> anyhow::Result<AppState> {
    shell::mechanism::start(db, cfg, clock, MECHANISMS)
}

/// The portal's router with every mechanism.
pub fn router(state: AppState) -> axum::Router {
    web::router(state, MECHANISMS)
}
