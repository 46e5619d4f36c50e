//! Integration tests: the real router, real databases (SQLite and PostgreSQL), real SMTP.

mod helpers;

mod access;
mod appeals;
mod backup;
mod bodies;
mod calendar;
mod cli;
mod content;
mod db;
mod declaration;
mod discussion;
mod durability;
mod english;
mod errors;
mod example;
mod execution;
mod feeds;
mod hardening;
mod income;
mod opendata;
mod outbox;
mod premises;
mod public_outputs;
mod reception;
mod reminders;
mod roadmap;
mod roadmap_web;
mod search;
mod shell;
mod site;
mod sitemap;
mod snapshots;
mod storage;
mod upgrade;
mod visits;
