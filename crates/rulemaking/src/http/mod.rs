//! Rule-making's pages: citizens' (`public`) and the lawyers' and the portal admin's (`staff`).

pub mod plan;
pub mod public;
pub mod staff;
pub mod strings;
