//! One search over everything public (seed 000 §38.1): every mechanism hands its public things
//! to search as documents (`kernel::search::Document`, through its `SearchSource`s), and each
//! node keeps its own tantivy index of them (`index`), built from the mechanisms' data and kept
//! current from the database's change log (`follow`). Russian words are stemmed, «ё» is «е»,
//! case and punctuation do not count (`words`); a word with a typo is corrected from the words
//! the index holds. The page and its JSON twin are in `http`.

pub mod follow;
pub mod http;
pub mod index;
pub mod mechanism;
pub mod staff;
pub mod store;
pub mod strings;
pub mod words;

use kernel::db::{Migration, Schema};

pub const SCHEMA: Schema = Schema {
    mechanism: "search",
    migrations: &[Migration { version: 1, name: "search", sql: include_str!("../migrations/0001_search.sql") }],
    tables: &["search_synonyms", "search_queries"],
};
