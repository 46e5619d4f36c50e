//! The public declaration (seed 000 §27): the editors' page to load a year's table from a
//! spreadsheet; citizens' list of years and each year's declaration as HTML, .csv and .docx.

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

use super::body_of;
use crate::statements::{self, Declaration, Sent};

#[derive(Template)]
#[template(path = "staff/declarations.html")]
pub struct StaffPage {
    pub c: Chrome,
    pub body: Body,
    pub years: Vec<(i32, String, i64)>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
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
    render_refused(&StaffPage { c, body: step.body().clone(), years, fields, errors }, refused)
}

pub async fn staff_list(step: Step) -> AppResult<Response> {
    staff_page(&step, ("", "", ""), vec![]).await
}

pub async fn load(step: Step, mp: Multipart) -> AppResult<Response> {
    let (fields, mut files) = super::multipart(mp, &["file"]).await?;
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
    let sent = (get("year"), get("title"), get("intro"));
    let checked = statements::check(&Sent { year: sent.0, title: sent.1, intro: sent.2 }, step.today.year());
    let rows = match files.remove("file") {
        None => Err(vec!["выберите файл с таблицей показателей".to_string()]),
        Some(f) => {
            let (name, bytes) = (f.name, f.bytes);
            tokio::task::spawn_blocking(move || statements::read(&name, &bytes))
                .await
                .map_err(|e| AppError::Internal(e.into()))?
        }
    };
    let (checked, rows) = match (checked, rows) {
        (Ok(c), Ok(r)) => (c, r),
        (c, r) => {
            let mut errors = c.err().unwrap_or_default();
            if let Err(list) = r {
                errors.extend(list.into_iter().map(|e| ("file", e)));
            }
            return staff_page(&step, sent, errors).await;
        }
    };
    let year = checked.0;
    statements::save(step.db(), &step.actor(), step.now, step.body().id, checked, rows).await?;
    Ok(axum::response::Redirect::to(&format!("{}?done=saved#y{year}", step.page("site/declarations"))).into_response())
}

use axum::response::IntoResponse;

async fn chrome(state: &AppState, v: &Visitor, body: &Body, last: Option<&str>) -> Chrome {
    let title = v.t("service_declaration");
    let c = Chrome::new(state, v, format!("{} — {}", last.unwrap_or(title), body.short_name))
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug));
    match last {
        Some(l) => c.crumb(title, format!("/o/{}/declaration/", body.slug)).crumb(l.to_string(), ""),
        None => c.crumb(title, ""),
    }
}

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
    let c = chrome(&state, &v, &body, None).await;
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
    let c = chrome(&state, &v, &body, Some(&d.title)).await;
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
