//! Deadlines: the pure, IO-free core that roadmaps, appeals, requests, drafts and councils
//! share — the Russian production calendar, working-day arithmetic in which every computed
//! date carries the steps that produced it, and Russian deadline phrases turned into schedules.

pub mod arith;
pub mod calendar;
pub mod parse;
pub mod schedule;

pub use arith::{Computed, DayOffPolicy, Step, Term, Unit};
pub use calendar::{Calendar, DayKind};
pub use jiff::civil::Date;
pub use parse::{Context, Unparsed, parse, parse_in};
pub use schedule::{Due, DueRule, Frequency, MONTHS_NOM, Period, Recurrence, Schedule};
