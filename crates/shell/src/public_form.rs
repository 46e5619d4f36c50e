//! What every public form shares (comments on a draft, requests for datasets, reports of errors
//! in data): its problems shown beside the fields and summarised above them, a per-address limit
//! counted only for what would be stored, and a page that is never cached, since it carries the
//! visitor's CSRF token. Each refusal gives the typed text back: nothing a citizen wrote is lost.

use std::net::IpAddr;

use askama::Template;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

use crate::error::AppResult;
use crate::forms::{Field, attach_errors};
use crate::render::render;
use crate::state::AppState;

/// How many submissions one address may make in a window, and what a refusal says.
pub struct Limit {
    pub bucket: &'static str,
    pub per_address: u32,
    pub window_ms: i64,
    /// The field the refusal is shown beside.
    pub field: &'static str,
    pub message: &'static str,
}

impl Limit {
    /// Counts one submission that would be stored; the refusal when the address used up its limit.
    pub fn check(&self, state: &AppState, ip: IpAddr, now_ms: i64) -> Option<kernel::Error> {
        if state.limiter.allow(self.bucket, ip, now_ms, self.per_address, self.window_ms) {
            None
        } else {
            Some(kernel::Error::invalid(self.field, self.message))
        }
    }
}

/// A refusal of a submission: the form's problems, or the address's limit.
pub enum Refusal {
    Invalid(kernel::Error),
    TooMany(kernel::Error),
    /// The server could not store it (the database is out of reach): nothing was kept.
    Unavailable,
}

/// Puts a refusal's problems beside the fields; the status, and the problems about no field for
/// the error summary above the form (which lists the fields' own first, in the form's order).
/// An error that is about no field is not a refusal: it is passed on.
pub fn show(fields: &mut [Field], refusal: Option<Refusal>) -> AppResult<(StatusCode, Vec<String>)> {
    let (status, error) = match refusal {
        None => return Ok((StatusCode::OK, Vec::new())),
        Some(Refusal::Invalid(e)) => (StatusCode::UNPROCESSABLE_ENTITY, e),
        Some(Refusal::TooMany(e)) => (StatusCode::TOO_MANY_REQUESTS, e),
        Some(Refusal::Unavailable) => (
            StatusCode::SERVICE_UNAVAILABLE,
            kernel::Error::invalid(
                "text",
                "Сервер не смог сохранить отправленное, и ничего не сохранено. Текст ниже не потерян: \
                 отправьте форму ещё раз через минуту.",
            ),
        ),
    };
    let list = error.field_errors();
    if list.is_empty() {
        return Err(error.into());
    }
    // Each message goes beside its field; the error summary lists them in the form's order, with
    // what matched no field after them.
    let summary = attach_errors(fields, list);
    for f in fields.iter_mut() {
        if let Some((cut, _)) = f.value.char_indices().nth(ECHO_CHARS) {
            f.value.truncate(cut);
        }
    }
    Ok((status, summary))
}

/// The most of one field a refusal gives back: far above any field's own limit (so a text a
/// little too long comes back whole to be shortened), but a refused megabyte is not sent back.
pub const ECHO_CHARS: usize = 100_000;

/// Renders a page with a public form: its status, and kept out of every cache.
pub fn respond(page: &impl Template, status: StatusCode) -> AppResult<Response> {
    let mut resp = render(page)?;
    *resp.status_mut() = status;
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(resp)
}
