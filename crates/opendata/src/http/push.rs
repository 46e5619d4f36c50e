//! The push API for information systems (seed 000 §23; seed 003 §3.3): a body's system sends a
//! new version of one of its datasets, as a CSV body or JSON rows, with a token of the body and,
//! if it wants safe retries, an `Idempotency-Key`. The version is checked exactly as an upload
//! from the staff page is; problems come back as JSON with line, column and message.
//! Staff make and revoke the tokens at `/staff/o/{slug}/opendata/tokens`.

use crate::{publish, store};
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kernel::audit::Actor;
use kernel::bodies::Body;
use kernel::staff::StaffUser;
use kernel::tokens::{self, Token};
use serde_json::{Value, json};

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render_refused;
use shell::staff::Scoped;
use shell::step::Step;

fn fail(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(json!({ "code": code, "message": message }))).into_response()
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PushQuery {
    provenance: String,
    valid_until: String,
}

/// JSON rows as the CSV of the structure: the header, then one line per row in field order.
fn rows_to_csv(structure: &opendata_format::Structure, rows: &[Value]) -> Result<String, String> {
    let names: Vec<&str> = structure.fields.iter().map(|f| f.name.as_str()).collect();
    let mut out = opendata_format::csv::row(&names);
    for (i, r) in rows.iter().enumerate() {
        let obj = r.as_object().ok_or_else(|| format!("строка {}: ожидается объект {{поле: значение}}", i + 1))?;
        if let Some(extra) = obj.keys().find(|k| !names.contains(&k.as_str())) {
            return Err(format!("строка {}: поля «{extra}» нет в структуре", i + 1));
        }
        let cells: Vec<String> = names
            .iter()
            .map(|n| match obj.get(*n) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            })
            .collect();
        out.push_str(&opendata_format::csv::row(&cells));
    }
    Ok(out)
}

pub async fn push(
    State(state): State<AppState>,
    Path(identifier): Path<String>,
    Query(q): Query<PushQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match push_inner(&state, &identifier, &q, &headers, body).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "push API failed");
            fail(StatusCode::INTERNAL_SERVER_ERROR, "internal", "внутренняя ошибка; запрос можно повторить")
        }
    }
}

async fn push_inner(
    state: &AppState,
    identifier: &str,
    q: &PushQuery,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, kernel::Error> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let presented = header(AUTHORIZATION.as_str())
        .map(|a| a.strip_prefix("Bearer ").unwrap_or(a))
        .or_else(|| header("x-api-key"))
        .filter(|t| !t.is_empty());
    let now = state.clock.now_ms();
    let Some(token) = presented else {
        return Ok(fail(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "нужен ключ доступа: заголовок Authorization: Bearer <ключ>",
        ));
    };
    let Some((token_id, body_id, name)) = tokens::authenticate(&state.db, now, token).await? else {
        return Ok(fail(StatusCode::UNAUTHORIZED, "unauthorized", "ключ доступа неверен или отозван"));
    };
    let Some(dataset) = store::by_identifier(&state.db, identifier).await? else {
        return Ok(fail(StatusCode::NOT_FOUND, "not_found", "такого набора данных нет"));
    };
    if dataset.body_id != body_id {
        return Ok(fail(StatusCode::FORBIDDEN, "forbidden", "ключ выдан другому органу"));
    }
    let is_json = header(CONTENT_TYPE.as_str()).is_some_and(|c| c.starts_with("application/json"));
    let (bytes, provenance, valid_until) = if is_json {
        let v: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return Ok(fail(StatusCode::BAD_REQUEST, "bad_json", &format!("тело — не JSON: {e}"))),
        };
        let Some(rows) = v.get("rows").and_then(Value::as_array) else {
            return Ok(fail(StatusCode::BAD_REQUEST, "bad_json", "ожидается {\"rows\": [{поле: значение}, …]}"));
        };
        let structure = store::structures(&state.db, dataset.id).await?.pop().map(|s| s.structure).unwrap_or_default();
        let csv = match rows_to_csv(&structure, rows) {
            Ok(c) => c,
            Err(m) => return Ok(fail(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &m)),
        };
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        (Bytes::from(csv), text("provenance"), text("valid_until"))
    } else {
        (body, q.provenance.clone(), q.valid_until.clone())
    };
    let stamp = publish::stamp_at(now, &state.timezone).ok_or(kernel::Error::Internal(anyhow::anyhow!("clock")))?;
    let actor = Actor { user_id: None, label: format!("API: {name} (ключ {token_id})") };
    let upload = store::Upload {
        bytes,
        provenance: &provenance,
        valid_until: &valid_until,
        idempotency_key: header("idempotency-key").filter(|k| !k.is_empty()),
    };
    match store::add_version(&state.db, &state.storage, &actor, now, stamp, &dataset, upload).await {
        Ok((report, Some(id))) => {
            let version = store::versions(&state.db, dataset.id).await?.into_iter().find(|v| v.id == id);
            let Some(v) = version else { return Err(kernel::Error::NotFound("версия")) };
            let file = format!("{}/{}", publish::folder(&state.cfg.public_url, &dataset.identifier), v.file_name());
            let body = json!({ "version": v.stamp, "structure": v.structure_stamp, "rows": report.rows, "file": file });
            Ok((StatusCode::CREATED, axum::Json(body)).into_response())
        }
        Ok((report, None)) => {
            let body = json!({
                "code": "invalid",
                "message": format!("данные не приняты: ошибок {}; опубликованная версия не изменилась", report.errors),
                "errors_total": report.errors,
                "errors": report.issues,
            });
            Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response())
        }
        Err(kernel::Error::Invalid { message, .. }) => Ok(fail(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &message)),
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "staff/tokens.html")]
pub struct TokensPage {
    pub c: Chrome,
    pub body: Body,
    pub tokens: Vec<Token>,
    /// A token just made: shown once.
    pub made: Option<String>,
    pub error: Option<String>,
}

async fn tokens_page(
    state: &AppState,
    v: &Visitor,
    s: &Scoped,
    made: Option<String>,
    error: Option<String>,
) -> AppResult<Response> {
    let tokens = tokens::for_body(&state.db, s.body.id).await?;
    let title = v.t("api_tokens");
    let c = super::datasets::staff_chrome(state, v, s, title).await;
    let failed = error.is_some();
    let mut resp = render_refused(&TokensPage { c, body: s.body.clone(), tokens, made, error }, failed)?;
    resp.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(resp)
}

pub async fn tokens_list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    tokens_page(&state, &v, &s, None, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    name: String,
}

pub async fn token_create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    shell::forms::Form(f): shell::forms::Form<TokenForm>,
) -> AppResult<Response> {
    match tokens::create(&state.db, &user.actor(), state.clock.now_ms(), s.body.id, &f.name).await {
        Ok((_, token)) => tokens_page(&state, &v, &s, Some(token), None).await,
        Err(e) => match e.about_input() {
            Some(message) => tokens_page(&state, &v, &s, None, Some(message)).await,
            None => Err(e.into()),
        },
    }
}

pub async fn token_revoke(step: Step, Path((_, tid)): Path<(String, i64)>) -> AppResult<Response> {
    let list = tokens::for_body(step.db(), step.body().id).await?;
    let token = list.iter().find(|t| t.id == tid).ok_or(AppError::NotFound)?;
    let done = tokens::revoke(step.db(), &step.actor(), step.now, token).await;
    let to = |()| format!("{}?done=saved", step.page("opendata/tokens"));
    step.answer(done, to, |message| tokens_page(&step.state, &step.v, &step.s, None, Some(message))).await
}
