//! The councils' pages: citizens' (`public`), the secretary's (`staff`), and their strings.

pub mod public;
pub mod staff;
pub mod strings;
