//! The councils' pages: citizens' (`public`, `conferences`), the secretary's and the press
//! service's (`staff`, `conferences_staff`), and their strings.

pub mod conferences;
pub mod conferences_staff;
pub mod experts;
pub mod groups;
pub mod plans;
pub mod public;
pub mod staff;
pub mod strings;
