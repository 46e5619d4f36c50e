//! Demand for open data: every successful view of a passport page, download from a dataset's
//! folder and search in the section is counted (outside the page cache, so cached pages count
//! too); the statistics pages show views and downloads month by month as a chart and per
//! dataset, for the portal and for each body, with a CSV twin. Publishers also see downloads
//! per file (each data and structure version) and what people searched for.

use crate::demand::{self, DatasetDemand, Month};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use kernel::bodies::Body;

use shell::AppState;
use shell::around::Seen;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render;
use shell::staff::Scoped;

/// What a request to the open-data section asked for, when it is demand worth counting.
#[derive(Debug, PartialEq)]
enum Asked<'a> {
    /// A dataset's passport page (`file` empty) or one of its files.
    Dataset {
        identifier: &'a str,
        file: &'a str,
    },
    Search(String),
}

fn classify<'a>(path: &'a str, query: Option<&'a str>) -> Option<Asked<'a>> {
    let rest = path.strip_prefix("/opendata/");
    if let Some(rest) = rest
        && let Some((identifier, file)) = rest.split_once('/')
        && !identifier.is_empty()
        && !file.contains('/')
        && file != "feedback"
    {
        return Some(Asked::Dataset { identifier, file });
    }
    let section = path == "/opendata/"
        || path.strip_prefix("/o/").and_then(|p| p.split_once('/')).is_some_and(|(_, tail)| tail == "opendata/");
    if section {
        let q = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.into_owned())?;
        return demand::normalise_query(&q).map(Asked::Search);
    }
    None
}

/// Counts what a successful GET in the open-data section asked for; other requests pass with
/// a look at their path.
pub fn counting(state: AppState) -> anyhow::Result<AppState> {
    let counter = state
        .shared_part::<demand::Counter>()
        .map_err(|_| anyhow::anyhow!("the open-data demand counts are not kept"))?;
    let (clock, timezone) = (state.clock.clone(), state.timezone.clone());
    Ok(state.with_count(move |seen: &Seen, _: &Response| {
        let Some(asked) = classify(seen.uri.path(), seen.uri.query()) else { return };
        let day = jiff::Timestamp::from_millisecond(clock.now_ms())
            .map(|t| t.to_zoned(timezone.clone()).date().to_string())
            .unwrap_or_default();
        match asked {
            Asked::Dataset { identifier, file } => counter.dataset(&day, identifier, file),
            Asked::Search(q) => counter.search(&day, &q),
        }
    }))
}

/// One bar of the monthly chart.
pub struct Bar {
    pub label: String,
    pub x: usize,
    pub views_h: usize,
    pub downloads_h: usize,
    pub views: i64,
    pub downloads: i64,
}

/// The chart's drawing height for the largest month.
const CHART_H: usize = 160;

/// The last twelve months, each with its bar (empty months included).
fn bars(months: &[Month], today: jiff::civil::Date) -> Vec<Bar> {
    let first = today.first_of_month().checked_sub(jiff::Span::new().months(11)).unwrap_or(today);
    let max = months.iter().map(|m| m.views.max(m.downloads)).max().unwrap_or(0).max(1);
    let h = |n: i64| usize::try_from(n).unwrap_or(0) * CHART_H / usize::try_from(max).unwrap_or(1);
    (0..12)
        .map(|i| {
            let d = first.checked_add(jiff::Span::new().months(i)).unwrap_or(first);
            let key = format!("{:04}-{:02}", d.year(), d.month());
            let m = months.iter().find(|m| m.month == key);
            let (views, downloads) = m.map(|m| (m.views, m.downloads)).unwrap_or((0, 0));
            let x = usize::try_from(i).unwrap_or(0) * 50 + 40;
            Bar {
                label: format!("{:02}.{:02}", d.month(), d.year() % 100),
                x,
                views_h: h(views),
                downloads_h: h(downloads),
                views,
                downloads,
            }
        })
        .collect()
}

/// A body's line in the portal's table.
pub struct BodyLine {
    pub body: Body,
    pub datasets: usize,
    pub views: i64,
    pub downloads: i64,
}

#[derive(Template)]
#[template(path = "public/opendata_stats.html")]
pub struct StatsPage {
    pub c: Chrome,
    pub body: Option<Body>,
    pub bars: Vec<Bar>,
    pub chart_h: usize,
    pub datasets: Vec<DatasetDemand>,
    pub bodies: Vec<BodyLine>,
    pub requests: usize,
    pub reports: usize,
}

async fn figures(state: &AppState, body: Option<&Body>) -> AppResult<(Vec<Month>, Vec<DatasetDemand>)> {
    // This node's latest counts first, so the page shows every view up to now.
    state.part::<crate::demand::Counter>()?.flush(&state.db).await?;
    let from = state
        .today()?
        .first_of_month()
        .checked_sub(jiff::Span::new().months(11))
        .map_err(|e| AppError::Internal(e.into()))?;
    let months = demand::monthly(&state.db, body.map(|b| b.id), &from.to_string()).await?;
    let datasets = demand::per_dataset(&state.db, body.map(|b| b.id)).await?;
    Ok((months, datasets))
}

async fn stats(state: &AppState, v: &Visitor, body: Option<Body>) -> AppResult<Response> {
    let (months, datasets) = figures(state, body.as_ref()).await?;
    let today = state.today()?;
    let requests = crate::requests::list(&state.db, body.as_ref().map(|b| b.id)).await?.len();
    let reports = match &body {
        Some(b) => crate::feedback::for_body(&state.db, b.id).await?.len(),
        None => crate::feedback::count_all(&state.db).await?,
    };
    let bodies = if body.is_none() {
        let mut lines: Vec<BodyLine> = Vec::new();
        for b in state.directory().await?.bodies.iter().cloned() {
            let own: Vec<&DatasetDemand> = datasets.iter().filter(|d| d.body_id == b.id).collect();
            if own.is_empty() {
                continue;
            }
            let views = own.iter().map(|d| d.views).sum();
            let downloads = own.iter().map(|d| d.downloads).sum();
            lines.push(BodyLine { body: b, datasets: own.len(), views, downloads });
        }
        lines
    } else {
        Vec::new()
    };
    let title = v.t("opendata_demand");
    let section = v.t("opendata");
    let mut c = Chrome::new(state, v, title).await;
    c = match &body {
        Some(b) => {
            c.crumb(b.short_name.clone(), format!("/o/{}/", b.slug)).crumb(section, format!("/o/{}/opendata/", b.slug))
        }
        None => c.crumb(section, "/opendata/"),
    };
    let c = c.crumb(title, "");
    render(&StatsPage { c, body, bars: bars(&months, today), chart_h: CHART_H, datasets, bodies, requests, reports })
}

pub async fn portal_stats(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    stats(&state, &v, None).await
}

pub async fn body_stats(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = state.directory().await?.body(&slug).cloned().ok_or(AppError::NotFound)?;
    stats(&state, &v, Some(body)).await
}

/// The portal's demand per dataset as CSV.
pub async fn portal_stats_csv(State(state): State<AppState>) -> AppResult<Response> {
    let (_, datasets) = figures(&state, None).await?;
    let mut out = kernel::csv::row(&["identifier", "title", "views", "downloads"]);
    for d in &datasets {
        out.push_str(&kernel::csv::row(&[&d.identifier, &d.title, &d.views.to_string(), &d.downloads.to_string()]));
    }
    let mut resp = out.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    resp.headers_mut().insert(CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"stats.csv\""));
    Ok(resp)
}

/// A dataset's downloads per file, for its publishers.
pub struct FileLine {
    pub dataset: DatasetDemand,
    pub files: Vec<(String, i64)>,
}

#[derive(Template)]
#[template(path = "staff/opendata_stats.html")]
pub struct StaffStatsPage {
    pub c: Chrome,
    pub body: Body,
    pub bars: Vec<Bar>,
    pub chart_h: usize,
    pub lines: Vec<FileLine>,
    pub searches: Vec<(String, i64)>,
}

pub async fn staff_stats(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    let (months, datasets) = figures(&state, Some(&s.body)).await?;
    let today = state.today()?;
    let mut lines = Vec::new();
    for d in datasets {
        let files = demand::per_file(&state.db, d.dataset_id).await?;
        lines.push(FileLine { dataset: d, files });
    }
    let from = today.checked_sub(jiff::Span::new().days(90)).map_err(|e| AppError::Internal(e.into()))?;
    let searches = demand::top_searches(&state.db, &from.to_string(), 50).await?;
    let title = v.t("opendata_demand");
    let c = super::datasets::staff_chrome(&state, &v, &s, title).await;
    render(&StaffStatsPage { c, body: s.body.clone(), bars: bars(&months, today), chart_h: CHART_H, lines, searches })
}

#[cfg(test)]
mod tests {
    use super::{Asked, classify};

    #[test]
    fn passport_pages_files_and_searches_are_told_apart() {
        let d = |identifier, file| Some(Asked::Dataset { identifier, file });
        assert_eq!(classify("/opendata/7017000019-x/", None), d("7017000019-x", ""));
        assert_eq!(classify("/opendata/7017000019-x/meta.csv", None), d("7017000019-x", "meta.csv"));
        assert_eq!(classify("/opendata/7017000019-x/feedback", None), None);
        assert_eq!(classify("/opendata/list.csv", None), None);
        assert_eq!(
            classify("/opendata/", Some("q=%D0%9F%D0%BE%D1%81%D0%BE%D0%B1%D0%B8%D1%8F++2026")),
            Some(Asked::Search("пособия 2026".into()))
        );
        assert_eq!(classify("/o/finance/opendata/", Some("q=budget")), Some(Asked::Search("budget".into())));
        assert_eq!(classify("/opendata/", Some("q=+")), None);
        assert_eq!(classify("/opendata/", None), None);
        assert_eq!(classify("/o/finance/openness/", Some("q=x")), None);
    }
}
