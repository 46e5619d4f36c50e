//! Form plumbing shared by staff pages: a form extractor with Russian errors, and the field
//! list a form template renders.

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// Like `axum::Form`, but an unreadable form becomes a Russian message, never a bare 4xx.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(e) => {
                tracing::debug!(error = %e, "unreadable form");
                Err(AppError::bad(
                    "Форму не удалось прочитать: проверьте, что все поля заполнены правильно, и отправьте её снова.",
                ))
            }
        }
    }
}

/// One input of a form as the template shows it.
pub struct Field {
    pub name: &'static str,
    /// Key of the interface string used as the label.
    pub label: &'static str,
    pub value: String,
    /// `text`, `email`, `tel`, `url`, `password`, `textarea`, `select`, `checkbox` or `file`
    /// (several files; the value is what the picker offers, as an `accept` list).
    pub kind: &'static str,
    /// (value, label) pairs of a `select`.
    pub options: Vec<(String, String)>,
    pub required: bool,
    pub hint: Option<&'static str>,
    pub error: Option<String>,
}

impl Field {
    pub fn new(name: &'static str, label: &'static str, value: &str, kind: &'static str) -> Field {
        Field {
            name,
            label,
            value: value.to_string(),
            kind,
            options: Vec::new(),
            required: false,
            hint: None,
            error: None,
        }
    }
    pub fn select(name: &'static str, label: &'static str, value: &str, options: Vec<(String, String)>) -> Field {
        Field { options, ..Field::new(name, label, value, "select") }
    }
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub fn hint(mut self, key: &'static str) -> Field {
        self.hint = Some(key);
        self
    }
}

/// Attaches each (field, message) error to its field; returns the ones that matched none.
pub fn attach_errors(fields: &mut [Field], errors: Vec<(&'static str, String)>) -> Vec<String> {
    let mut rest = Vec::new();
    for (name, msg) in errors {
        match fields.iter_mut().find(|f| f.name == name) {
            Some(f) => f.error = Some(msg),
            None => rest.push(msg),
        }
    }
    rest
}
