//! The regional coordinator's view: every body side by side with each mechanism's figures (its
//! plan by stage, its open-data coverage, its appeals answered late…), each figure a link to the
//! lines behind it; the bodies that need attention first. It reads the figures through the one
//! interface every mechanism offers (`Mechanism::figures`), so a new mechanism adds its columns
//! by offering them.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use kernel::bodies::{self, Body};
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::AppResult;
use shell::mechanism::{Cell, Figures};
use shell::render::render;

pub struct RegionRow {
    pub body: Body,
    /// Per mechanism, its cells for this body.
    pub cells: Vec<Vec<Cell>>,
    urgency: Vec<u64>,
}

#[derive(Template)]
#[template(path = "staff/region.html")]
pub struct RegionPage {
    pub c: Chrome,
    pub groups: Vec<Figures>,
    pub rows: Vec<RegionRow>,
}

impl RegionPage {
    /// The figures' columns as one list, for the second heading row.
    pub fn columns(&self) -> Vec<&String> {
        self.groups.iter().filter(|g| g.columns.len() > 1).flat_map(|g| g.columns.iter()).collect()
    }
}

pub async fn region(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let (today, cal) = state.today_and_calendar().await?;
    let all = bodies::list(&state.db).await?;
    let mut groups = Vec::new();
    for f in state.mechanisms.iter().filter_map(|m| m.figures) {
        groups.push(f(&state, &v, &all, today, &cal).await?);
    }
    let mut rows: Vec<RegionRow> = all
        .into_iter()
        .map(|body| {
            let (cells, urgency) = groups
                .iter_mut()
                .map(|g| match g.rows.remove(&body.id) {
                    Some(r) => (r.cells, r.urgency),
                    None => (vec![Cell { span: g.columns.len().max(1), ..Cell::text("—") }], 0),
                })
                .unzip();
            RegionRow { body, cells, urgency }
        })
        .collect();
    rows.sort_by(|a, b| b.urgency.cmp(&a.urgency));
    let title = v.t("region_view");
    let c = Chrome::new(&state, &v, title).await;
    let home = c.t("staff_home");
    let c = c.crumb(home, "/staff/").crumb(title, "");
    render(&RegionPage { c, groups, rows })
}
