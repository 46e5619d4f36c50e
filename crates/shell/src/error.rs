//! One error type for the web layer. A handler returns `AppError`; the response carries an
//! `ErrorInfo`, and the `render_errors` middleware turns it into a Russian (or English) page
//! with the portal's layout, or into `{code, message, field}` JSON on the API. Internal
//! errors are logged once with a reference and never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub enum AppError {
    NotFound,
    Forbidden,
    Csrf,
    TooManyRequests,
    /// Input that cannot be used; the message is for a person.
    BadRequest {
        message: String,
        field: Option<&'static str>,
    },
    Kernel(kernel::Error),
    Internal(anyhow::Error),
}

/// What went wrong, attached to the response for the error-rendering middleware.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub code: &'static str,
    /// A key of the interface strings for the page title.
    pub title_key: &'static str,
    /// Shown to the person as is (already in Russian), or empty for the title's standard text.
    pub message: String,
    pub field: Option<&'static str>,
    pub reference: Option<String>,
}

pub type AppResult<T> = Result<T, AppError>;

impl From<kernel::Error> for AppError {
    fn from(e: kernel::Error) -> Self {
        match e {
            kernel::Error::NotFound(_) => AppError::NotFound,
            kernel::Error::Forbidden => AppError::Forbidden,
            kernel::Error::Internal(e) => AppError::Internal(e),
            other => AppError::Kernel(other),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

impl AppError {
    pub fn bad(message: impl Into<String>) -> Self {
        AppError::BadRequest { message: message.into(), field: None }
    }
}

pub fn error_response(status: StatusCode, info: ErrorInfo) -> Response {
    let mut r = status.into_response();
    r.extensions_mut().insert(info);
    r
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let info =
            |code, title_key, message: String, field| ErrorInfo { code, title_key, message, field, reference: None };
        match self {
            AppError::NotFound => {
                error_response(StatusCode::NOT_FOUND, info("not_found", "not_found_title", String::new(), None))
            }
            AppError::Forbidden => {
                error_response(StatusCode::FORBIDDEN, info("forbidden", "forbidden_title", String::new(), None))
            }
            AppError::Csrf => {
                error_response(StatusCode::FORBIDDEN, info("csrf_failed", "csrf_title", String::new(), None))
            }
            AppError::TooManyRequests => error_response(
                StatusCode::TOO_MANY_REQUESTS,
                info("too_many_requests", "too_many_title", String::new(), None),
            ),
            AppError::BadRequest { message, field } => {
                error_response(StatusCode::BAD_REQUEST, info("bad_request", "bad_request_title", message, field))
            }
            AppError::Kernel(e) => {
                let status = match &e {
                    kernel::Error::Conflict { .. } => StatusCode::CONFLICT,
                    kernel::Error::Locked { .. } => StatusCode::TOO_MANY_REQUESTS,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                error_response(status, info(e.code(), "bad_request_title", e.to_string(), e.field()))
            }
            AppError::Internal(e) => {
                let reference = kernel::staff::random_token()[..10].to_string();
                tracing::error!(reference, error = format!("{e:#}"), "internal error");
                let mut i = info("internal", "error_title", String::new(), None);
                i.reference = Some(reference);
                error_response(StatusCode::INTERNAL_SERVER_ERROR, i)
            }
        }
    }
}
