//! The pages of appeals and requests: the public form, tracking and confirmation, the officers'
//! list and card with every step, publication of answers (`submissions`); the public statistics,
//! the breaches behind the regional figures and those figures (`stats`).

pub mod stats;
pub mod strings;
pub mod submissions;
