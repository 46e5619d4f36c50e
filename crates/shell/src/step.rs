//! One frame for every staff step on a body's records: the extractor [`Step`] gives who acts
//! (the signed-in member of staff), the body in scope with its ancestors, the moment and today's
//! date with the portal's calendar; [`Step::answer`] is the one way a step ends — back to a page
//! with a notice when it is done, the form again with what was wrong when the input was, the
//! error page otherwise.

use std::future::Future;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use kernel::audit::Actor;
use kernel::bodies::Body;
use kernel::staff::StaffUser;

use crate::chrome::{Chrome, Visitor};
use crate::error::{AppError, AppResult};
use crate::staff::Scoped;
use crate::state::AppState;

pub struct Step {
    pub state: AppState,
    pub v: Visitor,
    pub user: StaffUser,
    pub s: Scoped,
    /// The moment of the step (ms), from the portal's clock.
    pub now: i64,
    /// Today in the portal's time zone, and its calendar of working days.
    pub today: deadlines::Date,
    pub cal: Arc<deadlines::Calendar>,
}

impl FromRequestParts<AppState> for Step {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Step, AppError> {
        // The middleware and the staff guard put these in front of every body route; a route
        // without them is a wiring mistake, answered as a missing page rather than a panic.
        let missing = || AppError::Internal(anyhow::anyhow!("a staff step outside a body's staff route"));
        let v = parts.extensions.get::<Visitor>().cloned().ok_or_else(missing)?;
        let user = parts.extensions.get::<StaffUser>().cloned().ok_or_else(missing)?;
        let s = parts.extensions.get::<Scoped>().cloned().ok_or_else(missing)?;
        let now = state.clock.now_ms();
        let (today, cal) = state.today_and_calendar().await?;
        Ok(Step { state: state.clone(), v, user, s, now, today, cal })
    }
}

impl Step {
    pub fn actor(&self) -> Actor {
        self.user.actor()
    }

    pub fn body(&self) -> &Body {
        &self.s.body
    }

    pub fn db(&self) -> &kernel::Db {
        &self.state.db
    }

    /// The address of one of the body's staff pages: `/staff/o/{slug}/{rest}`.
    pub fn page(&self, rest: &str) -> String {
        format!("/staff/o/{}/{rest}", self.s.body.slug)
    }

    /// The chrome of a page in one of the body's staff sections (see [`Scoped::chrome`]).
    pub async fn chrome(&self, section: &str, path: &str, last: &str) -> Chrome {
        self.s.chrome(&self.state, &self.v, section, path, last).await
    }

    /// Ends a step: when it is done, to `to` of what it made (a URL); when the input was wrong
    /// (a field's error, a conflict with a change made meanwhile), `reshow` with the message, so
    /// the page shows it beside the form; any other error is the error page.
    pub async fn answer<T, Fut>(
        &self,
        done: kernel::Result<T>,
        to: impl FnOnce(T) -> String,
        reshow: impl FnOnce(String) -> Fut,
    ) -> AppResult<Response>
    where
        Fut: Future<Output = AppResult<Response>>,
    {
        self.answer_form(done, to, |e| reshow(e.about_input().unwrap_or_default())).await
    }

    /// As [`Step::answer`], for a form that shows each error beside its field: `reshow` gets the
    /// error itself (only one about the input).
    pub async fn answer_form<T, Fut>(
        &self,
        done: kernel::Result<T>,
        to: impl FnOnce(T) -> String,
        reshow: impl FnOnce(kernel::Error) -> Fut,
    ) -> AppResult<Response>
    where
        Fut: Future<Output = AppResult<Response>>,
    {
        match done {
            Ok(made) => Ok(Redirect::to(&to(made)).into_response()),
            Err(e) if e.about_input().is_some() => reshow(e).await,
            Err(e) => Err(e.into()),
        }
    }
}

/// What was wrong with a step on one item of a list page (its id and the message), shown beside
/// that item's form.
#[derive(Clone, Debug, Default)]
pub struct ItemError(pub Option<(i64, String)>);

impl ItemError {
    /// The message, when it is about the item `id`.
    pub fn on(&self, id: &i64) -> Option<&str> {
        self.0.as_ref().filter(|(item, _)| item == id).map(|(_, e)| e.as_str())
    }

    pub fn is_some(&self) -> bool {
        self.0.is_some()
    }
}
