//! Deadlines: the pure, IO-free core that roadmaps, appeals, requests, drafts and councils
//! share — the Russian production calendar and working-day arithmetic in which every computed
//! date carries the steps that produced it.

pub mod arith;
pub mod calendar;

pub use arith::{Computed, DayOffPolicy, Step, Term, Unit};
pub use calendar::{Calendar, DayKind};
pub use jiff::civil::Date;
