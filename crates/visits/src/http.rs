//! Counting around every request, and the pages of the statistics: a public summary of the
//! portal and of each body (views by month, sections, popular pages), the staff's fuller view
//! (by day, depth, referring sites, robots) and the days as CSV.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use futures::future::BoxFuture;
use kernel::bodies::Body;
use shell::AppState;
use shell::around::Seen;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render;
use shell::staff::Scoped;

use crate::count::{Counter, Link, View, is_robot, link, place};
use crate::store::{self, By, Period, Scope};

/// Counts a successful view of a page (HTML, status 200, GET) outside the page cache, so cached
/// pages count too; nothing is counted when counting is turned off.
pub fn counting(state: AppState) -> anyhow::Result<AppState> {
    if !state.cfg.visits {
        return Ok(state);
    }
    let counter = state.shared_part::<Counter>().map_err(|_| anyhow::anyhow!("the visit counts are not kept"))?;
    let (clock, timezone) = (state.clock.clone(), state.timezone.clone());
    Ok(state.with_count(move |seen: &Seen, resp: &Response| {
        let path = seen.uri.path();
        let html = resp.headers().get(CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
        if !html || place(path).is_none() {
            return;
        }
        let Some(day) = counter.day_of(clock.now_ms(), &timezone) else { return };
        let came = link(seen.referer(), seen.host());
        let from = match came {
            Link::Other(host) => Some(host),
            _ => None,
        };
        counter.count(View { day, path, robot: is_robot(seen.user_agent()), entry: came != Link::Own, from });
    }))
}

/// Writes this node's counts (every few seconds, when the node stops, and before a staff page).
pub fn flush(state: &AppState) -> BoxFuture<'_, AppResult<()>> {
    Box::pin(async move { Ok(store::flush(state.part::<Counter>()?, &state.db).await?) })
}

/// One bar of a chart, with its figures for the table beside it.
pub struct Bar {
    pub label: String,
    pub x: usize,
    pub h: usize,
    pub p: Period,
}

/// A chart of people's views per period, and its table.
pub struct Chart {
    pub id: &'static str,
    /// Its heading (a string key).
    pub title: &'static str,
    pub bars: Vec<Bar>,
    pub width: usize,
}

/// The drawing height for the largest bar.
pub const CHART_H: usize = 160;

/// Each period of `labels` (keys as the store gives them, shown as `shown`), zero when nothing
/// was counted, as bars `step` apart.
fn chart(id: &'static str, title: &'static str, periods: &[Period], keys: Vec<(String, String)>, step: usize) -> Chart {
    let max = periods.iter().map(|p| p.views).max().unwrap_or(0).max(1);
    let bars: Vec<Bar> = keys
        .into_iter()
        .enumerate()
        .map(|(i, (key, label))| {
            let p = periods.iter().find(|p| p.label == key).cloned().unwrap_or_default();
            let h = usize::try_from(p.views).unwrap_or(0) * CHART_H / usize::try_from(max).unwrap_or(1);
            Bar { label, x: i * step + 40, h, p }
        })
        .collect();
    Chart { id, title, width: bars.len() * step + 50, bars }
}

/// The last `n` days up to today, as (key, label).
fn days(today: jiff::civil::Date, n: i64) -> Vec<(String, String)> {
    (0..n)
        .rev()
        .filter_map(|back| today.checked_sub(jiff::Span::new().days(back)).ok())
        .map(|d| (d.to_string(), format!("{:02}.{:02}", d.day(), d.month())))
        .collect()
}

/// The last twelve months up to this one, as (key, label).
fn months(today: jiff::civil::Date) -> Vec<(String, String)> {
    (0..12)
        .rev()
        .filter_map(|back| today.first_of_month().checked_sub(jiff::Span::new().months(back)).ok())
        .map(|d| (format!("{:04}-{:02}", d.year(), d.month()), format!("{:02}.{:02}", d.month(), d.year() % 100)))
        .collect()
}

/// A section's line: its name (or its address when no service names it), its page, its views.
pub struct SectionLine {
    pub name: String,
    pub href: Option<String>,
    pub views: i64,
}

/// People's views of a body's pages in the last 30 days.
pub struct BodyLine {
    pub body: Body,
    pub views: i64,
    pub entries: i64,
}

/// Everything the pages show, for the portal or one body.
pub struct Report {
    pub body: Option<Body>,
    pub charts: Vec<Chart>,
    /// Over the last 30 days: views by people, visits begun, views by robots.
    pub views: i64,
    pub entries: i64,
    pub robots: i64,
    pub sections: Vec<SectionLine>,
    pub pages: Vec<(String, i64)>,
    pub referrers: Vec<(String, i64)>,
    pub bodies: Vec<BodyLine>,
}

impl Report {
    /// Pages per visit over the last 30 days, with one decimal, in the visitor's language.
    pub fn depth(&self, lang: shell::i18n::Lang) -> String {
        if self.entries == 0 {
            return "—".into();
        }
        let tenths = (self.views * 10 + self.entries / 2) / self.entries;
        let sep = if lang == shell::i18n::Lang::Ru { ',' } else { '.' };
        format!("{}{sep}{}", tenths / 10, tenths % 10)
    }

    /// Where this report's public summary is.
    pub fn public_path(&self) -> String {
        match &self.body {
            Some(b) => format!("/o/{}/visits/", b.slug),
            None => "/visits/".into(),
        }
    }
}

/// The name of a section (a string key's text), or its address.
fn section_name(state: &AppState, v: &Visitor, s: &store::SectionViews, body: Option<&Body>) -> SectionLine {
    let services = shell::mechanism::services(state.mechanisms, &state.cfg);
    let (name, href) = if s.of_bodies {
        let pattern = format!("/o/{{slug}}/{}/", s.section);
        let name = if s.section.is_empty() {
            Some(v.t("visits_body_home"))
        } else {
            services.iter().find(|x| x.body == Some(pattern.as_str())).map(|x| v.t(x.name))
        };
        (name, body.map(|b| pattern.replace("{slug}", &b.slug).replace("//", "/")))
    } else {
        let path = if s.section.is_empty() { "/".to_string() } else { format!("/{}/", s.section) };
        let name = if s.section.is_empty() {
            Some(v.t("visits_portal_home"))
        } else {
            services.iter().find(|x| x.portal == Some(path.as_str())).map(|x| v.t(x.name))
        };
        (name, Some(path))
    };
    let name = name
        .map(str::to_string)
        .unwrap_or_else(|| if s.of_bodies { format!("/o/…/{}/", s.section) } else { format!("/{}/", s.section) });
    SectionLine { name, href, views: s.views }
}

async fn report(state: &AppState, v: &Visitor, body: Option<Body>, staff: bool) -> AppResult<Report> {
    let today = state.today()?;
    let from_30 = today.checked_sub(jiff::Span::new().days(29)).map_err(|e| AppError::Internal(e.into()))?;
    let month_keys = months(today);
    let first_month = month_keys.first().map(|(k, _)| format!("{k}-01")).unwrap_or_default();
    let (from_30, id) = (from_30.to_string(), body.as_ref().map(|b| b.id));
    let last_30 = Scope { body: id, from: &from_30 };
    let by_day = store::periods(&state.db, last_30, By::Day).await?;
    let by_month = store::periods(&state.db, Scope { body: id, from: &first_month }, By::Month).await?;
    let (views, entries, robots) =
        by_day.iter().fold((0, 0, 0), |(v, e, r), p| (v + p.views, e + p.entries, r + p.robots));
    let mut charts = vec![chart("months", "visits_by_month", &by_month, month_keys, 50)];
    if staff {
        charts.insert(0, chart("days", "visits_by_day", &by_day, days(today, 30), 20));
    }
    let sections =
        store::sections(&state.db, last_30).await?.iter().map(|s| section_name(state, v, s, body.as_ref())).collect();
    let pages = store::top_pages(&state.db, last_30, 20).await?;
    let referrers = if staff { store::top_referrers(&state.db, last_30, 20).await? } else { Vec::new() };
    let bodies = if body.is_none() {
        let dir = state.directory().await?;
        store::bodies(&state.db, &from_30)
            .await?
            .into_iter()
            .filter_map(|(id, views, entries)| {
                dir.bodies.iter().find(|b| b.id == id).map(|b| BodyLine { body: b.clone(), views, entries })
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Report { body, charts, views, entries, robots, sections, pages, referrers, bodies })
}

/// The public summary and the staff's fuller view, one page.
#[derive(Template)]
#[template(path = "visits.html")]
pub struct VisitsPage {
    pub c: Chrome,
    pub r: Report,
    pub chart_h: usize,
    pub staff: bool,
}

async fn public(state: &AppState, v: &Visitor, body: Option<Body>) -> AppResult<Response> {
    let r = report(state, v, body, false).await?;
    let title = v.t("service_visits");
    let mut c = Chrome::new(state, v, title).await;
    if let Some(b) = &r.body {
        c = c.crumb(b.short_name.clone(), format!("/o/{}/", b.slug));
    }
    let c = c.crumb(title, "");
    render(&VisitsPage { c, r, chart_h: CHART_H, staff: false })
}

pub async fn portal(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    public(&state, &v, None).await
}

pub async fn of_body(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = state.directory().await?.body(&slug).cloned().ok_or(AppError::NotFound)?;
    public(&state, &v, Some(body)).await
}

/// The staff's view of the whole portal (the regional coordinator, the portal admin).
pub async fn staff_portal(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    flush(&state).await?;
    let r = report(&state, &v, None, true).await?;
    let title = v.t("desk_visits");
    let c = Chrome::new(&state, &v, title).await;
    let home = c.t("staff_home");
    let c = c.crumb(home, "/staff/").crumb(title, "");
    render(&VisitsPage { c, r, chart_h: CHART_H, staff: true })
}

/// The staff's view of one body.
pub async fn staff_body(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    flush(&state).await?;
    let r = report(&state, &v, Some(s.body.clone()), true).await?;
    let title = v.t("desk_visits");
    let c = s.chrome(&state, &v, "desk_visits", "visits/", title).await;
    render(&VisitsPage { c, r, chart_h: CHART_H, staff: true })
}

/// Views per day over the last year, as CSV: of the portal or (with a slug) of one body.
async fn days_csv(state: &AppState, body: Option<&Body>) -> AppResult<Response> {
    let from = state.today()?.checked_sub(jiff::Span::new().days(365)).map_err(|e| AppError::Internal(e.into()))?;
    let from = from.to_string();
    let periods = store::periods(&state.db, Scope { body: body.map(|b| b.id), from: &from }, By::Day).await?;
    let mut out = kernel::csv::row(&["day", "views", "visits", "robot_views"]);
    for p in &periods {
        out.push_str(&kernel::csv::row(&[
            &p.label,
            &p.views.to_string(),
            &p.entries.to_string(),
            &p.robots.to_string(),
        ]));
    }
    let name = match body {
        Some(b) => format!("attachment; filename=\"visits-{}.csv\"", b.slug),
        None => "attachment; filename=\"visits.csv\"".into(),
    };
    let mut resp = out.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&name) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

pub async fn portal_csv(State(state): State<AppState>) -> AppResult<Response> {
    days_csv(&state, None).await
}

pub async fn body_csv(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let body = state.directory().await?.body(&slug).cloned().ok_or(AppError::NotFound)?;
    days_csv(&state, Some(&body)).await
}
