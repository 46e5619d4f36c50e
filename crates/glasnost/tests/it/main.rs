//! Integration tests: the real router, real databases (SQLite and PostgreSQL), real SMTP.


mod helpers;

mod access;
mod bodies;
mod errors;
mod outbox;
mod shell;
