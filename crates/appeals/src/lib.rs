//! Appeals of citizens (59-FZ) and requests for information (8-FZ) to a body (seed 000 §17):
//! the legal deadlines in one table (`rules`), and intake (`intake`) that commits a submission
//! durably, with its attachments, before it shows a registration number — unique per body and
//! year, never reused, without gaps — and an acknowledgement with a secret tracking link; and
//! what staff do next (`workflow`): extend the term once, answer with the result; split it into
//! classified questions, each with its result, exported monthly for Decree 171 (`questions`).

pub mod intake;
pub mod letters;
pub mod publication;
pub mod questions;
pub mod redact;
pub mod reminders;
pub mod rules;
pub mod stats;
pub mod workflow;
