//! Public statistics of appeals and requests (seed 000 §13.3 «а»; roadmap 002 item 35): of the
//! portal and of each body, for every quarter and year that has ended — as a page with an SVG
//! chart (its figures also as a table) and as CSV.

use crate::stats::{self, Figures, Period, Stats};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use kernel::bodies::Body;

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PeriodQuery {
    period: String,
}

/// One bar group of the chart: a kind with its received, on-time and late counts, in pixels.
pub struct ChartRow {
    pub label: &'static str,
    pub y: i64,
    pub f: Figures,
    pub received_w: i64,
    pub on_time_w: i64,
    pub late_w: i64,
}

#[derive(Template)]
#[template(path = "public/appeal_stats.html")]
pub struct StatsPage {
    pub c: Chrome,
    pub body: Option<Body>,
    pub periods: Vec<Period>,
    pub period: Option<Period>,
    pub stats: Option<Stats>,
    pub chart: Vec<ChartRow>,
    pub chart_h: i64,
    pub csv_url: String,
}

fn chart(stats: &Stats) -> Vec<ChartRow> {
    let max = stats.by_kind.iter().map(|(_, f)| f.received).max().unwrap_or(0).max(1);
    let w = |n: i64| n * 360 / max;
    stats
        .by_kind
        .iter()
        .filter(|(_, f)| f.received > 0)
        .enumerate()
        .map(|(i, (label, f))| ChartRow {
            label,
            y: 10 + i as i64 * 64,
            f: f.clone(),
            received_w: w(f.received),
            on_time_w: w(f.answered_on_time),
            late_w: w(f.answered_late),
        })
        .collect()
}

/// The periods published so far and the figures of the chosen one.
async fn figures(
    state: &AppState,
    body: Option<&Body>,
    code: &str,
) -> AppResult<(Vec<Period>, Option<(Period, Stats)>)> {
    let (today, _) = state.today_and_calendar().await?;
    let first = stats::first_year(&state.db).await?.unwrap_or(today.year()).min(today.year());
    let periods = Period::ended(today, first);
    let Some(period) = stats::chosen(code, &periods).map_err(|e| AppError::bad(e.to_string()))? else {
        return Ok((periods, None));
    };
    let tz = state.timezone.clone();
    let day = |ms: i64| jiff::Timestamp::from_millisecond(ms).ok().map(|t| t.to_zoned(tz.clone()).date());
    let s = stats::compute(&state.db, body.map(|b| b.id), &period, today, day).await?;
    Ok((periods, Some((period, s))))
}

async fn page(state: &AppState, v: &Visitor, body: Option<Body>, code: &str) -> AppResult<Response> {
    let (periods, chosen) = figures(state, body.as_ref(), code).await?;
    let title = v.t("appeal_stats");
    let mut c = Chrome::new(state, v, title).await;
    if let Some(b) = &body {
        c = c.crumb(b.short_name.clone(), format!("/o/{}/", b.slug));
    }
    let c = c.crumb(title, "");
    let base = match &body {
        Some(b) => format!("/o/{}/appeals/stats", b.slug),
        None => "/appeals/stats".into(),
    };
    let (period, stats) = chosen.map(|(p, s)| (Some(p), Some(s))).unwrap_or((None, None));
    let chart = stats.as_ref().map(chart).unwrap_or_default();
    let chart_h = chart.len() as i64 * 64 + 20;
    let csv_url = period.as_ref().map(|p| format!("{base}.csv?period={}", p.code)).unwrap_or_default();
    render(&StatsPage { c, body, periods, period, stats, chart, chart_h, csv_url })
}

async fn csv(state: &AppState, body: Option<Body>, code: &str) -> AppResult<Response> {
    let (_, chosen) = figures(state, body.as_ref(), code).await?;
    let Some((period, s)) = chosen else {
        return Err(AppError::bad("Ни один квартал ещё не завершился: статистики пока нет."));
    };
    let mut resp = stats::csv(&s, &period).into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let who = body.map(|b| b.slug).unwrap_or_else(|| "portal".into());
    if let Ok(h) = HeaderValue::from_str(&format!("attachment; filename=\"appeals-stats-{who}-{}.csv\"", period.code)) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, h);
    }
    Ok(resp)
}

async fn body(state: &AppState, slug: &str) -> AppResult<Body> {
    state.directory().await?.body(slug).cloned().ok_or(AppError::NotFound)
}

pub async fn portal_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    page(&state, &v, None, &q.period).await
}

pub async fn body_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let b = body(&state, &slug).await?;
    page(&state, &v, Some(b), &q.period).await
}

pub async fn portal_csv(State(state): State<AppState>, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    csv(&state, None, &q.period).await
}

pub async fn body_csv(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let b = body(&state, &slug).await?;
    csv(&state, Some(b), &q.period).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

/// The reason behind a body's figures of late and overdue answers, one submission a line.
#[derive(Template)]
#[template(path = "staff/appeal_breaches.html")]
pub struct BreachesPage {
    pub c: Chrome,
    pub body: Body,
    pub period: Period,
    pub figures: Figures,
    pub late: Vec<stats::Breach>,
    pub overdue: Vec<stats::Breach>,
    /// Whether the visitor works on this body's appeals (the numbers then open the cards).
    pub cards: bool,
}

impl BreachesPage {
    pub fn date(&self, d: &deadlines::Date) -> String {
        d.strftime("%d.%m.%Y").to_string()
    }
}

/// The day (in the portal's time zone) of an instant.
pub fn day_of(state: &AppState) -> impl Fn(i64) -> Option<deadlines::Date> + use<> {
    let tz = state.timezone.clone();
    move |ms: i64| jiff::Timestamp::from_millisecond(ms).ok().map(|t| t.to_zoned(tz.clone()).date())
}

/// The appeals' columns in the regional view: each body's submissions of the year answered late
/// (of all answered) and open past their term, each linked to the lines behind it.
pub fn region_figures<'a>(
    state: &'a AppState,
    v: &'a Visitor,
    bodies: &'a [Body],
    today: deadlines::Date,
    _cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<shell::mechanism::Figures>> {
    use shell::mechanism::{Cell, FigureRow};
    Box::pin(async move {
        let year = today.year();
        let period = Period::parse(&year.to_string())
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the year {year} is out of range")))?;
        let mut rows = std::collections::HashMap::new();
        for body in bodies {
            let f = stats::compute(&state.db, Some(body.id), &period, today, day_of(state)).await?.total;
            let behind = format!("/staff/o/{}/appeals/breaches?year={year}", body.slug);
            let cells = vec![
                Cell::link(
                    format!("{} / {}", f.answered_late, f.answered_on_time + f.answered_late),
                    format!("{behind}#late"),
                ),
                Cell::link(f.overdue.to_string(), format!("{behind}#overdue")),
            ];
            let urgency = (f.answered_late + f.overdue).max(0) as u64;
            rows.insert(body.id, FigureRow { cells, urgency });
        }
        let columns = vec![v.t("region_late").to_string(), v.t("breaches_overdue").to_string()];
        Ok(shell::mechanism::Figures { heading: format!("{} {year}", v.t("region_appeals")), columns, rows })
    })
}

/// `/staff/o/{slug}/appeals/breaches?year=2026`: the body's submissions of the year answered after
/// their term and those still open past it — numbers, kinds and dates, nothing the applicant wrote,
/// so coordinators see them too.
pub async fn staff_breaches(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<kernel::staff::StaffUser>,
    Extension(s): Extension<shell::staff::Scoped>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let (today, _) = state.today_and_calendar().await?;
    let period = match q.year.trim() {
        "" => Period::parse(&today.year().to_string()),
        y => Period::parse(y),
    }
    .ok_or_else(|| AppError::bad("укажите год числом, например 2026"))?;
    let (late, overdue) = stats::breaches(&state.db, s.body.id, &period, today, day_of(&state)).await?;
    let figures = stats::compute(&state.db, Some(s.body.id), &period, today, day_of(&state)).await?.total;
    let chain: Vec<i64> = s.chain.iter().map(|b| b.id).collect();
    let cards = user.allows(kernel::staff::Access::BodyWrite(super::staff::APPEALS_STAFF), &chain);
    let title = format!("{} — {}", v.t("breaches_title"), period.label);
    // Those who may not open the appeals list get a trail without it.
    let (section, path) = if cards { ("appeals", "appeals/") } else { ("breaches_title", "appeals/breaches") };
    let c = s.chrome(&state, &v, section, path, &title).await;
    render(&BreachesPage { c, body: s.body.clone(), period, figures, late, overdue, cards })
}
