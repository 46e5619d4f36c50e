//! Public statements (seed 000 §27): the declaration — the editors' page to load a year's table
//! from a spreadsheet; citizens' list of years and each year's declaration as HTML, .csv and
//! .docx — and the spending reports, loaded and published the same way per category and period.

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::Field;
use shell::render::{attachment, render, render_refused};
use shell::step::Step;

use super::{TableUpload, body_of, service_chrome};

/// The reports' service name and folder.
const REPORTS: (&str, &str) = ("service_reports", "reports");
use crate::reports::{self, Report};
use crate::statements::{self, Declaration, Sent};

#[derive(Template)]
#[template(path = "staff/declarations.html")]
pub struct StaffPage {
    pub c: Chrome,
    pub body: Body,
    pub years: Vec<(i32, String, i64)>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub upload: TableUpload,
}

async fn staff_page(step: &Step, sent: (&str, &str, &str), errors: Vec<(&'static str, String)>) -> AppResult<Response> {
    let years = statements::years(step.db(), step.body().id).await?;
    let year = if sent.0.is_empty() { step.today.year().to_string() } else { sent.0.to_string() };
    let mut fields = vec![
        Field::new("year", "declaration_year", &year, "number").required(),
        Field::new("title", "declaration_title", sent.1, "text").hint("declaration_title_hint"),
        Field::new("intro", "declaration_intro", sent.2, "textarea").hint("declaration_intro_hint"),
        Field::new("file", "declaration_file", ".csv,.xlsx,.xls,.ods", "onefile")
            .required()
            .hint("declaration_file_hint"),
    ];
    let refused = !errors.is_empty();
    let errors = shell::forms::attach_errors(&mut fields, errors);
    let c = step.chrome("desk_site", "site/", step.v.t("declaration_desk")).await;
    let upload = TableUpload::new(step.body(), "declarations", ("declaration_load", "declaration_columns"));
    render_refused(&StaffPage { c, body: step.body().clone(), years, fields, errors, upload }, refused)
}

/// The fields as checked and the table file sent in the form's `file` field, read by `read` off
/// the async workers: both, or everything wrong with either, each at its field.
async fn with_table<H, T: Send + 'static>(
    checked: Result<H, Vec<(&'static str, String)>>,
    file: Option<crate::content_store::Upload>,
    read: fn(&str, &[u8]) -> Result<T, Vec<String>>,
) -> AppResult<Result<(H, T), Vec<(&'static str, String)>>> {
    let table = match file {
        None => Err(vec!["выберите файл с таблицей".to_string()]),
        Some(f) => tokio::task::spawn_blocking(move || read(&f.name, &f.bytes))
            .await
            .map_err(|e| AppError::Internal(e.into()))?,
    };
    Ok(match (checked, table) {
        (Ok(h), Ok(t)) => Ok((h, t)),
        (h, t) => {
            let mut errors = h.err().unwrap_or_default();
            errors.extend(t.err().unwrap_or_default().into_iter().map(|e| ("file", e)));
            Err(errors)
        }
    })
}

pub async fn staff_list(step: Step) -> AppResult<Response> {
    staff_page(&step, ("", "", ""), vec![]).await
}

pub async fn load(step: Step, mp: Multipart) -> AppResult<Response> {
    let (fields, mut files) = shell::forms::multipart(mp, &["file"]).await?;
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
    let sent = (get("year"), get("title"), get("intro"));
    let checked = statements::check(&Sent { year: sent.0, title: sent.1, intro: sent.2 }, step.today.year());
    let (checked, rows) = match with_table(checked, files.remove("file"), statements::read).await? {
        Ok(both) => both,
        Err(errors) => return staff_page(&step, sent, errors).await,
    };
    let year = checked.0;
    statements::save(step.db(), &step.actor(), step.now, step.body().id, checked, rows).await?;
    Ok(axum::response::Redirect::to(&format!("{}?done=saved#y{year}", step.page("site/declarations"))).into_response())
}

use axum::response::IntoResponse;

#[derive(Template)]
#[template(path = "public/declarations.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    pub years: Vec<(i32, String, i64)>,
}

pub async fn list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let years = statements::years(&state.db, body.id).await?;
    let c = service_chrome(&state, &v, &body, ("service_declaration", "declaration"), None).await;
    render(&ListPage { c, body, years })
}

async fn found(state: &AppState, slug: &str, year: i32) -> AppResult<(Body, Declaration)> {
    let body = body_of(state, slug).await?;
    let d = statements::get(&state.db, body.id, year).await?.ok_or(AppError::NotFound)?;
    Ok((body, d))
}

#[derive(Template)]
#[template(path = "public/declaration.html")]
pub struct YearPage {
    pub c: Chrome,
    pub body: Body,
    pub d: Declaration,
}

pub async fn year(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, year)): Path<(String, i32)>,
) -> AppResult<Response> {
    let (body, d) = found(&state, &slug, year).await?;
    let c = service_chrome(&state, &v, &body, ("service_declaration", "declaration"), Some(&d.title)).await;
    render(&YearPage { c, body, d })
}

pub async fn csv(State(state): State<AppState>, Path((slug, year)): Path<(String, i32)>) -> AppResult<Response> {
    let (_, d) = found(&state, &slug, year).await?;
    let name = format!("declaration-{slug}-{year}.csv");
    Ok(attachment(d.csv().into(), &name, "text/csv; charset=utf-8", "public, max-age=60"))
}

pub async fn docx(State(state): State<AppState>, Path((slug, year)): Path<(String, i32)>) -> AppResult<Response> {
    let (body, d) = found(&state, &slug, year).await?;
    let bytes = d.docx(&body.full_name).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let name = format!("declaration-{slug}-{year}.docx");
    let media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    Ok(attachment(bytes.into(), &name, media, "public, max-age=60"))
}

#[derive(Template)]
#[template(path = "staff/reports.html")]
pub struct ReportsStaffPage {
    pub c: Chrome,
    pub body: Body,
    pub reports: Vec<Report>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub upload: TableUpload,
}

async fn reports_staff_page(
    step: &Step,
    sent: (&str, &str, &str),
    errors: Vec<(&'static str, String)>,
) -> AppResult<Response> {
    let reports = reports::list(step.db(), step.body().id).await?;
    let mut categories = vec![(String::new(), step.v.t("choose_body").to_string())];
    categories.extend(reports::CATEGORIES.iter().map(|(code, _)| (code.to_string(), category_label(&step.v, code))));
    let mut fields = vec![
        Field::select("category", "report_category", sent.0, categories).required(),
        Field::new("period", "report_period", sent.1, "text").required().hint("report_period_hint"),
        Field::new("title", "declaration_title", sent.2, "text").hint("report_title_hint"),
        Field::new("file", "report_file", ".csv,.xlsx,.xls,.ods", "onefile").required().hint("declaration_file_hint"),
    ];
    let refused = !errors.is_empty();
    let errors = shell::forms::attach_errors(&mut fields, errors);
    let c = step.chrome("desk_site", "site/", step.v.t("report_desk")).await;
    let upload = TableUpload::new(step.body(), "reports", ("report_load", "report_columns"));
    render_refused(&ReportsStaffPage { c, body: step.body().clone(), reports, fields, errors, upload }, refused)
}

/// A section's name in the visitor's language.
fn category_label(v: &Visitor, code: &str) -> String {
    v.t(&format!("report_cat_{code}")).to_string()
}

pub async fn reports_staff(step: Step) -> AppResult<Response> {
    reports_staff_page(&step, ("", "", ""), vec![]).await
}

pub async fn load_report(step: Step, mp: Multipart) -> AppResult<Response> {
    let (fields, mut files) = shell::forms::multipart(mp, &["file"]).await?;
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
    let sent = (get("category"), get("period"), get("title"));
    let read: fn(&str, &[u8]) -> Result<reports::Table, Vec<String>> =
        |name, bytes| statements::table_rows(name, bytes).and_then(|r| reports::table(&r));
    let (heading, table) = match with_table(reports::check(sent, step.today.year()), files.remove("file"), read).await?
    {
        Ok(both) => both,
        Err(errors) => return reports_staff_page(&step, sent, errors).await,
    };
    let id = reports::save(step.db(), &step.actor(), step.now, step.body().id, heading, table).await?;
    Ok(axum::response::Redirect::to(&format!("{}?done=saved#r{id}", step.page("site/reports"))).into_response())
}

#[derive(Template)]
#[template(path = "public/reports.html")]
pub struct ReportsPage {
    pub c: Chrome,
    pub body: Body,
    /// Each category of §27 with its reports, newest period first.
    pub groups: Vec<(String, Vec<Report>)>,
}

pub async fn reports_list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let all = reports::list(&state.db, body.id).await?;
    let groups = reports::CATEGORIES
        .iter()
        .map(|(code, _)| (category_label(&v, code), all.iter().filter(|r| r.category == *code).cloned().collect()))
        .collect();
    let c = service_chrome(&state, &v, &body, REPORTS, None).await;
    render(&ReportsPage { c, body, groups })
}

async fn report_found(state: &AppState, slug: &str, id: i64) -> AppResult<(Body, Report)> {
    let body = body_of(state, slug).await?;
    let r = reports::get(&state.db, body.id, id).await?.ok_or(AppError::NotFound)?;
    Ok((body, r))
}

#[derive(Template)]
#[template(path = "public/report.html")]
pub struct ReportPage {
    pub c: Chrome,
    pub body: Body,
    pub r: Report,
}

pub async fn report(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (body, r) = report_found(&state, &slug, id).await?;
    let c = service_chrome(&state, &v, &body, REPORTS, Some(&r.title)).await;
    render(&ReportPage { c, body, r })
}

pub async fn report_csv(State(state): State<AppState>, Path((slug, id)): Path<(String, i64)>) -> AppResult<Response> {
    let (_, r) = report_found(&state, &slug, id).await?;
    let name = format!("report-{slug}-{}-{}.csv", r.category, r.period);
    Ok(attachment(r.csv().into(), &name, "text/csv; charset=utf-8", "public, max-age=60"))
}

pub async fn report_docx(State(state): State<AppState>, Path((slug, id)): Path<(String, i64)>) -> AppResult<Response> {
    let (body, r) = report_found(&state, &slug, id).await?;
    let bytes = r.docx(&body.full_name).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let name = format!("report-{slug}-{}-{}.docx", r.category, r.period);
    let media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    Ok(attachment(bytes.into(), &name, media, "public, max-age=60"))
}
