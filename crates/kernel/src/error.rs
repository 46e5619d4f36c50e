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

    /// What to tell the person when the error is about what they typed (a form shows it again
    /// with this), or None when it is not (the error page says it).
    pub fn about_input(&self) -> Option<String> {
        match self {
            Error::Invalid { message, .. } | Error::Conflict { message, .. } => Some(message.clone()),
            Error::Form(list) => Some(list.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join("; ")),
            _ => None,
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

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn every_error_about_input_has_words_for_the_form_and_no_other_has() {
        let none_field = Error::Invalid { field: None, message: "срок уже истёк".into() };
        assert_eq!(
            none_field.about_input().as_deref(),
            Some("срок уже истёк"),
            "a message without a field is shown too"
        );
        let form = Error::Form(vec![("decision", "выберите решение".into()), ("answer", "напишите ответ".into())]);
        assert_eq!(form.about_input().as_deref(), Some("выберите решение; напишите ответ"));
        let taken = Error::Conflict { field: "slug", message: "адрес занят".into() };
        assert_eq!(taken.about_input().as_deref(), Some("адрес занят"));
        assert!(Error::Forbidden.about_input().is_none());
        assert!(Error::Internal(anyhow::anyhow!("disk")).about_input().is_none());
    }
}
