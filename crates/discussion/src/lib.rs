//! One engine for public discussions (seed 000 §4, §26–27): of a draft act, of a draft openness
//! plan, of a public declaration, of a council's draft plan. Each mechanism that discusses
//! something owns a table of comments of the engine's shape (`Table`) and its pages; the engine
//! holds what they share — a comment on the whole draft or one of its parts (a measure, an
//! article), kept whatever happens to it; the commenter identified as the mechanism requires;
//! moderation under published rules; the body's position on each proposal with its reason; the
//! letters; the comments as CSV and the summary of proposals (сводка предложений) as a table
//! and a .docx; and the window of a discussion computed on the production calendar (`window`).

pub mod comments;
pub mod mail;
pub mod mechanism;
pub mod receive;
pub mod strings;
pub mod summary;
pub mod window;

pub use comments::{Comment, CommentForm, Identify, Moderation, NewComment, Position, Subject, Table};
