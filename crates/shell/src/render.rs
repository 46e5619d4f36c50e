//! Rendering a page, and the error page every failed request is shown.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use kernel::bodies::Body;

use crate::chrome::Chrome;
use crate::error::{AppError, AppResult, ErrorInfo};

/// Most pages are 10–60 KB: starting the text that large spares growing it (and copying it)
/// several times on every view.
const START: usize = 32 * 1024;

pub fn render<T: Template>(t: &T) -> AppResult<Response> {
    let mut page = String::with_capacity(START.max(T::SIZE_HINT));
    t.render_into(&mut page).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Html(page).into_response())
}

/// A page shown again after a refused step (with what was wrong): 422, so neither a browser's
/// history nor a client takes it for a success; otherwise as [`render`].
pub fn render_refused<T: Template>(t: &T, refused: bool) -> AppResult<Response> {
    let mut resp = render(t)?;
    if refused {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

#[derive(Template)]
#[template(path = "public/error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub status: u16,
    pub info: ErrorInfo,
    pub bodies: Vec<Body>,
}
