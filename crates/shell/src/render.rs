//! Rendering a page, and the error page every failed request is shown.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use kernel::bodies::Body;

use crate::chrome::Chrome;
use crate::error::{AppError, AppResult, ErrorInfo};

pub fn render<T: Template>(t: &T) -> AppResult<Response> {
    Ok(Html(t.render().map_err(|e| AppError::Internal(e.into()))?).into_response())
}

#[derive(Template)]
#[template(path = "public/error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub status: u16,
    pub info: ErrorInfo,
    pub bodies: Vec<Body>,
}
