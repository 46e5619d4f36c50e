//! The HTTP face of Glasnost: it assembles the public pages, the staff area and the API
//! into one axum router, with the layout, the accessibility mode, CSRF protection, error
//! pages and metrics around every request.

pub mod app;
pub mod appeal_stats;
pub mod appeals;
pub mod cache;
pub mod chrome;
pub mod ckan;
pub mod cookies;
pub mod datarequests;
pub mod demand;
pub mod discussion;
pub mod error;
pub mod feedback;
pub mod i18n;
pub mod metrics;
pub mod middleware;
pub mod obligations;
pub mod opendata;
pub mod public;
pub mod push;
pub mod roadmap;
pub mod snapshot;
pub mod staff;

pub use app::{AppState, router};
