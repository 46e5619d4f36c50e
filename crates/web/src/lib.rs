//! The HTTP face of Glasnost: it assembles the public pages, the staff area and the API
//! into one axum router, with the shell's layout, accessibility mode, CSRF protection, error
//! pages and metrics around every request.

pub mod app;
pub mod appeal_stats;
pub mod appeals;
pub mod ckan;
pub mod datarequests;
pub mod demand;
pub mod feedback;
pub mod mechanisms;
pub mod obligations;
pub mod opendata;
pub mod public;
pub mod push;
pub mod region;
pub mod staff;

pub use app::router;
pub use shell::AppState;
