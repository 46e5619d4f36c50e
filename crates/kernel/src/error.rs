//! Business failures of the kernel, each with a stable code and a message a person can act on.

use std::fmt;

/// A failure the caller can explain to a person. Internals (SQL, IO) are kept as `Internal`
/// and never shown: the web layer logs them once and answers with a generic message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0} не найден(а)")]
    NotFound(&'static str),
    /// Input that does not fit the domain; `field` names the form field when there is one.
    #[error("{message}")]
    Invalid { field: Option<&'static str>, message: String },
    /// Several fields of one form are wrong at once.
    #[error("в форме есть ошибки")]
    Form(Vec<(&'static str, String)>),
    /// A uniqueness rule: the value is already taken.
    #[error("{message}")]
    Conflict { field: &'static str, message: String },
    #[error("недостаточно прав")]
    Forbidden,
    #[error("учётная запись временно заблокирована")]
    Locked { until_ms: i64 },
    #[error("внутренняя ошибка: {0:#}")]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: &'static str, message: impl fmt::Display) -> Self {
        Error::Invalid { field: Some(field), message: message.to_string() }
    }

    /// A stable snake_case code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not_found",
            Error::Invalid { .. } | Error::Form(_) => "invalid",
            Error::Conflict { .. } => "conflict",
            Error::Forbidden => "forbidden",
            Error::Locked { .. } => "locked",
            Error::Internal(_) => "internal",
        }
    }

    /// Every (field, message) pair this error carries, for a form to show beside its fields.
    pub fn field_errors(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::Form(list) => list.clone(),
            Error::Invalid { field: Some(f), message } | Error::Conflict { field: f, message } => {
                vec![(f, message.clone())]
            }
            _ => Vec::new(),
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => *field,
            Error::Conflict { field, .. } => Some(field),
            Error::Form(list) => list.first().map(|(f, _)| *f),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Internal(anyhow::Error::new(e))
    }
}

/// Turns a unique-constraint violation into a field error (never check-then-insert).
pub fn on_unique<'a>(field: &'static str, message: &'a str) -> impl FnOnce(sqlx::Error) -> Error + 'a {
    move |e| {
        let unique = match &e {
            sqlx::Error::Database(d) => {
                d.is_unique_violation()
                    || d.message().contains("UNIQUE constraint failed")
                    || d.code().as_deref() == Some("23505")
            }
            _ => false,
        };
        if unique { Error::Conflict { field, message: message.to_string() } } else { Error::from(e) }
    }
}
