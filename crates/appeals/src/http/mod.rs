//! The pages of appeals and requests: the public form, tracking, confirmation and published
//! answers (`public`); the officers' list and card with every step and publication (`staff`);
//! the public statistics, the breaches behind the regional figures and those figures (`stats`).

pub mod public;
pub mod staff;
pub mod stats;
pub mod strings;
