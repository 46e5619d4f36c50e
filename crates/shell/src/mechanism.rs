//! How a mechanism of openness plugs into Glasnost. A mechanism crate describes itself once in
//! a `Mechanism` — its migrations and tables, its interface strings, its public and API routes,
//! its staff routes with the access each needs, what it keeps in a node's memory and its
//! background tasks — and the binary lists the mechanisms once. The router, the migration runner,
//! the worker, backup and restore and the route-scope test all take them from that list.

use std::collections::HashMap;

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use futures::future::BoxFuture;
use kernel::bodies::Body;
use kernel::db::Schema;
use kernel::outbox::Task;
use kernel::{Config, Db, SharedClock};

use crate::chrome::Visitor;
use crate::error::AppResult;
use crate::i18n::{Strings, Table};
use crate::staff::StaffRoute;
use crate::state::AppState;

pub struct Mechanism {
    /// Its name: the key of its migrations and of its tasks in logs.
    pub name: &'static str,
    pub schema: &'static Schema,
    pub strings: Table,
    /// Its public pages, their machine-readable twins and its API.
    pub routes: fn() -> Router<AppState>,
    /// The query parameters its public pages read: the page cache keeps a page only when its
    /// address has no other parameter (so `?anything=N` cannot fill the cache with copies).
    pub query: &'static [&'static str],
    /// Its staff pages, each behind the guard of its access rule.
    pub staff: &'static [StaffRoute],
    /// What it keeps in a node's memory, put into the state when the node starts (parts, hooks).
    pub start: fn(AppState) -> anyhow::Result<AppState>,
    /// Its background tasks for the worker: what each is called, how often it runs (ms), the task.
    pub tasks: fn(&Config) -> Vec<(&'static str, i64, Task)>,
    /// What it does around every request, outside the page cache (count what was read), if anything.
    pub around: Option<Around>,
    /// Its columns in the regional view, if it has figures per body.
    pub figures: Option<FiguresFn>,
    /// Its lines of `/metrics` (Prometheus text), if it counts anything of its own.
    pub metrics: Option<fn(&AppState, &mut String)>,
}

/// A mechanism's figures for every body side by side (the regional view reads them; so will the
/// compliance index): its columns and, per body, its cells.
pub struct Figures {
    /// The heading over its columns, in the visitor's language.
    pub heading: String,
    /// Each column's heading (one column: the heading alone is shown).
    pub columns: Vec<String>,
    /// Each body's cells by body id; a body without a row gets an empty cell.
    pub rows: HashMap<i64, FigureRow>,
}

pub struct FigureRow {
    pub cells: Vec<Cell>,
    /// How much the body needs attention in this mechanism: bodies needing more come first.
    pub urgency: u64,
}

/// One figure: its text, the page behind it, what is wrong with it, how many columns it spans.
#[derive(Clone, Default)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub alert: Option<String>,
    pub span: usize,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), span: 1, ..Cell::default() }
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell { href: Some(href.into()), ..Cell::text(text) }
    }
}

/// What today's figures of every body are, with the portal's calendar.
pub type FiguresFn = for<'a> fn(
    &'a AppState,
    &'a Visitor,
    &'a [Body],
    deadlines::Date,
    &'a std::sync::Arc<deadlines::Calendar>,
) -> BoxFuture<'a, AppResult<Figures>>;

/// A middleware a mechanism puts around every request.
pub type Around = fn(AppState, Request, Next) -> BoxFuture<'static, Response>;

impl Mechanism {
    /// A mechanism that keeps nothing in memory.
    pub fn keeps_nothing(state: AppState) -> anyhow::Result<AppState> {
        Ok(state)
    }

    /// A mechanism without background tasks.
    pub fn no_tasks(_: &Config) -> Vec<(&'static str, i64, Task)> {
        Vec::new()
    }
}

/// The schemas of the mechanisms, in their order (the kernel's is added by the runner).
pub fn schemas(mechanisms: &[&Mechanism]) -> Vec<&'static Schema> {
    mechanisms.iter().map(|m| m.schema).collect()
}

/// The state of a node running these mechanisms: every string table checked, every part started.
/// Starts what the mechanisms keep running (a committer), so call it inside the Tokio runtime.
pub fn start(
    db: Db,
    cfg: Config,
    clock: SharedClock,
    mechanisms: &'static [&'static Mechanism],
) -> anyhow::Result<AppState> {
    let tables: Vec<Table> = mechanisms.iter().map(|m| m.strings).collect();
    let strings = Strings::new(&tables).map_err(anyhow::Error::msg)?;
    let mut state = AppState::new(db, cfg, clock, strings)?.with_mechanisms(mechanisms);
    for m in mechanisms {
        state = (m.start)(state)?;
    }
    Ok(state)
}

/// Every mechanism's public routes and staff routes, the staff ones behind their guards.
pub fn routes(state: &AppState, mechanisms: &[&Mechanism]) -> Router<AppState> {
    let mut r = Router::new();
    for m in mechanisms {
        r = r.merge((m.routes)()).merge(crate::staff::routes(state, m.staff));
    }
    r
}

/// Every mechanism's background tasks, for the worker.
pub fn tasks(cfg: &Config, mechanisms: &[&Mechanism]) -> Vec<(&'static str, i64, Task)> {
    mechanisms.iter().flat_map(|m| (m.tasks)(cfg)).collect()
}
