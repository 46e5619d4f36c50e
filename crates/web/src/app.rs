//! The router: the portal's own pages and every listed mechanism's, behind the shell's
//! middleware.

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use shell::middleware as mw;
use shell::{AppState, Mechanism};
use tower_http::catch_panic::CatchPanicLayer;

use crate::{public, staff};

pub fn router(state: AppState, mechanisms: &[&Mechanism]) -> Router {
    Router::new()
        .merge(public::routes())
        .merge(staff::routes(&state))
        .merge(shell::mechanism::routes(&state, mechanisms))
        .fallback(|| async { shell::error::AppError::NotFound })
        .layer(from_fn(mw::csrf))
        .layer(CatchPanicLayer::custom(mw::panic_response))
        .layer(from_fn_with_state(state.clone(), mw::body))
        .layer(from_fn_with_state(state.clone(), mw::render_errors))
        .layer(from_fn_with_state(state.clone(), shell::cache::layer))
        .layer(from_fn_with_state(state.clone(), mw::visitor))
        .layer(from_fn_with_state(state.clone(), mw::metrics))
        .layer(from_fn_with_state(state.clone(), mw::security_headers))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_used_in_the_templates_exists() {
        let strings = shell::i18n::Strings::new(&[]).expect("strings");
        let missing =
            strings.missing_in_templates(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates")));
        assert!(missing.is_empty(), "{missing:?}");
    }
}
