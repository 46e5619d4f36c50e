//! The public page of the bodies' openness index, when the portal turns it on.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render;

use super::{board_lines, parameter_titles};
use crate::board::Line;
use crate::methodology::Methodology;

#[derive(Template)]
#[template(path = "compliance/public.html")]
pub struct PublicPage {
    pub c: Chrome,
    pub m: Methodology,
    pub en: bool,
    pub params: Vec<String>,
    pub lines: Vec<Line>,
}

/// Every body's index (no staff detail: the statuses behind it stay on the staff pages).
pub async fn page(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    if !state.cfg.compliance_public {
        return Err(AppError::NotFound);
    }
    let (m, mut lines) = board_lines(&state).await?;
    lines.retain(|l| l.score.is_some());
    let c = Chrome::new(&state, &v, v.t("compliance_public")).await;
    let params = parameter_titles(&m, &v);
    render(&PublicPage { c, en: v.lang == shell::i18n::Lang::En, m, params, lines })
}
