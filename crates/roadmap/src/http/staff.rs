//! The roadmap's staff pages.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use kernel::staff::{Access, StaffUser};
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::Form;
use shell::render::{render, render_refused};
use shell::staff::Scoped;
use shell::step::Step;

use crate::import::{ImportedPlan, Measure, Note, Section};
use crate::store::{self, Loaded, Roadmap};

use super::{Group, PLANNERS, groups, kept_for, load_for, staff_chrome};

#[derive(Template)]
#[template(path = "staff/roadmaps.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    pub roadmaps: Vec<Roadmap>,
    pub can_import: bool,
    pub error: Option<String>,
}

impl ListPage {}

pub async fn list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    let roadmaps = store::for_body(&state.db, s.body.id).await?;
    let ids: Vec<i64> = s.chain.iter().map(|b| b.id).collect();
    let can_import = user.allows(Access::BodyWrite(PLANNERS), &ids);
    let c = staff_chrome(&state, &v, &s, v.t("roadmaps")).await;
    render(&ListPage { c, body: s.body, roadmaps, can_import, error: None })
}

#[derive(Template)]
#[template(path = "staff/roadmap_preview.html")]
pub struct PreviewPage {
    pub c: Chrome,
    pub body: Body,
    pub title: String,
    /// The plan's years and approving act as read from the document, for the planner to confirm.
    pub period: String,
    pub approving_act: String,
    pub source: String,
    pub sections: Vec<Section>,
    pub measures: Vec<Measure>,
    pub unplaced: Vec<Note>,
    pub warnings: Vec<Note>,
    pub errors: Vec<String>,
}

impl PreviewPage {
    pub fn stage(&self, m: &Measure) -> String {
        m.stage.map(|s| s.to_string()).unwrap_or_default()
    }
}

/// Step 1: the uploaded file is read and shown as an editable preview; nothing is stored yet.
pub async fn upload(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    mut form: Multipart,
) -> AppResult<Response> {
    let mut title = String::new();
    let mut file: Option<(String, Bytes)> = None;
    while let Some(field) =
        form.next_field().await.map_err(|_| AppError::bad("Файл не удалось получить: отправьте форму ещё раз."))?
    {
        match field.name() {
            Some("title") => title = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = field.file_name().unwrap_or("plan.txt").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::bad("Файл не удалось получить целиком: отправьте его ещё раз."))?;
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    let ids: Vec<i64> = s.chain.iter().map(|b| b.id).collect();
    let refuse = |message: String| async {
        let roadmaps = store::for_body(&state.db, s.body.id).await?;
        let c = staff_chrome(&state, &v, &s, v.t("roadmaps")).await;
        let page = ListPage {
            c,
            body: s.body.clone(),
            roadmaps,
            can_import: user.allows(Access::BodyWrite(PLANNERS), &ids),
            error: Some(message),
        };
        let mut resp = render(&page)?;
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        Ok::<Response, AppError>(resp)
    };
    let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() || !b.is_empty()) else {
        return refuse("Выберите файл с планом мероприятий.".into()).await;
    };
    let plan = match crate::file::read_plan(&name, &bytes) {
        Ok(p) => p,
        Err(e) => return refuse(format!("Файл «{name}» не загружен: {e}.")).await,
    };
    // The title typed on the upload form wins; else the document's own, else a plain one.
    let title = if !title.trim().is_empty() {
        title.trim().to_string()
    } else if !plan.details.title.is_empty() {
        plan.details.title.clone()
    } else {
        "План мероприятий («дорожная карта»)".to_string()
    };
    let c = staff_chrome(&state, &v, &s, v.t("roadmap_preview")).await;
    render(&PreviewPage {
        c,
        body: s.body,
        title,
        period: plan.details.period_text(),
        approving_act: plan.details.approving_act(),
        source: name,
        sections: plan.sections,
        measures: plan.measures,
        unplaced: plan.unplaced,
        warnings: plan.warnings,
        errors: vec![],
    })
}

/// Reads the corrected preview back into a plan, checking every cell.
fn plan_from_form(fields: &shell::forms::Fields) -> (ImportedPlan, Vec<String>, String, String) {
    let get = |k: &str| fields.get(k).to_string();
    let count = |k: &str| get(k).parse::<usize>().unwrap_or(0).min(5000);
    let mut plan = ImportedPlan::default();
    let mut errors = Vec::new();
    for i in 0..count("sections") {
        plan.sections.push(Section { number: get(&format!("s{i}_number")), title: get(&format!("s{i}_title")) });
    }
    for i in 0..count("measures") {
        let number = get(&format!("m{i}_number"));
        let stage = get(&format!("m{i}_stage"));
        let stage = if stage.is_empty() {
            None
        } else {
            match stage.parse::<u8>() {
                Ok(s @ 1..=3) => Some(s),
                _ => {
                    errors.push(format!(
                        "мероприятие {number}: стадия «{stage}» — укажите 1, 2 или 3 либо оставьте пустой"
                    ));
                    None
                }
            }
        };
        let text = get(&format!("m{i}_text"));
        if number.is_empty() || text.is_empty() {
            errors.push(format!("строка {}: у мероприятия должны быть номер и текст", i + 1));
        }
        let expected = get(&format!("m{i}_expected"));
        let section = get(&format!("m{i}_section"));
        plan.measures.push(Measure {
            number,
            section: Some(section).filter(|s| !s.is_empty()),
            text,
            stage,
            deadline: get(&format!("m{i}_deadline")),
            executors: get(&format!("m{i}_executors")),
            expected: Some(expected).filter(|e| !e.is_empty()),
            mark: None,
            line: 0,
            continuation: get(&format!("m{i}_cont")) == "1",
        });
    }
    if plan.measures.is_empty() {
        errors.push("в плане нет ни одного мероприятия".into());
    }
    (plan, errors, get("title"), get("source"))
}

/// The plan's details as confirmed in the preview: "2017–2020" (or one year), and the act.
fn details_from_form(fields: &shell::forms::Fields, errors: &mut Vec<String>) -> (String, String) {
    let period = fields.get("period").trim().to_string();
    let act = fields.get("approving_act").trim().to_string();
    let years: Vec<&str> = period.split(['–', '-', '—']).map(str::trim).collect();
    let ok = period.is_empty()
        || (years.len() <= 2
            && years.iter().all(|y| y.len() == 4 && y.parse::<i16>().is_ok_and(|y| (1990..=2100).contains(&y)))
            && years.first() <= years.last());
    if !ok {
        errors.push(format!("период «{period}» — укажите год (2018) или годы через тире (2017–2020)"));
    }
    if act.chars().count() > 500 {
        errors.push("реквизиты утверждающего акта длиннее 500 знаков".into());
    }
    (period, act)
}

/// Step 2: the corrected preview is stored as a draft roadmap.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    body: Bytes,
) -> AppResult<Response> {
    let fields = shell::forms::Fields::parse(&body);
    let (plan, mut errors, title, source) = plan_from_form(&fields);
    let (period, approving_act) = details_from_form(&fields, &mut errors);
    if title.is_empty() {
        errors.push("укажите название плана".into());
    }
    if !errors.is_empty() {
        let c = staff_chrome(&state, &v, &s, v.t("roadmap_preview")).await;
        let mut resp = render(&PreviewPage {
            c,
            body: s.body,
            title,
            period,
            approving_act,
            source,
            sections: plan.sections,
            measures: plan.measures,
            unplaced: vec![],
            warnings: vec![],
            errors,
        })?;
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(resp);
    }
    let new = store::NewRoadmap {
        body_id: s.body.id,
        title: &title,
        period,
        approving_act,
        source_name: &source,
        plan: &plan,
    };
    let id = store::create_from_import(&state.db, &user.actor(), state.clock.now_ms(), new).await?;
    Ok(Redirect::to(&format!("/staff/o/{}/roadmaps/{id}?done=created", s.body.slug)).into_response())
}

#[derive(Template)]
#[template(path = "staff/roadmap.html")]
pub struct DetailPage {
    pub c: Chrome,
    pub body: Body,
    pub loaded: Loaded,
    /// (all comments, pending ones)
    pub comments: (usize, usize),
    pub count: usize,
    pub groups: Vec<Group>,
    pub can_change: bool,
    pub statuses: Vec<(&'static str, &'static str)>,
    /// What was wrong with a change of status.
    pub error: Option<String>,
}

impl DetailPage {
    pub fn can_mark(&self) -> bool {
        self.can_change
    }
    pub fn can_edit(&self) -> bool {
        self.can_change
    }
}

pub async fn detail(step: Step, Path((_, id)): Path<(String, i64)>) -> AppResult<Response> {
    detail_page(&step, id, None).await
}

async fn detail_page(step: &Step, id: i64, error: Option<String>) -> AppResult<Response> {
    let Step { state, v, s, user, .. } = step;
    let plan = kept_for(state, &s.body, id).await?;
    let groups = groups(v.lang, &step.cal, step.today, &plan.loaded, &plan.marks);
    let loaded = plan.loaded.clone();
    let ids: Vec<i64> = s.chain.iter().map(|b| b.id).collect();
    let can_change = user.allows(Access::BodyWrite(PLANNERS), &ids);
    let c = staff_chrome(state, v, s, &loaded.roadmap.title.clone()).await;
    let count = loaded.measures.len();
    let list = discussion::comments::for_subject(&state.db, &crate::comments::TABLE, id).await?;
    let comments = (list.len(), list.iter().filter(|k| k.status == "pending").count());
    let statuses = store::STATUSES.iter().map(|k| (*k, v.label("roadmap_status", k))).collect();
    let failed = error.is_some();
    let body = s.body.clone();
    let resp =
        render_refused(&DetailPage { c, body, loaded, comments, count, groups, can_change, statuses, error }, failed)?;
    Ok(resp)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    approving_act: String,
    discussion_until: String,
}

pub async fn set_status(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    let loaded = load_for(&step.state, step.body(), id).await?;
    let (status, act, until) = (f.status.as_str(), f.approving_act.as_str(), f.discussion_until.as_str());
    let done = store::set_status(step.db(), &step.actor(), step.now, &loaded.roadmap, status, act, until).await;
    let to = |()| format!("{}?done=saved", step.page(&format!("roadmaps/{id}")));
    step.answer(done, to, |message| detail_page(&step, id, Some(message))).await
}

#[derive(Template)]
#[template(path = "staff/mark.html")]
pub struct MarkPage {
    pub c: Chrome,
    pub body: Body,
    pub roadmap_id: i64,
    pub measure: store::StoredMeasure,
    pub periods: Vec<String>,
    pub fields: Vec<shell::forms::Field>,
    pub errors: Vec<String>,
    pub history: Vec<crate::marks::Mark>,
}

impl MarkPage {}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct MarkForm {
    period: String,
    status: String,
    marked_on: String,
    comment: String,
    evidence: String,
}

/// The reporting periods a mark can answer for: the schedule's due periods up to a year ahead.
fn periods(cal: &deadlines::Calendar, today: deadlines::Date, deadline: &str, ctx: deadlines::Context) -> Vec<String> {
    let Ok(s) = deadlines::parse_in(deadline, ctx) else { return Vec::new() };
    let from = deadlines::Date::new(2000, 1, 1).unwrap_or(deadlines::Date::MIN);
    let to = today.checked_add(jiff::Span::new().years(1)).unwrap_or(today);
    let mut out: Vec<String> = s
        .due_dates(cal, from, to, None, deadlines::DayOffPolicy::Preceding)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|d| d.covers.map(|p| p.ru()))
        .collect();
    out.dedup();
    out.reverse();
    out
}

async fn mark_page(
    state: &AppState,
    v: &Visitor,
    s: &Scoped,
    roadmap_id: i64,
    mid: i64,
    form: &MarkForm,
    error: Option<kernel::Error>,
) -> AppResult<Response> {
    let loaded = load_for(state, &s.body, roadmap_id).await?;
    let measure = loaded.measures.iter().find(|m| m.id == mid).cloned().ok_or(AppError::NotFound)?;
    let (today, cal) = state.today_and_calendar().await?;
    let periods = periods(&cal, today, &measure.deadline, loaded.roadmap.context());
    let history: Vec<_> = crate::marks::for_roadmap(&state.db, roadmap_id)
        .await?
        .into_iter()
        .filter(|k| k.measure_id == mid)
        .rev()
        .collect();
    let mut period_opts = vec![(String::new(), v.t("no_period").to_string())];
    period_opts.extend(periods.iter().map(|p| (p.clone(), p.clone())));
    let statuses =
        crate::marks::STATUSES.iter().map(|k| (k.to_string(), v.label("mark_status", k).to_string())).collect();
    let default_date = if form.marked_on.is_empty() { today.to_string() } else { form.marked_on.clone() };
    let period = if form.period.is_empty() && form.status.is_empty() {
        periods.first().cloned().unwrap_or_default()
    } else {
        form.period.clone()
    };
    use shell::forms::Field;
    let mut fields = vec![
        Field::select("period", "mark_period", &period, period_opts),
        Field::select("status", "mark_status", if form.status.is_empty() { "done" } else { &form.status }, statuses),
        Field::new("marked_on", "mark_date", &default_date, "date").required(),
        Field::new("evidence", "mark_evidence", &form.evidence, "textarea").hint("mark_evidence_hint"),
        Field::new("comment", "mark_comment", &form.comment, "textarea"),
    ];
    let mut errors = Vec::new();
    let status = match error {
        None => axum::http::StatusCode::OK,
        Some(e) => {
            let list = e.field_errors();
            if list.is_empty() {
                return Err(e.into());
            }
            errors = shell::forms::attach_errors(&mut fields, list);
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let title = format!("{} {}", v.t("mark_execution"), measure.number);
    let c = staff_chrome(state, v, s, &title).await;
    let mut resp =
        render(&MarkPage { c, body: s.body.clone(), roadmap_id, measure, periods, fields, errors, history })?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// Planners of the body mark any measure; other staff of the body only those linked to their account.
async fn may_mark(state: &AppState, user: &StaffUser, s: &Scoped, id: i64, mid: i64) -> AppResult<()> {
    let ids: Vec<i64> = s.chain.iter().map(|b| b.id).collect();
    if user.allows(Access::BodyWrite(PLANNERS), &ids) {
        return Ok(());
    }
    let loaded = load_for(state, &s.body, id).await?;
    let of_plan = loaded.measures.iter().any(|m| m.id == mid);
    let linked = of_plan && crate::executors::is_executor(&state.db, mid, user.id).await?;
    let has_body_role = user.grants.iter().any(|g| g.body_id.is_some_and(|b| ids.contains(&b)));
    if linked && has_body_role { Ok(()) } else { Err(AppError::Forbidden) }
}

pub async fn mark_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    Path((_, id, mid)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    may_mark(&state, &user, &s, id, mid).await?;
    mark_page(&state, &v, &s, id, mid, &MarkForm::default(), None).await
}

pub async fn mark_submit(
    step: Step,
    Path((_, id, mid)): Path<(String, i64, i64)>,
    Form(f): Form<MarkForm>,
) -> AppResult<Response> {
    let Step { state, v, s, user, .. } = &step;
    may_mark(state, user, s, id, mid).await?;
    let loaded = load_for(state, &s.body, id).await?;
    if !loaded.measures.iter().any(|m| m.id == mid) {
        return Err(AppError::NotFound);
    }
    match crate::marks::validate(&f.period, &f.status, &f.marked_on, &f.comment, &f.evidence) {
        Ok(mark) => {
            crate::marks::add(step.db(), &step.actor(), step.now, s.body.id, mid, &mark).await?;
            Ok(Redirect::to(&format!("{}?done=saved#m{mid}", step.page(&format!("roadmaps/{id}")))).into_response())
        }
        Err(e) => mark_page(state, v, s, id, mid, &f, Some(e)).await,
    }
}

#[derive(Template)]
#[template(path = "staff/measure_edit.html")]
pub struct EditPage {
    pub c: Chrome,
    pub body: Body,
    pub roadmap_id: i64,
    pub measure: store::StoredMeasure,
    pub fields: Vec<shell::forms::Field>,
    pub errors: Vec<String>,
    pub notice: Option<&'static str>,
    pub history: Vec<store::Revision>,
    /// The staff of the body and above it, to link as executors.
    pub accounts: Vec<Account>,
}

/// A staff account a planner may link to a measure as its executor.
pub struct Account {
    pub id: i64,
    pub label: String,
    pub linked: bool,
    /// Their display name appears in the executors cell (a hint, not a link).
    pub named: bool,
}

/// Staff with a role in the body or above it (the people who can carry out its measures).
async fn accounts_for(state: &AppState, s: &Scoped, measure: &store::StoredMeasure) -> AppResult<Vec<Account>> {
    let ids: Vec<i64> = s.chain.iter().map(|b| b.id).collect();
    let linked = crate::executors::of_measure(&state.db, measure.id).await?;
    let mut out: Vec<Account> = kernel::staff::list_users(&state.db)
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.grants.iter().any(|g| g.body_id.is_some_and(|b| ids.contains(&b))))
        .map(|u| {
            let name = u.display_name.trim();
            Account {
                id: u.id,
                label: if name.is_empty() { u.email.clone() } else { format!("{name} ({})", u.email) },
                linked: linked.contains(&u.id),
                named: name.chars().count() >= 3 && measure.executors.contains(name),
            }
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(out)
}

/// A planner links the measure to the accounts of its executors (checked boxes, `user` each).
pub async fn set_executors(
    step: Step,
    Path((_, id, mid)): Path<(String, i64, i64)>,
    body: Bytes,
) -> AppResult<Response> {
    let Step { state, s, .. } = &step;
    let loaded = load_for(state, &s.body, id).await?;
    let measure = loaded.measures.iter().find(|m| m.id == mid).ok_or(AppError::NotFound)?;
    let allowed: Vec<i64> = accounts_for(state, s, measure).await?.iter().map(|a| a.id).collect();
    let mut chosen = Vec::new();
    for (k, v) in url::form_urlencoded::parse(&body) {
        if k != "user" {
            continue;
        }
        match v.parse::<i64>() {
            Ok(u) if allowed.contains(&u) => chosen.push(u),
            _ => return Err(AppError::bad("Выбран сотрудник, которого нет среди сотрудников органа.")),
        }
    }
    crate::executors::set(step.db(), &step.actor(), step.now, s.body.id, mid, &chosen).await?;
    let to = format!("{}?done=saved#accounts", step.page(&format!("roadmaps/{id}/measures/{mid}/edit")));
    Ok(Redirect::to(&to).into_response())
}

impl EditPage {
    /// A field's value as a person reads it; an empty value shows as a dash.
    pub fn value(&self, v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::Null => "—".into(),
            serde_json::Value::String(s) if s.is_empty() => "—".into(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    pub fn label(&self, field: &str) -> &'static str {
        let key = match field {
            "number" => "number",
            "section" => "section",
            "text" => "measure_text",
            "stage" => "stage",
            "deadline" => "deadline",
            "executors" => "executors",
            _ => "expected_result",
        };
        self.c.t(key)
    }
}

/// How the edit form is shown: as stored, back with problems, or back because nothing changed.
enum Edit<'a> {
    Fresh,
    Invalid(&'a store::MeasureForm, kernel::Error),
    Unchanged(&'a store::MeasureForm),
}

async fn edit_page(
    state: &AppState,
    v: &Visitor,
    s: &Scoped,
    loaded: &Loaded,
    mid: i64,
    edit: Edit<'_>,
) -> AppResult<Response> {
    let measure = loaded.measures.iter().find(|m| m.id == mid).cloned().ok_or(AppError::NotFound)?;
    let current = store::MeasureForm {
        number: measure.number.clone(),
        section: measure.section_id.map(|id| id.to_string()).unwrap_or_default(),
        text: measure.text.clone(),
        stage: measure.stage.map(|s| s.to_string()).unwrap_or_default(),
        deadline: measure.deadline.clone(),
        executors: measure.executors.clone(),
        expected: measure.expected.clone().unwrap_or_default(),
        reason: String::new(),
    };
    let (f, error, notice) = match edit {
        Edit::Fresh => (&current, None, None),
        Edit::Invalid(f, e) => (f, Some(e), None),
        Edit::Unchanged(f) => (f, None, Some("nothing_changed")),
    };
    let t = |k| v.t(k).to_string();
    let mut sections = vec![(String::new(), t("no_section"))];
    sections.extend(loaded.sections.iter().map(|x| (x.id.to_string(), format!("{}. {}", x.number, x.title))));
    let mut stages = vec![(String::new(), t("no_stage"))];
    stages.extend(["1", "2", "3"].iter().map(|x| (x.to_string(), x.to_string())));
    use shell::forms::Field;
    let reason = Field::new("reason", "change_reason", &f.reason, "text").hint("change_reason_hint");
    let mut fields = vec![
        Field::new("number", "number", &f.number, "text").required(),
        Field::select("section", "section", &f.section, sections),
        Field::new("text", "measure_text", &f.text, "textarea").required(),
        Field::select("stage", "stage", &f.stage, stages),
        Field::new("deadline", "deadline", &f.deadline, "text").hint("deadline_hint"),
        Field::new("executors", "executors", &f.executors, "text"),
        Field::new("expected", "expected_result", &f.expected, "textarea"),
        if loaded.roadmap.status == "approved" { reason.required() } else { reason },
    ];
    let mut errors = Vec::new();
    let status = match error {
        None => axum::http::StatusCode::OK,
        Some(e) => {
            let list = e.field_errors();
            if list.is_empty() {
                return Err(e.into());
            }
            errors = shell::forms::attach_errors(&mut fields, list);
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let history: Vec<store::Revision> =
        store::revisions(&state.db, loaded).await?.into_iter().filter(|r| r.measure_id == mid).rev().collect();
    let title = format!("{} {}", v.t("edit_measure"), measure.number);
    let c = staff_chrome(state, v, s, &title).await;
    let accounts = accounts_for(state, s, &measure).await?;
    let roadmap_id = loaded.roadmap.id;
    let page = EditPage { c, body: s.body.clone(), roadmap_id, measure, fields, errors, notice, history, accounts };
    let mut resp = render(&page)?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// A planner corrects a stored measure; each change is kept in its history.
pub async fn edit_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
    Path((_, id, mid)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let loaded = load_for(&state, &s.body, id).await?;
    edit_page(&state, &v, &s, &loaded, mid, Edit::Fresh).await
}

pub async fn edit_submit(
    step: Step,
    Path((_, id, mid)): Path<(String, i64, i64)>,
    Form(f): Form<store::MeasureForm>,
) -> AppResult<Response> {
    let Step { state, v, s, .. } = &step;
    let loaded = load_for(state, &s.body, id).await?;
    let before = loaded.measures.iter().find(|m| m.id == mid).ok_or(AppError::NotFound)?;
    match store::validate_edit(&loaded, before, &f) {
        Ok((after, reason)) => {
            if store::update_measure(step.db(), &step.actor(), step.now, &loaded, &after, &reason).await? {
                Ok(Redirect::to(&format!("{}?done=saved#m{mid}", step.page(&format!("roadmaps/{id}")))).into_response())
            } else {
                edit_page(state, v, s, &loaded, mid, Edit::Unchanged(&f)).await
            }
        }
        Err(e) => edit_page(state, v, s, &loaded, mid, Edit::Invalid(&f, e)).await,
    }
}
