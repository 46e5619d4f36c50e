//! Openness roadmaps (seed 000 §4): a body's plan of measures, imported from the documents
//! bodies actually have (`import`: pure, text in, a parsed plan and whatever could not be
//! placed out), stored with its sections and measures (`store`), and exported with each
//! measure's parsed schedule and next due date (`export`).

pub mod comments;
pub mod export;
pub mod file;
pub mod import;
pub mod marks;
pub mod reminders;
pub mod report;
pub mod store;
pub mod track;
