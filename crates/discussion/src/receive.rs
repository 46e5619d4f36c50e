//! A comment as a public form sends it, taken the one way every discussion takes it: a robot
//! (the hidden field filled in) is thanked and nothing is stored; a closed discussion, a form
//! with problems or an address past its limit is refused with the text given back; otherwise the
//! comment is stored with its letter. Only what would be stored counts against the limit, so
//! correcting a form costs nothing.

use std::net::IpAddr;

use shell::AppState;
use shell::error::AppResult;
use shell::public_form::{Limit, Refusal};

use crate::comments::{self, CommentForm, Subject, Table};

/// Takes a comment on `subject`, whose parts are `units`; `closed` says why it takes no comments
/// now, if it does not. None: thank the sender; a refusal: show the form again with it.
pub async fn receive(
    state: &AppState,
    peer: IpAddr,
    (table, limit): (&Table, &Limit),
    subject: &Subject<'_>,
    (units, closed): (&[i64], Option<String>),
    f: &CommentForm,
) -> AppResult<Option<Refusal>> {
    if !f.website.is_empty() {
        return Ok(None);
    }
    if let Some(why) = closed {
        return Ok(Some(Refusal::Invalid(kernel::Error::invalid("text", why))));
    }
    let new = match comments::validate(table, units, f) {
        Ok(new) => new,
        Err(e) => return Ok(Some(Refusal::Invalid(e))),
    };
    let now = state.clock.now_ms();
    if let Some(e) = limit.check(state, peer, now) {
        return Ok(Some(Refusal::TooMany(e)));
    }
    comments::add(&state.db, now, table, subject, &new).await?;
    Ok(None)
}
