//! The officials' income and property tables (seed 000 §15): the editors' page to load a year's
//! table, see it as it will be published and remove it with a reason; citizens' list of years and
//! each year's table, searchable by name or position — public only when the portal's setting says
//! so (Указ № 968 suspended publication: off by default), and then only its latest years if the
//! portal keeps fewer.

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::Field;
use shell::render::{render, render_refused};
use shell::step::Step;

use super::{TableUpload, body_of, service_chrome};

/// The service's name and folder.
const SERVICE: (&str, &str) = ("service_income", "income");
use crate::income::{self, Entry, Table, Year};

#[derive(Template)]
#[template(path = "staff/income.html")]
pub struct StaffPage {
    pub c: Chrome,
    pub body: Body,
    pub years: Vec<(i32, String, i64)>,
    pub published: bool,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub upload: TableUpload,
}

async fn staff_page(step: &Step, year: &str, errors: Vec<(&'static str, String)>) -> AppResult<Response> {
    let years = income::years(step.db(), step.body().id).await?;
    let year = if year.is_empty() { (step.today.year() - 1).to_string() } else { year.to_string() };
    let mut fields = vec![
        Field::new("year", "income_year", &year, "number").required(),
        Field::new("file", "declaration_file", ".csv,.xlsx,.xls,.ods,.docx", "onefile")
            .required()
            .hint("income_file_hint"),
    ];
    let refused = !errors.is_empty();
    let errors = shell::forms::attach_errors(&mut fields, errors);
    let c = step.chrome("desk_site", "site/", step.v.t("income_desk")).await;
    let published = step.state.cfg.income_published;
    let upload = TableUpload::new(step.body(), "income", ("income_load", "income_columns"));
    render_refused(&StaffPage { c, body: step.body().clone(), years, published, fields, errors, upload }, refused)
}

pub async fn staff_list(step: Step) -> AppResult<Response> {
    staff_page(&step, "", vec![]).await
}

pub async fn load(step: Step, mp: Multipart) -> AppResult<Response> {
    let (fields, mut files) = shell::forms::multipart(mp, &["file"]).await?;
    let sent = fields.get("year").cloned().unwrap_or_default();
    let read = match files.remove("file") {
        None => Err(vec!["выберите файл с таблицей".to_string()]),
        Some(f) => tokio::task::spawn_blocking(move || income::read(&f.name, &f.bytes))
            .await
            .map_err(|e| AppError::Internal(e.into()))?,
    };
    let read = match read {
        Ok(r) => r,
        Err(e) => return staff_page(&step, &sent, e.into_iter().map(|e| ("file", e)).collect()).await,
    };
    let year = match income::check_year(&sent, read.year, step.today.year()) {
        Ok(y) => y,
        Err(e) => return staff_page(&step, &sent, vec![("year", e)]).await,
    };
    income::save(step.db(), &step.actor(), step.now, step.body().id, year, read.table).await?;
    Ok(Redirect::to(&format!("{}?done=saved#y{year}", step.page("site/income"))).into_response())
}

#[derive(serde::Deserialize)]
pub struct Removal {
    #[serde(default)]
    reason: String,
}

pub async fn remove(step: Step, Path((_, year)): Path<(String, i32)>, Form(f): Form<Removal>) -> AppResult<Response> {
    match income::remove(step.db(), &step.actor(), step.now, step.body().id, year, &f.reason).await {
        Ok(true) => Ok(Redirect::to(&format!("{}?done=removed", step.page("site/income"))).into_response()),
        Ok(false) => Err(AppError::NotFound),
        Err(kernel::Error::Invalid { message, .. }) => {
            let y = year.to_string();
            staff_page(&step, &y, vec![("reason", message)]).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A year's table with the people asked for.
#[derive(Template)]
#[template(path = "public/income_year.html")]
pub struct YearPage {
    pub c: Chrome,
    pub body: Body,
    pub y: Year,
    pub q: String,
    /// Where the search form sends (the public page or the staff's).
    pub action: String,
    pub staff: bool,
    /// Whether the tables are public (the staff are told).
    pub published: bool,
}

impl YearPage {
    pub fn people(&self) -> Vec<Vec<&Entry>> {
        self.y.table.find(&self.q)
    }

    pub fn header(&self) -> (Vec<(String, usize, bool)>, Vec<String>) {
        self.y.table.header()
    }

    pub fn table(&self) -> &Table {
        &self.y.table
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    q: String,
}

fn asked(s: Search) -> String {
    s.q.chars().take(100).collect::<String>().trim().to_string()
}

pub async fn staff_year(
    step: Step,
    Path((_, year)): Path<(String, i32)>,
    Query(s): Query<Search>,
) -> AppResult<Response> {
    let y = income::get(step.db(), step.body().id, year).await?.ok_or(AppError::NotFound)?;
    let c = step.chrome("desk_site", "site/income", &y.title).await;
    let action = step.page(&format!("site/income/{year}"));
    let published = step.state.cfg.income_published;
    render(&YearPage { c, body: step.body().clone(), y, q: asked(s), action, staff: true, published })
}

/// The years the public sees: none while publication is off, else the latest the portal keeps.
async fn public_years(state: &AppState, body_id: i64) -> AppResult<Vec<(i32, String, i64)>> {
    if !state.cfg.income_published {
        return Ok(vec![]);
    }
    let mut years = income::years(&state.db, body_id).await?;
    if state.cfg.income_years > 0 {
        years.truncate(state.cfg.income_years as usize);
    }
    Ok(years)
}

#[derive(Template)]
#[template(path = "public/income.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    pub years: Vec<(i32, String, i64)>,
    pub published: bool,
}

pub async fn list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let years = public_years(&state, body.id).await?;
    let c = service_chrome(&state, &v, &body, SERVICE, None).await;
    render(&ListPage { c, body, years, published: state.cfg.income_published })
}

pub async fn year(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, year)): Path<(String, i32)>,
    Query(s): Query<Search>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    if !public_years(&state, body.id).await?.iter().any(|(y, _, _)| *y == year) {
        return Err(AppError::NotFound);
    }
    let y = income::get(&state.db, body.id, year).await?.ok_or(AppError::NotFound)?;
    let c = service_chrome(&state, &v, &body, SERVICE, Some(&y.title)).await;
    let action = format!("/o/{}/income/{year}", body.slug);
    render(&YearPage { c, body, y, q: asked(s), action, staff: false, published: true })
}
