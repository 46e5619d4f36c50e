//! The regional coordinator's view: every body side by side with each mechanism's figures (its
//! plan by stage, its open-data coverage, its appeals answered late…), each figure a link to the
//! lines behind it; the bodies that need attention first. It reads the figures through the one
//! interface every mechanism offers (`Mechanism::figures`), so a new mechanism adds its columns
//! by offering them.

use std::borrow::Cow;

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::AppResult;
use shell::mechanism::{Cell, Figures};
use shell::render::render;

pub struct RegionRow<'a> {
    pub body: &'a Body,
    /// Per mechanism, its cells for this body.
    pub cells: Vec<Cow<'a, [Cell]>>,
    urgency: Vec<u64>,
}

#[derive(Template)]
#[template(path = "staff/region.html")]
pub struct RegionPage<'a> {
    pub c: Chrome,
    pub groups: &'a [Figures],
    pub rows: Vec<RegionRow<'a>>,
}

impl RegionPage<'_> {
    /// The figures' columns as one list, for the second heading row.
    pub fn columns(&self) -> Vec<&String> {
        self.groups.iter().filter(|g| g.columns.len() > 1).flat_map(|g| g.columns.iter()).collect()
    }
}

pub async fn region(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let groups = shell::figures::figures(&state, &v).await?;
    let dir = state.directory().await?;
    let mut rows: Vec<RegionRow> = dir
        .bodies
        .iter()
        .map(|body| {
            let (cells, urgency) = groups
                .iter()
                .map(|g| match g.rows.get(&body.id) {
                    Some(r) => (Cow::Borrowed(&r.cells[..]), r.urgency),
                    None => (Cow::Owned(vec![Cell { span: g.columns.len().max(1), ..Cell::text("—") }]), 0),
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
    render(&RegionPage { c, groups: &groups, rows })
}
