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

/// JSON to put inside a `<script type="…json">` block: `<`, `>` and `&` (and the two line
/// separators JavaScript reads as line ends) written as escapes, so no text a body or a citizen
/// wrote can close the block or open a comment in it; the JSON means the same.
pub fn json_for_script(value: &serde_json::Value) -> String {
    let mut out = String::new();
    for c in value.to_string().chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
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

/// A file to download (never shown inline), named for the browser in ASCII and in UTF-8, with
/// its media type and how it may be cached.
pub fn attachment(bytes: bytes::Bytes, name: &str, media_type: &'static str, cache: &'static str) -> Response {
    use axum::http::HeaderValue;
    use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }).collect();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", encoded.replace('+', "%20"));
    if let Ok(h) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, h);
    }
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    resp
}

#[cfg(test)]
mod tests {
    use super::json_for_script;

    #[test]
    fn json_in_a_script_block_cannot_close_it() {
        let v = serde_json::json!({ "title": "<!--<script>alert(1)</script> & \u{2028}" });
        let text = json_for_script(&v);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).expect("still JSON"), v);
    }
}
