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
