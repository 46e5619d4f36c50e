//! The application state with every mechanism's parts, and the router that assembles every
//! mechanism's routes behind the shell's middleware.

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use kernel::{Config, Db, SharedClock};
use shell::AppState;
use shell::middleware as mw;
use tower_http::catch_panic::CatchPanicLayer;

use crate::{public, staff};

/// The state of this node with the mechanisms' parts; starts the appeals' committer, so call
/// it inside the Tokio runtime.
pub fn state(db: Db, cfg: Config, clock: SharedClock) -> anyhow::Result<AppState> {
    let ttl = std::time::Duration::from_millis(cfg.page_cache_ms as u64);
    let intake = appeals::intake::Intake::start(db.clone(), cfg.submit_batch);
    let terms = appeals::rules::Terms::new(&cfg.appeal_terms, &cfg.deadline_day_off).map_err(anyhow::Error::msg)?;
    Ok(AppState::new(db, cfg, clock)?
        .with_part(opendata::index::Catalogue::new(ttl))
        .with_part(opendata::demand::Counter::default())
        .with_part(intake)
        .with_part(terms)
        // The open-data catalogue looks at the database again on its next use.
        .with_write_hook(|s| {
            if let Ok(c) = s.part::<opendata::index::Catalogue>() {
                c.invalidate();
            }
        }))
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(public::routes())
        .merge(staff::routes(&state))
        .fallback(|| async { shell::error::AppError::NotFound })
        .layer(from_fn(mw::csrf))
        .layer(CatchPanicLayer::custom(mw::panic_response))
        .layer(from_fn_with_state(state.clone(), mw::render_errors))
        .layer(from_fn_with_state(state.clone(), shell::cache::layer))
        .layer(from_fn_with_state(state.clone(), crate::demand::count))
        .layer(from_fn_with_state(state.clone(), mw::visitor))
        .layer(from_fn_with_state(state.clone(), mw::metrics))
        .with_state(state)
}
