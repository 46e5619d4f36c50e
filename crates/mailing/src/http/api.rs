//! The bounce webhook for mail providers that report bounces over HTTP: `POST
//! /api/mailing/bounces` with `Authorization: Bearer <mailing_bounce_secret>` and a JSON bounce
//! or list of them (`{"message_id", "recipient", "status": "5.1.1", "diagnostic"}`). It answers
//! how many matched a letter; bad input gets a structured JSON error.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use shell::AppState;
use shell::error::{AppError, AppResult};

use crate::bounces::{self, Bounce};

/// At most this many bounces in one call.
const MAX_BATCH: usize = 1000;

fn authorised(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(secret) = state.cfg.mailing_bounce_secret.as_deref() else { return false };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    given.len() == secret.len() && given.bytes().zip(secret.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

pub async fn bounces(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> AppResult<Response> {
    if !authorised(&state, &headers) {
        return Err(AppError::Forbidden);
    }
    let value: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| AppError::bad(format!("тело запроса — не JSON: {e}")))?;
    let list: Vec<Bounce> = match value {
        serde_json::Value::Array(_) => serde_json::from_value(value),
        other => serde_json::from_value(other).map(|b| vec![b]),
    }
    .map_err(|e| {
        AppError::bad(format!(
            "ожидается отказ вида {{\"message_id\", \"recipient\", \"status\", \"diagnostic\"}} или их список: {e}"
        ))
    })?;
    if list.len() > MAX_BATCH {
        return Err(AppError::bad(format!("не больше {MAX_BATCH} отказов за один запрос")));
    }
    if let Some(b) = list.iter().find(|b| !b.valid()) {
        return Err(AppError::BadRequest {
            message: format!(
                "status «{}» — не код отказа вида 5.1.1 или 4.2.2 (RFC 3463)",
                b.status.chars().take(20).collect::<String>()
            ),
            field: Some("status"),
        });
    }
    if let Some(b) = list.iter().find(|b| b.message_id.trim().is_empty() && b.recipient.trim().is_empty()) {
        return Err(AppError::BadRequest {
            message: format!("отказ {} не называет ни message_id, ни recipient", b.status),
            field: Some("message_id"),
        });
    }
    let now = state.clock.now_ms();
    let mut matched = 0;
    for b in &list {
        if bounces::apply(&state.db, now, state.cfg.job_max_attempts, b).await? {
            matched += 1;
        }
    }
    Ok(axum::Json(serde_json::json!({ "received": list.len(), "matched": matched })).into_response())
}
