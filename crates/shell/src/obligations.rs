//! What a body must do, as every mechanism hands it to the compliance engine: one interface
//! (`Mechanism::obligations`) through which the roadmap gives its measures, the site its
//! catalogue's items, open data its lists' items, the councils their minutes, and so on. Each
//! obligation says where it comes from, which indicator of an openness methodology it counts
//! for, where staff fulfil it, and how it stands today as the mechanism sees it, with the
//! evidence that satisfies it when the mechanism holds one. The engine adds what staff decided
//! (not applicable, evidence held elsewhere) and reckons the status.

use std::sync::Arc;

use deadlines::{Calendar, Date};
use futures::future::BoxFuture;
use kernel::bodies::Body;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::state::AppState;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    pub body_id: i64,
    /// Stable within the body and never reused: the mechanism's name, what, which
    /// ("site/item/structure", "roadmap/measure/12").
    pub key: String,
    /// The methodology's indicator it counts for ("site_item", "roadmap_stage1").
    pub indicator: &'static str,
    pub title: String,
    /// Where the duty comes from: the law or recommendation, or the body's plan and its point.
    pub source: String,
    /// The staff page where it is fulfilled.
    pub href: String,
    pub standing: Standing,
}

/// How an obligation stands as its mechanism sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Standing {
    /// The body decided in the mechanism that it does not apply, and why.
    NotApplicable { reason: String },
    /// Fulfilled: the evidence, and the due date it came after, if it came late.
    Met { evidence: Evidence, late_for: Option<Date> },
    /// Not fulfilled, and its due date is today or later.
    Due { due: Date },
    /// Not fulfilled, and its due date has passed.
    Late { due: Date },
    /// Not fulfilled and no due date can be named (never published, a term without a date).
    Missing,
}

impl Standing {
    /// A duty done once by a due date (an answer, minutes): met by `done` — late when after
    /// `due` — otherwise due, or late once `due` has passed on `today`.
    pub fn by(due: Date, done: Option<Evidence>, today: Date) -> Standing {
        match done {
            Some(evidence) => {
                let late_for = (evidence.on > due).then_some(due);
                Standing::Met { evidence, late_for }
            }
            None if due < today => Standing::Late { due },
            None => Standing::Due { due },
        }
    }
}

/// What shows that an obligation is fulfilled: what it is, its page, its day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub label: String,
    pub href: String,
    pub on: Date,
}

/// A mechanism's obligations for these bodies on `today`.
pub type ObligationsFn =
    for<'a> fn(&'a AppState, &'a [Body], Date, &'a Arc<Calendar>) -> BoxFuture<'a, AppResult<Vec<Obligation>>>;

/// Every mechanism's obligations for these bodies; a mechanism that fails fails the whole (the
/// engine then keeps the statuses it had rather than record half a picture).
pub async fn gather(state: &AppState, bodies: &[Body], today: Date, cal: &Arc<Calendar>) -> AppResult<Vec<Obligation>> {
    let mut out = Vec::new();
    for m in state.mechanisms {
        if let Some(f) = m.obligations {
            out.extend(f(state, bodies, today, cal).await?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duty_by_a_date_is_met_late_due_or_late() {
        let d = |s: &str| s.parse::<Date>().expect("date");
        let done = |on: &str| Some(Evidence { label: String::new(), href: String::new(), on: d(on) });
        let due = d("2026-03-10");
        assert!(matches!(Standing::by(due, done("2026-03-09"), d("2026-04-01")), Standing::Met { late_for: None, .. }));
        assert!(matches!(
            Standing::by(due, done("2026-03-12"), d("2026-04-01")),
            Standing::Met { late_for: Some(_), .. }
        ));
        assert_eq!(Standing::by(due, None, d("2026-03-10")), Standing::Due { due });
        assert_eq!(Standing::by(due, None, d("2026-03-11")), Standing::Late { due });
    }
}
