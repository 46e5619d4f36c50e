//! What runs around every request: the visitor's preferences and session, the CSRF check
//! on every form, error pages, metrics.

use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{ACCEPT, CONNECTION, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::chrome::{A11y, Chrome, Visitor};
use crate::cookies;
use crate::error::{AppError, ErrorInfo};
use crate::i18n::Lang;
use crate::render::ErrorPage;
use crate::state::AppState;

/// Largest form body accepted.
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;
/// Largest file upload (multipart) body accepted; each mechanism checks its own, smaller limits.
pub const UPLOAD_LIMIT: usize = 12 * 1024 * 1024;

pub async fn visitor(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let lang = match cookies::get(headers, cookies::LANG).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Ru,
    };
    let a11y = cookies::get(headers, cookies::A11Y).and_then(|v| A11y::decode(&v));
    let existing_csrf =
        cookies::get(headers, cookies::CSRF).filter(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()));
    let new_csrf = existing_csrf.is_none();
    let cookie_csrf = existing_csrf.unwrap_or_else(kernel::staff::random_token);
    let mut staff = None;
    let mut csrf = cookie_csrf.clone();
    if let Some(token) = cookies::get(headers, cookies::SESSION) {
        match state.staff_of(&token).await {
            Ok(s) => staff = s,
            Err(e) => tracing::error!(error = ?e, "cannot read the session"),
        }
        // Signed in, the token is the session's own: a cookie planted by another site (or
        // known from before the sign-in) is worth nothing.
        if staff.is_some() {
            csrf = session_csrf(&token);
        }
    }
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    req.extensions_mut().insert(Visitor {
        lang,
        a11y,
        csrf: csrf.clone(),
        path,
        staff,
        strings: state.strings.clone(),
    });
    let signed_in = req.extensions().get::<Visitor>().is_some_and(|v| v.staff.is_some());
    req.extensions_mut().insert(CsrfCookie { present: !new_csrf || signed_in });
    let mut resp = next.run(req).await;
    if new_csrf {
        let c = cookies::set(cookies::CSRF, &cookie_csrf, None, state.cfg.secure_cookies());
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(SET_COOKIE, v);
        }
    }
    resp
}

/// Reads a request's whole body before any handler sees it, so that no client can hold a
/// request open by sending slowly or announce more than the server takes: a body whose declared
/// length is over the limit is refused at once, unread; one that goes over it while arriving,
/// or does not arrive whole within `body_timeout_secs`, is refused too, and the connection closed.
pub async fn body(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if axum::body::HttpBody::is_end_stream(req.body()) {
        return next.run(req).await;
    }
    let multipart = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = if multipart || is_api(req.uri().path()) { UPLOAD_LIMIT } else { FORM_LIMIT };
    let too_large = || {
        let message = if multipart {
            format!("Файл слишком большой: можно загрузить не больше {} МБ.", UPLOAD_LIMIT / 1_048_576 - 2)
        } else {
            "Форма слишком большая: сократите текст и отправьте снова.".to_string()
        };
        closing(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
    };
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    let (parts, body) = req.into_parts();
    let within = std::time::Duration::from_secs(state.cfg.body_timeout_secs);
    let bytes = match tokio::time::timeout(within, to_bytes(body, limit)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => return too_large(),
        Err(_) => {
            return closing(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "Данные передавались слишком долго, и сервер перестал их ждать. Отправьте форму снова.".to_string(),
            );
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// An error that ends the connection (the rest of what the client sends is not read).
fn closing(status: StatusCode, code: &'static str, message: String) -> Response {
    let mut resp = crate::error::error_response(
        status,
        ErrorInfo { code, title_key: "bad_request_title", message, field: None, reference: None },
    );
    resp.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    resp
}

/// The CSRF token of a signed-in session, derived from its secret (which only the browser holds,
/// in an HttpOnly cookie).
pub fn session_csrf(session_token: &str) -> String {
    kernel::staff::sha256_hex(&format!("csrf|{session_token}"))
}

#[derive(Clone, Copy)]
struct CsrfCookie {
    present: bool,
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The one-click unsubscribe of RFC 8058: a mail program POSTs to the address of a letter's
/// `List-Unsubscribe` header with no cookie and no token. The address carries its own secret,
/// which a forger cannot know, so the CSRF check has nothing to add there.
fn is_one_click_unsubscribe(path: &str) -> bool {
    path.strip_prefix("/mailing/unsubscribe/").is_some_and(|t| !t.is_empty() && !t.contains('/'))
}

/// Every form POST must carry the visitor's CSRF token (double-submit: a cookie and a hidden
/// field). The API is token-authenticated and exempt, and so is the one-click unsubscribe.
pub async fn csrf(req: Request, next: Next) -> Response {
    // Every route answers GET or POST: another method meets the router's 405 and no handler.
    let path = req.uri().path();
    if *req.method() != Method::POST || is_api(path) || is_one_click_unsubscribe(path) {
        return next.run(req).await;
    }
    if !same_origin(&req) {
        return AppError::Csrf.into_response();
    }
    let expected = req.extensions().get::<Visitor>().map(|v| v.csrf.clone()).unwrap_or_default();
    let cookie_present = req.extensions().get::<CsrfCookie>().is_some_and(|c| c.present);
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    let multipart_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.starts_with("multipart/form-data"))
        .map(str::to_string);
    let (parts, body) = req.into_parts();
    // The `body` layer has already read it whole, within its limit.
    let bytes = match to_bytes(body, UPLOAD_LIMIT).await {
        Ok(b) => b,
        Err(_) => return AppError::bad("Форма слишком большая: сократите текст и отправьте снова.").into_response(),
    };
    let sent = if is_form {
        url::form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned())
    } else if let Some(ct) = multipart_type {
        multipart_csrf(&ct, bytes.clone()).await.or(header_token)
    } else {
        header_token
    };
    let ok = cookie_present
        && sent.is_some_and(|s| s.len() == expected.len() && constant_time_eq(s.as_bytes(), expected.as_bytes()));
    if !ok {
        return AppError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Whether a form comes from the portal's own pages, as far as the browser says: a browser sends
/// `Sec-Fetch-Site` and `Origin` with every form, and neither may name another site (a sibling
/// subdomain is another site too). Clients that send neither (scripts, old browsers) rely on the
/// token alone.
fn same_origin(req: &Request) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if matches!(header("sec-fetch-site"), Some("cross-site" | "same-site")) {
        return false;
    }
    let Some(origin) = header("origin") else { return true };
    let host = header("host").unwrap_or_default();
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or_default();
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

/// The `csrf` field of a multipart form (file uploads from plain HTML forms).
async fn multipart_csrf(content_type: &str, bytes: axum::body::Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures::stream::once(async move { Ok::<_, std::convert::Infallible>(bytes) });
    let mut mp = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = mp.next_field().await {
        if field.name() == Some("csrf") {
            return field.text().await.ok();
        }
    }
    None
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn wants_json(req_path: &str, accept: Option<&str>) -> bool {
    is_api(req_path)
        || req_path.ends_with(".json")
        || accept.is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

/// Turns error responses into pages (or JSON): a handler's `ErrorInfo`, or any bare 4xx/5xx
/// that axum itself produced (unknown method, unreadable form).
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let visitor = req.extensions().get::<Visitor>().cloned();
    let json = wants_json(req.uri().path(), req.headers().get(ACCEPT).and_then(|v| v.to_str().ok()));
    let resp = next.run(req).await;
    let status = resp.status();
    if status.as_u16() < 400 {
        return resp;
    }
    let info = match resp.extensions().get::<ErrorInfo>() {
        Some(i) => i.clone(),
        None => {
            let is_rendered_html = resp
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
            if is_rendered_html {
                return resp;
            }
            generic_info(status)
        }
    };
    let mut headers = resp.headers().clone();
    headers.remove(CONTENT_TYPE);
    headers.remove(axum::http::header::CONTENT_LENGTH);
    let mut out = if json {
        let message = if info.message.is_empty() {
            state.strings.t(Lang::Ru, info.title_key).to_string()
        } else {
            info.message.clone()
        };
        let mut body = serde_json::json!({ "code": info.code, "message": message, "field": info.field });
        if let Some(r) = &info.reference {
            body["reference"] = serde_json::Value::from(r.clone());
        }
        (status, axum::Json(body)).into_response()
    } else {
        let v = visitor.unwrap_or(Visitor {
            lang: Lang::Ru,
            a11y: None,
            csrf: String::new(),
            path: "/".into(),
            staff: None,
            strings: state.strings.clone(),
        });
        let mut c = Chrome::new(&state, &v, "").await;
        c.title = c.t(info.title_key).to_string();
        let bodies = if status == StatusCode::NOT_FOUND {
            state.directory().await.map(|d| d.top().cloned().collect()).unwrap_or_default()
        } else {
            Vec::new()
        };
        let page = ErrorPage { c, status: status.as_u16(), info: info.clone(), bodies };
        match askama::Template::render(&page) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "cannot render the error page");
                (status, "Ошибка / Error").into_response()
            }
        }
    };
    for (k, v) in headers.iter() {
        if k == SET_COOKIE || k == CONNECTION || k == axum::http::header::RETRY_AFTER || k == axum::http::header::ALLOW
        {
            out.headers_mut().append(k, v.clone());
        }
    }
    out
}

fn generic_info(status: StatusCode) -> ErrorInfo {
    let (code, title_key, message) = match status.as_u16() {
        404 => ("not_found", "not_found_title", ""),
        403 => ("forbidden", "forbidden_title", ""),
        405 => ("method_not_allowed", "bad_request_title", "Этот адрес не принимает такой запрос."),
        413 => ("too_large", "bad_request_title", "Отправленные данные слишком велики."),
        415 => ("unsupported_media_type", "bad_request_title", "Данные отправлены в неподдерживаемом формате."),
        422 | 400 => {
            ("bad_request", "bad_request_title", "Проверьте заполнение полей: часть данных не удалось прочитать.")
        }
        429 => ("too_many_requests", "too_many_title", ""),
        s if s >= 500 => ("internal", "error_title", ""),
        _ => ("bad_request", "bad_request_title", ""),
    };
    ErrorInfo { code, title_key, message: message.to_string(), field: None, reference: None }
}

/// Measures every request for `/metrics`, and runs the mechanisms' counts around it (outside the
/// page cache, so cached pages count too: `crate::around`).
pub async fn metrics(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route =
        req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "(unmatched)".into());
    let seen = (req.method() == Method::GET && state.counts_requests()).then(|| crate::around::Seen::of(&req));
    let resp = next.run(req).await;
    if let Some(seen) = seen
        && resp.status() == StatusCode::OK
    {
        state.count(&seen, &resp);
    }
    state.metrics.observe(&method, &route, resp.status().as_u16(), start.elapsed().as_secs_f64() * 1000.0);
    resp
}

/// What every page may load: its own stylesheet and images, nothing else; no script runs (the
/// pages need none, so a script an attacker slips in does not run either); no other site may
/// frame a page, and forms go only to the portal. (`connect-src 'self'` lets a browser's own tools,
/// such as Lighthouse reading robots.txt, fetch from the portal; no page script exists to use it.)
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// Security headers on every response; staff pages (which show people's names and addresses)
/// are never stored by a browser or a proxy.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let staff = req.uri().path().starts_with("/staff");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    // A page may ask for less (the tracking page of an appeal sends no referrer at all).
    h.entry("referrer-policy").or_insert(HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if state.cfg.secure_cookies() {
        h.insert("strict-transport-security", HeaderValue::from_static("max-age=31536000"));
    }
    if staff {
        h.insert(axum::http::header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    resp
}

/// A panic in a handler becomes the 500 page, not a dropped connection.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::Internal(anyhow::anyhow!("a request handler panicked")).into_response()
}
