//! How a mechanism of openness plugs into Glasnost. A mechanism crate describes itself once in
//! a `Mechanism` — its migrations and tables, its interface strings, its public and API routes,
//! its staff routes with the access each needs, what it keeps in a node's memory and its
//! background tasks — and the binary lists the mechanisms once. The router, the migration runner,
//! the worker, backup and restore and the route-scope test all take them from that list.

use std::collections::HashMap;

use axum::Router;
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
    /// What it counts in a node's memory, written to the database every few seconds and once more
    /// when the node stops, if anything.
    pub flush: Option<FlushFn>,
    /// Its columns in the regional view, if it has figures per body.
    pub figures: Option<FiguresFn>,
    /// Its lines of `/metrics` (Prometheus text), if it counts anything of its own.
    pub metrics: Option<fn(&AppState, &mut String)>,
    /// What a visitor comes to the portal for in it: the header's menu, the home page and each
    /// body's page list these.
    pub services: &'static [Service],
    /// Where staff start their work in it: the staff home and each body's staff page list these
    /// to whoever the route's access admits.
    pub desks: &'static [Desk],
    /// What a signed-in staff member has to do in it now, for the staff home, if anything.
    pub todo: Option<TodoFn>,
    /// Its public pages for `sitemap.xml`, if it has any.
    pub sitemap: Option<SitemapSource>,
    /// What it publishes for the portal's and each body's feeds, if anything.
    pub feed: Option<FeedFn>,
    /// What it hands to the portal's search (`kernel::search`), if anything.
    pub search: &'static [SearchSource],
    /// What it obliges each body to do, for the compliance engine, if anything.
    pub obligations: Option<crate::obligations::ObligationsFn>,
}

/// One source of search documents: its name in the change log, the kinds of its documents, and
/// how search reads them — the items the log names, and every item a window of keys at a time
/// when a node builds its index.
pub struct SearchSource {
    pub source: &'static str,
    /// Each kind it hands over: its name in addresses (`?kind=news`) and its string key.
    pub kinds: &'static [(&'static str, &'static str)],
    /// The documents of these items as they stand now (an item not public has none).
    pub get: SearchGet,
    /// Up to `limit` keys above `after` of items that may have documents, in order.
    pub keys: SearchKeys,
}

pub type SearchGet = for<'a> fn(&'a AppState, &'a [i64]) -> BoxFuture<'a, AppResult<Vec<kernel::search::Document>>>;
pub type SearchKeys = for<'a> fn(&'a AppState, i64, u64) -> BoxFuture<'a, AppResult<Vec<i64>>>;

/// One entry of the portal's feeds: something published, its page, and when it last changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedEntry {
    /// What it is, unique within the mechanism and never reused ("dataset/12"): with the page's
    /// address, the entry's id.
    pub key: String,
    pub path: String,
    pub title: String,
    pub summary: String,
    /// The moment it was last changed (ms).
    pub updated: i64,
}

/// The rows of a feed's query, in which `$1` is the body's id (0: every body) and `$2` the limit.
pub async fn feed_rows(
    state: &AppState,
    sql: &'static str,
    body: Option<&Body>,
    limit: u64,
) -> AppResult<Vec<sqlx::any::AnyRow>> {
    let rows = sqlx::query(sql)
        .bind(body.map_or(0, |b| b.id))
        .bind(limit as i64)
        .fetch_all(&state.db.pool)
        .await
        .map_err(kernel::Error::from)?;
    Ok(rows)
}

/// A mechanism's newest published things, of one body or (None) of every body, newest first.
pub type FeedFn = for<'a> fn(&'a AppState, Option<&'a Body>, u64) -> BoxFuture<'a, AppResult<Vec<FeedEntry>>>;

/// One address of the sitemap: a public page's path and, when known, the day it last changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    pub path: String,
    pub lastmod: Option<String>,
}

/// A mechanism's public pages as the sitemap reads them: its pages of the portal, its pages of
/// every body, and the pages of what it keeps (a published dataset each), counted and read a
/// window at a time — so a sitemap of any size is written a window at a time.
#[derive(Clone, Copy)]
pub struct SitemapSource {
    pub portal: &'static [&'static str],
    /// `{slug}` stands for each body's.
    pub per_body: &'static [&'static str],
    pub kept: Option<KeptPages>,
}

/// How many pages a mechanism keeps (a published dataset each).
pub type KeptCount = for<'a> fn(&'a AppState) -> BoxFuture<'a, AppResult<u64>>;
/// Those pages `offset .. offset + limit`, in a stable order.
pub type KeptWindow = for<'a> fn(&'a AppState, u64, u64) -> BoxFuture<'a, AppResult<Vec<Loc>>>;

#[derive(Clone, Copy)]
pub struct KeptPages {
    pub count: KeptCount,
    pub window: KeptWindow,
}

impl SitemapSource {
    /// How many addresses it has for the portal with these bodies.
    pub async fn count(&self, state: &AppState, bodies: &[Body]) -> AppResult<u64> {
        let fixed = (self.portal.len() + self.per_body.len() * bodies.len()) as u64;
        Ok(fixed + if let Some(k) = self.kept { (k.count)(state).await? } else { 0 })
    }

    /// Its addresses `offset .. offset + limit`: the fixed pages first, then the kept ones.
    pub async fn window(&self, state: &AppState, bodies: &[Body], offset: u64, limit: u64) -> AppResult<Vec<Loc>> {
        let fixed = (self.portal.len() + self.per_body.len() * bodies.len()) as u64;
        let mut out: Vec<Loc> = pages_window(self.portal, self.per_body, bodies, offset, limit);
        if let Some(k) = self.kept
            && offset + limit > fixed
        {
            let from = offset.saturating_sub(fixed);
            out.extend((k.window)(state, from, limit - out.len() as u64).await?);
        }
        Ok(out)
    }
}

fn pages_window(portal: &[&str], per_body: &[&str], bodies: &[Body], offset: u64, limit: u64) -> Vec<Loc> {
    let all = portal
        .iter()
        .map(|p| p.to_string())
        .chain(bodies.iter().flat_map(|b| per_body.iter().map(move |p| p.replace("{slug}", &b.slug))));
    all.skip(offset as usize).take(limit as usize).map(|path| Loc { path, lastmod: None }).collect()
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

/// A service a visitor comes to the portal for (write an appeal, find a dataset).
pub struct Service {
    /// Its name and one sentence on what it gives the visitor (string keys).
    pub name: &'static str,
    pub hint: &'static str,
    /// Its place among every mechanism's services: lower comes first.
    pub rank: u8,
    /// Its portal-wide address, if it has one (the home page lists it there).
    pub portal: Option<&'static str>,
    /// Whether the header's menu carries it (portal-wide services only).
    pub menu: bool,
    /// Its address for one body, `{slug}` standing for the body's (the body's page lists it).
    pub body: Option<&'static str>,
    /// Whether the portal offers it, when a setting turns it on or off (None: always).
    pub shown: Option<fn(&Config) -> bool>,
}

impl Service {
    /// Its address for the body with this slug, if it has one.
    pub fn for_body(&self, slug: &str) -> Option<String> {
        self.body.map(|p| p.replace("{slug}", slug))
    }
}

/// Where staff start a mechanism's work: one of its GET staff routes, by name. A path with
/// `{slug}` is listed on each body's staff page, a path without on the staff home; each only to
/// those the route's access admits there (the access is the route's, not repeated here).
pub struct Desk {
    pub name: &'static str,
    pub path: &'static str,
}

/// One thing a staff member has to do, for the staff home: what (with its count), where it is
/// done, and whether a term has passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Todo {
    pub text: String,
    pub href: String,
    pub urgent: bool,
}

/// What a staff member has to do today in a mechanism, over the bodies they see.
pub type TodoFn = for<'a> fn(
    &'a AppState,
    &'a Visitor,
    &'a kernel::staff::StaffUser,
    &'a [Body],
    deadlines::Date,
    &'a std::sync::Arc<deadlines::Calendar>,
) -> BoxFuture<'a, AppResult<Vec<Todo>>>;

/// Every mechanism's services the portal offers with these settings, in their rank's order.
pub fn services(mechanisms: &[&'static Mechanism], cfg: &Config) -> Vec<&'static Service> {
    let mut all: Vec<&'static Service> =
        mechanisms.iter().flat_map(|m| m.services.iter()).filter(|s| s.shown.is_none_or(|shown| shown(cfg))).collect();
    all.sort_by_key(|s| s.rank);
    all
}

/// The desks of every mechanism a staff member may open: the portal-wide ones (`body` None) or a
/// body's (with its chain of ids, nearest first), as (name key, address).
pub fn desks(
    mechanisms: &[&'static Mechanism],
    user: &kernel::staff::StaffUser,
    body: Option<(&str, &[i64])>,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for m in mechanisms {
        for d in m.desks {
            let Some(route) = m.staff.iter().find(|r| r.method == axum::http::Method::GET && r.path == d.path) else {
                continue;
            };
            match (body, d.path.contains("{slug}")) {
                (Some((slug, chain)), true) if user.allows(route.access, chain) => {
                    out.push((d.name, d.path.replace("{slug}", slug)));
                }
                (None, false) if user.allows(route.access, &[]) => out.push((d.name, d.path.to_string())),
                _ => {}
            }
        }
    }
    out
}

/// Writes what a mechanism counted in this node's memory to the database.
pub type FlushFn = for<'a> fn(&'a AppState) -> BoxFuture<'a, AppResult<()>>;

/// Writes every mechanism's counts (each tried, whatever the others did); the errors, by mechanism.
pub async fn flush(state: &AppState) -> Vec<(&'static str, crate::error::AppError)> {
    let mut failed = Vec::new();
    for m in state.mechanisms {
        if let Some(f) = m.flush
            && let Err(e) = f(state).await
        {
            failed.push((m.name, e));
        }
    }
    failed
}

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
    for m in mechanisms {
        for d in m.desks {
            if !m.staff.iter().any(|r| r.method == axum::http::Method::GET && r.path == d.path) {
                anyhow::bail!("{}: the desk {} is not one of its GET staff routes", m.name, d.path);
            }
        }
    }
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
