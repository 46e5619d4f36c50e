//! Form plumbing shared by staff pages: a form extractor with Russian errors, and the field
//! list a form template renders.

use std::sync::Arc;

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

/// The fields of a form whose names are built by the page (`m12_text`, `f3_name`): read into a
/// map once, so each look-up is constant work however many fields a request sends. The first
/// value of a repeated name wins, as a browser sends one.
pub struct Fields(std::collections::HashMap<String, String>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        let mut map = std::collections::HashMap::new();
        for (k, v) in url::form_urlencoded::parse(body) {
            map.entry(k.into_owned()).or_insert_with(|| v.into_owned());
        }
        Fields(map)
    }

    /// The field's value, trimmed; empty when the form has no such field.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(|v| v.trim()).unwrap_or_default()
    }

    /// The field's value as sent.
    pub fn raw(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

/// One input of a form as the template shows it.
pub struct Field {
    pub name: &'static str,
    /// Key of the interface string used as the label.
    pub label: &'static str,
    pub value: String,
    /// `text`, `email`, `tel`, `url`, `password`, `textarea`, `select`, `checkbox`, `file`
    /// (several files; the value is what the picker offers, as an `accept` list) or `onefile`
    /// (one file, the same way).
    pub kind: &'static str,
    /// (value, label) pairs of a `select`.
    pub options: Vec<(String, String)>,
    /// Then options written once and kept (a long list that changes rarely: the bodies).
    pub prepared: Arc<[Prepared]>,
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
            prepared: Arc::new([]),
            required: false,
            hint: None,
            error: None,
        }
    }
    pub fn select(name: &'static str, label: &'static str, value: &str, options: Vec<(String, String)>) -> Field {
        Field { options, ..Field::new(name, label, value, "select") }
    }
    /// A `select` whose options after `first` are kept, escaped once.
    pub fn select_prepared(
        name: &'static str,
        label: &'static str,
        value: &str,
        first: Vec<(String, String)>,
        prepared: Arc<[Prepared]>,
    ) -> Field {
        Field { prepared, ..Field::select(name, label, value, first) }
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

/// An `<option>` of a `select`, its markup written (and escaped) once: a page with a long list
/// that rarely changes copies it instead of escaping every name on every view.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub value: String,
    /// `<option value="…"`, then ` selected` when it is the field's value, then `close`.
    pub open: String,
    pub close: String,
}

impl Prepared {
    pub fn new(value: &str, label: &str) -> Prepared {
        Prepared {
            value: value.to_string(),
            open: format!("<option value=\"{}\"", escape(value)),
            close: format!(">{}</option>", escape(label)),
        }
    }
}

/// Text for HTML, in an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether a form came back refused: a field has its error, or the form one about no field. The
/// error summary and the page's title say so.
pub fn refused(fields: &[Field], errors: &[String]) -> bool {
    !errors.is_empty() || fields.iter().any(|f| f.error.is_some())
}

/// Attaches each (field, message) error to its field; returns the ones that matched none.
pub fn attach_errors(fields: &mut [Field], errors: Vec<(&'static str, String)>) -> Vec<String> {
    let mut rest = Vec::new();
    for (name, msg) in errors {
        match fields.iter_mut().find(|f| f.name == name) {
            // Two problems with one field (two wrong files) are both said beside it.
            Some(f) => match &mut f.error {
                Some(e) => {
                    e.push_str("; ");
                    e.push_str(&msg);
                }
                None => f.error = Some(msg),
            },
            None => rest.push(msg),
        }
    }
    rest
}

/// A file as a form sent it.
pub struct Upload {
    pub name: String,
    pub bytes: bytes::Bytes,
}

/// A multipart form as sent: its text fields, and the files of the fields named in `files` (a
/// file field left empty is not there).
pub async fn multipart(
    mut mp: axum::extract::Multipart,
    files: &[&str],
) -> Result<(std::collections::HashMap<String, String>, std::collections::HashMap<String, Upload>), AppError> {
    let unreadable = || AppError::bad("Форму не удалось получить целиком: отправьте её ещё раз.");
    let (mut fields, mut uploads) = (std::collections::HashMap::new(), std::collections::HashMap::new());
    while let Some(field) = mp.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_string();
        if files.contains(&name.as_str()) {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|_| unreadable())?;
            if !file_name.is_empty() || !bytes.is_empty() {
                uploads.insert(name, Upload { name: file_name, bytes });
            }
        } else {
            let value = field.text().await.map_err(|_| unreadable())?;
            fields.insert(name, value);
        }
    }
    Ok((fields, uploads))
}

#[cfg(test)]
mod tests {
    use super::Prepared;

    #[test]
    fn a_prepared_option_is_escaped_once() {
        let o = Prepared::new("a\"b", "Центр «Забота» <b>&</b> 'x'");
        assert_eq!(o.open, "<option value=\"a&quot;b\"");
        assert_eq!(o.close, ">Центр «Забота» &lt;b&gt;&amp;&lt;/b&gt; &#39;x&#39;</option>");
    }
}
