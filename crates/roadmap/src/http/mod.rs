//! The roadmap's pages: staff import a plan (upload → preview with editable cells → confirm),
//! see it, move it through its statuses, mark and correct its measures and track them
//! (`staff`); the public «Открытость» section of a body shows the approved plan with each
//! measure's schedule and next due date, its JSON/CSV twins and its reports (`public`); the
//! public discussion of a draft (`discussion`).

pub mod discussion;
pub mod execution;
pub mod public;
pub mod staff;
pub mod strings;
pub mod tracking;

use std::collections::HashMap;

use kernel::bodies::Body;
use kernel::staff::Role;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::i18n::Lang;
use shell::mechanism::{Cell, FigureRow, Figures, Todo};
use shell::obligations::{Evidence, Obligation, Standing};
use shell::staff::Scoped;

use crate::store::{self, Loaded};

/// Who may import and change a body's roadmap.
pub const PLANNERS: &[Role] = &[Role::OpennessCoordinator, Role::Editor];

/// One measure as a page shows it: its fields, its schedule read back, its next due date.
#[derive(Clone)]
pub struct MeasureView {
    pub m: store::StoredMeasure,
    /// The newest execution mark, if any.
    pub mark: Option<crate::marks::Mark>,
    pub schedule: String,
    pub unparsed: bool,
    pub next_due: String,
}

/// Measures grouped by section, in the plan's order; measures outside any section come first.
pub struct Group {
    pub heading: String,
    pub measures: Vec<MeasureView>,
}

pub(crate) fn groups(
    lang: Lang,
    cal: &deadlines::Calendar,
    today: deadlines::Date,
    loaded: &Loaded,
    marks: &[crate::marks::Mark],
) -> Vec<Group> {
    let all = views(lang, cal, today, loaded, marks);
    let mut out = Vec::new();
    let loose: Vec<MeasureView> = all.iter().filter(|v| v.m.section_id.is_none()).cloned().collect();
    if !loose.is_empty() {
        out.push(Group { heading: String::new(), measures: loose });
    }
    for s in &loaded.sections {
        let measures: Vec<MeasureView> = all.iter().filter(|v| v.m.section_id == Some(s.id)).cloned().collect();
        out.push(Group { heading: format!("{}. {}", s.number, s.title), measures });
    }
    out
}

fn views(
    lang: Lang,
    state_cal: &deadlines::Calendar,
    today: deadlines::Date,
    loaded: &Loaded,
    marks: &[crate::marks::Mark],
) -> Vec<MeasureView> {
    loaded
        .measures
        .iter()
        .map(|m| {
            let parsed = deadlines::parse(&m.deadline);
            let next = parsed
                .as_ref()
                .ok()
                .and_then(|s| s.next_due(state_cal, today, 1, None, deadlines::DayOffPolicy::Preceding).ok())
                .and_then(|mut d| d.pop())
                .map(|d| d.date.date.strftime("%d.%m.%Y").to_string())
                .unwrap_or_default();
            MeasureView {
                mark: marks.iter().rev().find(|k| k.measure_id == m.id).cloned(),
                schedule: parsed
                    .as_ref()
                    .map(|s| if lang == Lang::En { s.en() } else { s.ru() })
                    .unwrap_or_else(|e| e.reason.clone()),
                unparsed: parsed.is_err(),
                next_due: next,
                m: m.clone(),
            }
        })
        .collect()
}

pub(crate) async fn staff_chrome(state: &AppState, v: &Visitor, s: &Scoped, last: &str) -> Chrome {
    s.chrome(state, v, "roadmaps", "roadmaps/", last).await
}

pub(crate) async fn load_for(state: &AppState, body: &Body, id: i64) -> AppResult<Loaded> {
    store::load(&state.db, id).await?.filter(|l| l.roadmap.body_id == body.id).ok_or(AppError::NotFound)
}

/// A plan of the body as this node keeps it, for pages that show it whole.
pub(crate) async fn kept_for(state: &AppState, body: &Body, id: i64) -> AppResult<std::sync::Arc<crate::kept::Plan>> {
    let plan = state.part::<crate::kept::KeptPlans>()?.get(&state.db, id).await?;
    if plan.loaded.roadmap.body_id == body.id { Ok(plan) } else { Err(AppError::NotFound) }
}

/// The approved plan of a body (the newest approved one), if there is one.
async fn approved(state: &AppState, body: &Body) -> AppResult<Option<Loaded>> {
    let list = store::for_body(&state.db, body.id).await?;
    match list.iter().find(|r| r.status == "approved") {
        Some(r) => Ok(store::load(&state.db, r.id).await?),
        None => Ok(None),
    }
}

/// The roadmap's columns in the regional view: per stage of each body's approved plan, its
/// overdue and all measures, then all together (linked to the plan's overdue measures) and done.
pub fn region_figures<'a>(
    state: &'a AppState,
    v: &'a Visitor,
    bodies: &'a [Body],
    today: deadlines::Date,
    cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Figures>> {
    Box::pin(async move {
        let stage = v.t("stage_n");
        let mut columns: Vec<String> = ["1", "2", "3", "—"].iter().map(|s| format!("{stage} {s}")).collect();
        columns.extend([v.t("total_overdue").to_string(), v.t("done_count").to_string()]);
        let mut rows = HashMap::new();
        let timings = state.part::<crate::track::Timings>()?;
        for body in bodies {
            let Some(loaded) = approved(state, body).await? else {
                let cells = vec![Cell { span: columns.len(), ..Cell::text(v.t("without_plan")) }];
                rows.insert(body.id, FigureRow { cells, urgency: 0 });
                continue;
            };
            let marks = crate::marks::for_roadmap(&state.db, loaded.roadmap.id).await?;
            let mut stages = [(0usize, 0usize); 4];
            let (mut overdue, mut done) = (0, 0);
            for m in &loaded.measures {
                let t = timings.track(m, &marks, loaded.roadmap.context(), cal, today);
                let i = match m.stage {
                    Some(s @ 1..=3) => (s - 1) as usize,
                    _ => 3,
                };
                stages[i].1 += 1;
                if t.overdue {
                    stages[i].0 += 1;
                    overdue += 1;
                } else if t.latest.as_ref().is_some_and(|k| k.status == "done") {
                    done += 1;
                }
            }
            let mut cells: Vec<Cell> = stages.iter().map(|(o, t)| Cell::text(format!("{o} / {t}"))).collect();
            let track = format!("/staff/o/{}/roadmaps/{}/track?overdue=1", body.slug, loaded.roadmap.id);
            cells.push(Cell::link(format!("{overdue} / {}", loaded.measures.len()), track));
            cells.push(Cell::text(done.to_string()));
            // Stage 1 is what the law requires: its overdue measures weigh most.
            let urgency = stages[0].0 as u64 * 1_000_000 + overdue as u64;
            rows.insert(body.id, FigureRow { cells, urgency });
        }
        Ok(Figures { heading: v.t("region_plan").to_string(), columns, rows })
    })
}

/// The compliance engine's obligations: every measure of a body's approved plan, standing as
/// its tracking does (the last due date answered by a mark, or not); the evidence is the mark
/// with its first link. A measure without a due date (a standing duty, a phrase not read) is met
/// by a mark that it was done and missing without one.
pub fn obligations<'a>(
    state: &'a AppState,
    bodies: &'a [Body],
    today: deadlines::Date,
    cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Vec<Obligation>>> {
    Box::pin(async move {
        let timings = state.part::<crate::track::Timings>()?;
        let mut out = Vec::new();
        for body in bodies {
            let Some(loaded) = approved(state, body).await? else { continue };
            let marks = crate::marks::for_roadmap(&state.db, loaded.roadmap.id).await?;
            let track = format!("/staff/o/{}/roadmaps/{}/track", body.slug, loaded.roadmap.id);
            for m in &loaded.measures {
                let t = timings.track(m, &marks, loaded.roadmap.context(), cal, today);
                let evidence = t.latest.as_ref().filter(|k| k.status != "not_done").and_then(|k| {
                    let on = k.marked_on.parse::<deadlines::Date>().ok()?;
                    let href = k.evidence.first().cloned().unwrap_or_else(|| track.clone());
                    let label = if k.period.is_empty() { k.comment.clone() } else { k.period.clone() };
                    Some(Evidence { label, href, on })
                });
                let standing = match (t.overdue, t.last_due, evidence) {
                    (true, Some(due), _) => Standing::Late { due },
                    (false, Some(due), Some(e)) => {
                        let late_for = (e.on > due).then_some(due);
                        Standing::Met { evidence: e, late_for }
                    }
                    (_, None, Some(e)) => Standing::Met { evidence: e, late_for: None },
                    (_, _, None) => match t.next_due {
                        Some(due) if t.last_due.is_none() => Standing::Due { due },
                        _ => Standing::Missing,
                    },
                };
                let indicator = match m.stage {
                    Some(1) => "roadmap_stage1",
                    Some(2) => "roadmap_stage2",
                    Some(3) => "roadmap_stage3",
                    _ => "roadmap_unstaged",
                };
                out.push(Obligation {
                    body_id: body.id,
                    key: format!("roadmap/measure/{}", m.id),
                    indicator,
                    title: format!("{}. {}", m.number, m.text),
                    source: format!("{}, п. {}", loaded.roadmap.title, m.number),
                    href: format!("{track}#m{}", m.id),
                    standing,
                });
            }
        }
        Ok(out)
    })
}

/// The staff home's lines: the member's own measures overdue or due within 30 days, and for each
/// body whose plan they keep, its overdue measures.
pub fn todo<'a>(
    state: &'a AppState,
    v: &'a Visitor,
    user: &'a kernel::staff::StaffUser,
    bodies: &'a [Body],
    today: deadlines::Date,
    cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Vec<Todo>>> {
    Box::pin(async move {
        let mut out = Vec::new();
        let rows = tracking::my_rows(state, user, cal, today).await?;
        let month = today.checked_add(jiff::Span::new().days(30)).map_err(|e| AppError::Internal(e.into()))?;
        let overdue = rows.iter().filter(|r| r.t.overdue).count();
        let soon = rows.iter().filter(|r| !r.t.overdue && r.t.next_due.is_some_and(|d| d <= month)).count();
        if overdue + soon > 0 {
            out.push(Todo {
                text: v
                    .t("todo_my_measures")
                    .replace("{overdue}", &overdue.to_string())
                    .replace("{soon}", &soon.to_string()),
                href: "/staff/my-measures".into(),
                urgent: overdue > 0,
            });
        }
        let dir = state.directory().await?;
        let timings = state.part::<crate::track::Timings>()?;
        // Every body's approved plan in one query, each read from the kept plans: the staff home
        // of someone who sees many bodies asks the database once, not once per body.
        let plans = store::approved_ids(&state.db).await?;
        let kept = state.part::<crate::kept::KeptPlans>()?;
        for body in bodies {
            if !user.allows(kernel::staff::Access::BodyWrite(PLANNERS), &dir.chain(body.id)) {
                continue;
            }
            let Some(id) = plans.get(&body.id) else { continue };
            let plan = kept.get(&state.db, *id).await?;
            let loaded = &plan.loaded;
            let late = loaded
                .measures
                .iter()
                .filter(|m| timings.track(m, &plan.marks, loaded.roadmap.context(), cal, today).overdue)
                .count();
            if late > 0 {
                out.push(Todo {
                    text: format!(
                        "{}: {}",
                        body.short_name,
                        v.t("todo_plan_overdue").replace("{n}", &late.to_string())
                    ),
                    href: format!("/staff/o/{}/roadmaps/{}/track?overdue=1", body.slug, loaded.roadmap.id),
                    urgent: true,
                });
            }
        }
        Ok(out)
    })
}
