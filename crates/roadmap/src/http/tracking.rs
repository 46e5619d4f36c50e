//! Tracking a plan's measures: the coordinator's page of every measure with its stage and term,
//! filtered by section, stage, executor or lateness, and a member's own measures across plans.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use kernel::bodies::Body;
use kernel::staff::StaffUser;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render;
use shell::staff::Scoped;

use crate::store::{self, Roadmap};

use super::{approved, kept_for, staff_chrome};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct TrackQuery {
    section: String,
    stage: String,
    executor: String,
    overdue: String,
}

pub struct TrackRow {
    pub m: store::StoredMeasure,
    pub section: String,
    pub t: crate::track::Tracked,
}

#[derive(Template)]
#[template(path = "staff/track.html")]
pub struct TrackPage {
    pub c: Chrome,
    pub body: Body,
    pub roadmap: Roadmap,
    pub sections: Vec<store::StoredSection>,
    pub rows: Vec<TrackRow>,
    pub q: TrackQuery,
    pub total: usize,
    pub overdue: usize,
}

impl TrackPage {
    pub fn date(&self, d: &Option<deadlines::Date>) -> String {
        d.map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default()
    }
}

/// The coordinator's list: every measure with its next due date, latest mark and overdue flag,
/// filtered by section, stage, executor; overdue first.
pub async fn track(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
    Path((_, id)): Path<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<TrackQuery>,
) -> AppResult<Response> {
    let plan = kept_for(&state, &s.body, id).await?;
    let (loaded, marks) = (&plan.loaded, &plan.marks);
    let (today, cal) = state.today_and_calendar().await?;
    let timings = state.part::<crate::track::Timings>()?;
    let stage: Option<i64> = match q.stage.trim() {
        "" => None,
        x => Some(x.parse().ok().filter(|s| (1..=3).contains(s)).ok_or_else(|| AppError::bad("Стадия — 1, 2 или 3."))?),
    };
    let executor = q.executor.trim().to_lowercase();
    let total = loaded.measures.len();
    let mut rows: Vec<TrackRow> = loaded
        .measures
        .iter()
        .filter(|m| {
            q.section.is_empty()
                || m.section_id
                    .and_then(|sid| loaded.sections.iter().find(|x| x.id == sid))
                    .is_some_and(|x| x.number == q.section)
        })
        .filter(|m| stage.is_none() || m.stage == stage)
        .filter(|m| executor.is_empty() || m.executors.to_lowercase().contains(&executor))
        .map(|m| TrackRow {
            section: m
                .section_id
                .and_then(|sid| loaded.sections.iter().find(|x| x.id == sid))
                .map(|x| x.number.clone())
                .unwrap_or_default(),
            t: timings.track(m, marks, loaded.roadmap.context(), &cal, today),
            m: m.clone(),
        })
        .filter(|r| q.overdue.is_empty() || r.t.overdue)
        .collect();
    // Overdue first, stage-1 (legally mandatory) first among them.
    rows.sort_by_key(|r| (!r.t.overdue, r.m.stage.unwrap_or(9)));
    let overdue = rows.iter().filter(|r| r.t.overdue).count();
    let title = v.t("tracking");
    let c = staff_chrome(&state, &v, &s, title).await;
    let (roadmap, sections) = (loaded.roadmap.clone(), loaded.sections.clone());
    render(&TrackPage { c, body: s.body, roadmap, sections, rows, q, total, overdue })
}

pub struct MyRow {
    pub body: Body,
    pub roadmap: Roadmap,
    pub m: store::StoredMeasure,
    pub t: crate::track::Tracked,
}

#[derive(Template)]
#[template(path = "staff/my_measures.html")]
pub struct MyPage {
    pub c: Chrome,
    pub rows: Vec<MyRow>,
}

impl MyPage {
    pub fn date(&self, d: &Option<deadlines::Date>) -> String {
        d.map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default()
    }
}

/// The measures of approved plans that name the signed-in staff member among their executors.
/// The measures linked to this staff member's account in the approved plans of bodies they
/// work in, overdue first, then by their next due date.
pub async fn my_rows(
    state: &AppState,
    user: &StaffUser,
    cal: &std::sync::Arc<deadlines::Calendar>,
    today: deadlines::Date,
) -> AppResult<Vec<MyRow>> {
    let mut rows = Vec::new();
    let mine = crate::executors::measures_of(&state.db, user.id).await?;
    if !mine.is_empty() {
        let dir = state.directory().await?;
        let timings = state.part::<crate::track::Timings>()?;
        for body in &dir.bodies {
            let chain = dir.chain(body.id);
            if !user.grants.iter().any(|g| g.body_id.is_some_and(|b| chain.contains(&b))) {
                continue;
            }
            let Some(loaded) = approved(state, body).await? else { continue };
            let marks = crate::marks::for_roadmap(&state.db, loaded.roadmap.id).await?;
            for m in loaded.measures.iter().filter(|m| mine.contains(&m.id)) {
                rows.push(MyRow {
                    body: body.clone(),
                    roadmap: loaded.roadmap.clone(),
                    m: m.clone(),
                    t: timings.track(m, &marks, loaded.roadmap.context(), cal, today),
                });
            }
        }
    }
    rows.sort_by_key(|r| (!r.t.overdue, r.t.next_due));
    Ok(rows)
}

pub async fn my_measures(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
) -> AppResult<Response> {
    let (today, cal) = state.today_and_calendar().await?;
    let rows = my_rows(&state, &user, &cal, today).await?;
    let title = v.t("my_measures");
    let c = Chrome::new(&state, &v, title).await;
    let home = c.t("staff_home");
    let c = c.crumb(home, "/staff/").crumb(title, "");
    render(&MyPage { c, rows })
}
