//! The public «Открытость» section of a body: the approved plan, its machine-readable twins and
//! its execution reports.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render;

use crate::store::{self, Loaded, Roadmap};

use super::{Group, approved, groups};

#[derive(Template)]
#[template(path = "public/openness.html")]
pub struct OpennessPage {
    pub c: Chrome,
    pub body: Body,
    pub plan: Option<(Loaded, Vec<Group>)>,
    /// Draft plans open for public comment.
    pub discussions: Vec<Roadmap>,
}

impl OpennessPage {
    /// A stored date (YYYY-MM-DD) as people write it.
    pub fn date(&self, iso: &str) -> String {
        iso.parse::<deadlines::Date>().map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default()
    }
    pub fn can_mark(&self) -> bool {
        false
    }
    pub fn can_edit(&self) -> bool {
        false
    }
}

pub async fn public_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = state.directory().await?.body(&slug).cloned().ok_or(AppError::NotFound)?;
    let plan = match approved(&state, &body).await? {
        Some(l) => {
            let (today, cal) = state.today_and_calendar().await?;
            let marks = crate::marks::for_roadmap(&state.db, l.roadmap.id).await?;
            let groups = groups(v.lang, &cal, today, &l, &marks);
            Some((l, groups))
        }
        None => None,
    };
    let title = v.t("openness");
    let mut c = Chrome::new(&state, &v, format!("{title} — {}", body.short_name))
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(title, "");
    c.alternate_json = Some(format!("/o/{}/openness/roadmap.json", body.slug));
    let discussions =
        store::for_body(&state.db, body.id).await?.into_iter().filter(|r| r.status == "discussion").collect();
    render(&OpennessPage { c, body, plan, discussions })
}

pub async fn public_twin(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let body = state.directory().await?.body(&slug).cloned().ok_or(AppError::NotFound)?;
    let loaded = approved(&state, &body).await?.ok_or(AppError::NotFound)?;
    let (today, cal) = state.today_and_calendar().await?;
    let marks = crate::marks::for_roadmap(&state.db, loaded.roadmap.id).await?;
    let revisions = store::revisions(&state.db, &loaded).await?;
    let export = crate::export::build(&loaded, &marks, &revisions, &body.slug, &cal, today);
    match file.as_str() {
        "roadmap.json" => Ok(axum::Json(export).into_response()),
        "roadmap.csv" => {
            let mut resp = crate::export::csv(&export).into_response();
            resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
            let disposition = format!("attachment; filename=\"roadmap-{}.csv\"", body.slug);
            if let Ok(h) = HeaderValue::from_str(&disposition) {
                resp.headers_mut().insert(CONTENT_DISPOSITION, h);
            }
            Ok(resp)
        }
        _ => Err(AppError::NotFound),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ReportQuery {
    year: String,
    quarter: String,
}

#[derive(Template)]
#[template(path = "public/report.html")]
pub struct ReportPage {
    pub c: Chrome,
    pub body: Body,
    pub report: crate::report::Report,
    pub section_bars: Vec<crate::report::Bar>,
    pub stage_bars: Vec<crate::report::Bar>,
    pub query: String,
}

async fn report_for(state: &AppState, slug: &str, q: &ReportQuery) -> AppResult<(Body, crate::report::Report, String)> {
    let body = state.directory().await?.body(slug).cloned().ok_or(AppError::NotFound)?;
    let loaded = approved(state, &body).await?.ok_or(AppError::NotFound)?;
    let (today, cal) = state.today_and_calendar().await?;
    let year = match q.year.trim() {
        "" => today.year(),
        y => y
            .parse::<i16>()
            .ok()
            .filter(|y| (1990..=2100).contains(y))
            .ok_or_else(|| AppError::bad(format!("«{y}» — не год отчёта")))?,
    };
    let quarter = match q.quarter.trim() {
        "" => None,
        x => Some(
            x.parse::<i8>()
                .ok()
                .filter(|x| (1..=4).contains(x))
                .ok_or_else(|| AppError::bad("Квартал — число от 1 до 4."))?,
        ),
    };
    let period = crate::report::period(year, quarter).ok_or_else(|| AppError::bad("Квартал — число от 1 до 4."))?;
    let marks = crate::marks::for_roadmap(&state.db, loaded.roadmap.id).await?;
    let report = crate::report::build(&loaded, &marks, &cal, today, period);
    let query = match quarter {
        Some(q) => format!("year={year}&quarter={q}"),
        None => format!("year={year}"),
    };
    Ok((body, report, query))
}

pub async fn report_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ReportQuery>,
) -> AppResult<Response> {
    let (body, report, query) = report_for(&state, &slug, &q).await?;
    let title = format!("{}: {}", v.t("report"), report.period);
    let openness = v.t("openness");
    let c = Chrome::new(&state, &v, title.clone())
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(openness, format!("/o/{}/openness/", body.slug))
        .crumb(title, "");
    let section_bars = crate::report::bars(&report.by_section, 360);
    let stage_bars = crate::report::bars(&report.by_stage, 360);
    render(&ReportPage { c, body, report, section_bars, stage_bars, query })
}

pub async fn report_docx(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ReportQuery>,
) -> AppResult<Response> {
    let (body, report, _) = report_for(&state, &slug, &q).await?;
    let bytes = crate::report::docx(&report)?;
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    );
    if let Ok(h) = HeaderValue::from_str(&format!("attachment; filename=\"report-{}.docx\"", body.slug)) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, h);
    }
    Ok(resp)
}
