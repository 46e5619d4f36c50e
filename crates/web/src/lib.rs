//! The HTTP face of Glasnost: it assembles the public pages, the staff area and the API
//! into one axum router, with the shell's layout, accessibility mode, CSRF protection, error
//! pages and metrics around every request.

pub mod app;
pub mod public;
pub mod region;
pub mod staff;

pub use app::router;
pub use shell::AppState;
