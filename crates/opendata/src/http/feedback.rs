//! Reports of errors in open data: the public page of a dataset's reports with the form (row and
//! column optional; consent, a hidden field for robots, a per-address limit, the text given back
//! on every refusal), and the publishers' page where each report is accepted or rejected and an
//! accepted one closed with the version that fixes it.

use std::net::SocketAddr;

use crate::feedback::{self, Decision, Report, ReportForm};
use crate::store::{self, DataVersion, Dataset};
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
    bucket: "dataset_report",
    per_address: 5,
    window_ms: 10 * 60 * 1000,
    field: "text",
    message: "с вашего адреса отправлено много сообщений подряд: подождите 10 минут и отправьте ещё раз",
};

fn page_url(state: &AppState, identifier: &str) -> String {
    format!("{}/feedback", crate::publish::folder(&state.cfg.public_url, identifier))
}

/// A published dataset with its data versions, the newest last, and its current field names.
async fn published(state: &AppState, identifier: &str) -> AppResult<(Dataset, Vec<DataVersion>, Vec<String>)> {
    let dataset =
        store::by_identifier(&state.db, identifier).await?.filter(|d| d.published).ok_or(AppError::NotFound)?;
    let versions = store::versions(&state.db, dataset.id).await?;
    let structures = store::structures(&state.db, dataset.id).await?;
    let fields = versions
        .last()
        .and_then(|v| structures.iter().find(|s| s.id == v.structure_id))
        .map(|s| s.structure.fields.iter().map(|f| f.name.clone()).collect())
        .unwrap_or_default();
    Ok((dataset, versions, fields))
}

#[derive(Template)]
#[template(path = "public/dataset_feedback.html")]
pub struct PublicPage {
    pub c: Chrome,
    pub dataset: Dataset,
    pub reports: Vec<Report>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub sent: bool,
    pub days: i64,
}

impl PublicPage {
    pub fn date(&self, iso: &str) -> String {
        iso.parse::<deadlines::Date>().map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default()
    }
}

async fn public_page_with(
    state: &AppState,
    v: &Visitor,
    (dataset, _, names): (Dataset, Vec<DataVersion>, Vec<String>),
    f: &ReportForm,
    refusal: Option<Refusal>,
    sent: bool,
) -> AppResult<Response> {
    let reports = feedback::for_dataset(&state.db, dataset.id).await?;
    let t = |k| v.t(k).to_string();
    let mut columns = vec![(String::new(), t("report_any_field"))];
    columns.extend(names.iter().map(|n| (n.clone(), n.clone())));
    let mut fields = vec![
        Field::new("text", "report_text", &f.text, "textarea").required(),
        Field::new("row", "report_row", &f.row, "text").hint("report_row_hint"),
        Field::select("field", "report_field", &f.field, columns),
        Field::new("author_name", "comment_author", &f.author_name, "text").hint("comment_author_hint"),
        Field::new("email", "comment_email", &f.email, "email").hint("comment_email_hint"),
        Field::new("consent", "answer_consent", &f.consent, "checkbox").required(),
    ];
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let section = v.t("opendata");
    let title = v.t("data_error_reports");
    let c = Chrome::new(state, v, format!("{title}: {}", dataset.title))
        .await
        .crumb(section, "/opendata/")
        .crumb(dataset.title.clone(), format!("/opendata/{}/", dataset.identifier))
        .crumb(title, "");
    let days = state.cfg.opendata_report_days;
    public_form::respond(&PublicPage { c, dataset, reports, fields, errors, sent, days }, status)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

pub async fn public_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(identifier): Path<String>,
    Query(q): Query<SentQuery>,
) -> AppResult<Response> {
    let found = published(&state, &identifier).await?;
    public_page_with(&state, &v, found, &ReportForm::default(), None, q.sent == "1").await
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(identifier): Path<String>,
    Form(f): Form<ReportForm>,
) -> AppResult<Response> {
    let found = published(&state, &identifier).await?;
    let thanks = format!("/opendata/{identifier}/feedback?sent=1#report-form");
    if !f.website.is_empty() {
        return Ok(Redirect::to(&thanks).into_response());
    }
    let new = match feedback::validate(&f, &found.2, found.1.last()) {
        Ok(n) => n,
        Err(e) => return public_page_with(&state, &v, found, &f, Some(Refusal::Invalid(e)), false).await,
    };
    let now = state.clock.now_ms();
    if let Some(e) = LIMIT.check(&state, peer.ip(), now) {
        return public_page_with(&state, &v, found, &f, Some(Refusal::TooMany(e)), false).await;
    }
    let (today, cal) = state.today_and_calendar().await?;
    let days = u32::try_from(state.cfg.opendata_report_days).unwrap_or(30);
    let term = deadlines::Term::calendar_days(days, deadlines::DayOffPolicy::Preceding);
    let due = cal.add(today, &term).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let seen = found.1.last().map(|v| v.stamp.clone()).unwrap_or_default();
    feedback::add(&state.db, now, due.date, &page_url(&state, &identifier), &found.0, &seen, &new).await?;
    Ok(Redirect::to(&thanks).into_response())
}

/// A report as the publishers' page shows it, with the decisions open to it.
pub struct Item {
    pub report: Report,
    pub dataset: Dataset,
    pub steps: Vec<(&'static str, &'static str)>,
    /// Versions newer than the one the reporter saw: the candidates for the fix.
    pub fixes: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff/dataset_feedback.html")]
pub struct StaffPage {
    pub c: Chrome,
    pub body: Body,
    pub items: Vec<Item>,
    pub error: ItemError,
    pub today: String,
}

async fn staff_page(step: &Step, error: Option<(i64, String)>) -> AppResult<Response> {
    let Step { state, v, s, .. } = step;
    let reports = feedback::for_body(&state.db, s.body.id).await?;
    let datasets = store::for_body(&state.db, s.body.id).await?;
    let mut items = Vec::new();
    for report in reports {
        let Some(dataset) = datasets.iter().find(|d| d.id == report.dataset_id).cloned() else { continue };
        let steps = feedback::next_steps(&report.status)
            .iter()
            .map(|k| (*k, v.label("feedback_status", k)))
            .collect::<Vec<_>>();
        let fixes = if steps.iter().any(|(k, _)| *k == "fixed") {
            let versions = store::versions(&state.db, dataset.id).await?;
            versions.into_iter().map(|v| v.stamp).filter(|st| st.as_str() > report.version_stamp.as_str()).collect()
        } else {
            Vec::new()
        };
        items.push(Item { report, dataset, steps, fixes });
    }
    let (today, _) = state.today_and_calendar().await?;
    let title = v.t("data_error_reports");
    let c = super::datasets::staff_chrome(state, v, s, title).await;
    let failed = error.is_some();
    render_refused(
        &StaffPage { c, body: s.body.clone(), items, error: ItemError(error), today: today.to_string() },
        failed,
    )
}

pub async fn staff_list(step: Step) -> AppResult<Response> {
    staff_page(&step, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    status: String,
    response: String,
    fixed_stamp: String,
}

pub async fn decide(
    step: Step,
    Path((_, fid)): Path<(String, i64)>,
    Form(f): Form<DecisionForm>,
) -> AppResult<Response> {
    let list = feedback::for_body(step.db(), step.body().id).await?;
    let before = list.iter().find(|r| r.id == fid).ok_or(AppError::NotFound)?;
    let dataset = store::by_id(step.db(), before.dataset_id).await?.ok_or(AppError::NotFound)?;
    let versions = store::versions(step.db(), dataset.id).await?;
    let page = page_url(&step.state, &dataset.identifier);
    let d = Decision { status: &f.status, response: &f.response, fixed_stamp: &f.fixed_stamp };
    let done = feedback::decide(step.db(), &step.actor(), step.now, &page, before, &versions, &d).await;
    let to = |()| format!("{}?done=saved#f{fid}", step.page("opendata/feedback"));
    step.answer(done, to, |message| staff_page(&step, Some((fid, message)))).await
}
