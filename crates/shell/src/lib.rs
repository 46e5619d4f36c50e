//! What every mechanism of Glasnost shares on the web side: the application state, the page
//! frame (`chrome`), errors, forms and their re-show, the staff guard, interface strings,
//! rendering, the page cache and the middleware around every request. A mechanism crate builds
//! its pages from these; the `web` crate assembles the mechanisms into one router.

pub mod around;
pub mod cache;
pub mod chrome;
pub mod cookies;
pub mod directory;
pub mod error;
pub mod feeds;
pub mod figures;
pub mod forms;
pub mod i18n;
pub mod letter;
pub mod mechanism;
pub mod metrics;
pub mod middleware;
pub mod obligations;
pub mod public_form;
pub mod redirect;
pub mod render;
pub mod serve;
pub mod sessions;
pub mod snapshot;
pub mod staff;
pub mod state;
pub mod step;

pub use mechanism::Mechanism;
pub use state::AppState;
