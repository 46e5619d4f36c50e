//! Requests for new open datasets: the public page lists every request with its answer and
//! takes new ones (consent, a hidden field for robots, a per-address limit, the text given back
//! on every refusal); a body's publishers answer them before the deadline.

use std::net::SocketAddr;

use crate::requests::{self, Request, RequestForm};
use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form};
use shell::public_form::{self, Limit, Refusal};
use shell::render::render_refused;
use shell::step::{ItemError, Step};

const LIMIT: Limit = Limit {
    bucket: "dataset_request",
    per_address: 5,
    window_ms: 10 * 60 * 1000,
    field: "title",
    message: "с вашего адреса отправлено много запросов подряд: подождите 10 минут и отправьте ещё раз",
};

fn page_url(state: &AppState) -> String {
    format!("{}/opendata/requests", state.cfg.public_url.trim_end_matches('/'))
}

#[derive(Template)]
#[template(path = "public/opendata_requests.html")]
pub struct RequestsPage {
    pub c: Chrome,
    pub requests: Vec<(Request, String)>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub sent: bool,
    pub days: i64,
}

impl RequestsPage {
    pub fn date(&self, iso: &str) -> String {
        iso.parse::<deadlines::Date>().map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default()
    }
}

async fn requests_page(
    state: &AppState,
    v: &Visitor,
    f: &RequestForm,
    refusal: Option<Refusal>,
    sent: bool,
) -> AppResult<Response> {
    let dir = state.directory().await?;
    let names: std::collections::HashMap<i64, String> =
        dir.bodies.iter().map(|b| (b.id, b.full_name.clone())).collect();
    let list = requests::list(&state.db, None).await?;
    let requests = list.into_iter().map(|r| (r.clone(), names.get(&r.body_id).cloned().unwrap_or_default())).collect();
    let t = |k| v.t(k).to_string();
    let choose = vec![(String::new(), t("choose_body"))];
    let mut fields = vec![
        Field::select_prepared("body", "request_body", &f.body, choose, dir.body_options.clone()).required(),
        Field::new("title", "request_title", &f.title, "text").required(),
        Field::new("description", "request_description", &f.description, "textarea"),
        Field::new("author_name", "comment_author", &f.author_name, "text").hint("comment_author_hint"),
        Field::new("email", "comment_email", &f.email, "email").hint("comment_email_hint"),
        Field::new("consent", "answer_consent", &f.consent, "checkbox").required(),
    ];
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let section = v.t("opendata");
    let title = v.t("dataset_requests");
    let c = Chrome::new(state, v, title).await.crumb(section, "/opendata/").crumb(title, "");
    let days = state.cfg.opendata_request_days;
    public_form::respond(&RequestsPage { c, requests, fields, errors, sent, days }, status)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

pub async fn public_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<SentQuery>,
) -> AppResult<Response> {
    requests_page(&state, &v, &RequestForm::default(), None, q.sent == "1").await
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(f): Form<RequestForm>,
) -> AppResult<Response> {
    let thanks = "/opendata/requests?sent=1#request-form";
    if !f.website.is_empty() {
        return Ok(Redirect::to(thanks).into_response());
    }
    let choices: Vec<(i64, String)> = state.directory().await?.bodies.iter().map(|b| (b.id, b.slug.clone())).collect();
    let new = match requests::validate(&f, &choices) {
        Ok(n) => n,
        Err(e) => return requests_page(&state, &v, &f, Some(Refusal::Invalid(e)), false).await,
    };
    let now = state.clock.now_ms();
    if let Some(e) = LIMIT.check(&state, peer.ip(), now) {
        return requests_page(&state, &v, &f, Some(Refusal::TooMany(e)), false).await;
    }
    let (today, cal) = state.today_and_calendar().await?;
    let days = u32::try_from(state.cfg.opendata_request_days).unwrap_or(30);
    let term = deadlines::Term::calendar_days(days, deadlines::DayOffPolicy::Preceding);
    let due = cal.add(today, &term).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    requests::add(&state.db, now, due.date, &page_url(&state), &new).await?;
    Ok(Redirect::to(thanks).into_response())
}

#[derive(Template)]
#[template(path = "staff/dataset_requests.html")]
pub struct StaffPage {
    pub c: Chrome,
    pub body: Body,
    pub requests: Vec<Request>,
    pub decisions: Vec<(&'static str, &'static str)>,
    pub error: ItemError,
    pub today: String,
}

async fn staff_page(step: &Step, error: Option<(i64, String)>) -> AppResult<Response> {
    let Step { state, v, s, .. } = step;
    let mut list = requests::list(&state.db, Some(s.body.id)).await?;
    // Unanswered first, the nearest deadline first among them.
    list.sort_by_key(|r| (!r.decision.is_empty(), r.due_on.clone()));
    let (today, _) = state.today_and_calendar().await?;
    let title = v.t("dataset_requests");
    let c = super::datasets::staff_chrome(state, v, s, title).await;
    let failed = error.is_some();
    let page = StaffPage {
        c,
        body: s.body.clone(),
        requests: list,
        decisions: requests::DECISIONS.iter().map(|k| (*k, v.label("request_decision", k))).collect(),
        error: ItemError(error),
        today: today.to_string(),
    };
    render_refused(&page, failed)
}

pub async fn staff_list(step: Step) -> AppResult<Response> {
    staff_page(&step, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    decision: String,
    answer: String,
}

pub async fn answer(step: Step, Path((_, rid)): Path<(String, i64)>, Form(f): Form<AnswerForm>) -> AppResult<Response> {
    let list = requests::list(step.db(), Some(step.body().id)).await?;
    let before = list.iter().find(|r| r.id == rid).ok_or(AppError::NotFound)?;
    let page = page_url(&step.state);
    let done = requests::answer(step.db(), &step.actor(), step.now, &page, before, &f.decision, &f.answer).await;
    let to = |()| format!("{}?done=saved#r{rid}", step.page("opendata/requests"));
    step.answer(done, to, |message| staff_page(&step, Some((rid, message)))).await
}
