//! The public page of the bodies' openness index, when the portal turns it on.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render;

use std::sync::Arc;

use super::parameter_titles;
use crate::board::Board;

#[derive(Template)]
#[template(path = "compliance/public.html")]
pub struct PublicPage {
    pub c: Chrome,
    pub b: Arc<Board>,
    pub en: bool,
    pub params: Vec<String>,
}

/// Every body's index (no staff detail: the statuses behind it stay on the staff pages).
pub async fn page(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    if !state.cfg.compliance_public {
        return Err(AppError::NotFound);
    }
    let b = super::board(&state).await?;
    let c = Chrome::new(&state, &v, v.t("compliance_public")).await;
    let params = parameter_titles(&b.m, &v);
    render(&PublicPage { c, en: v.lang == shell::i18n::Lang::En, b, params })
}
