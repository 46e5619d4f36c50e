//! The staff pages of the engine.

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use kernel::staff::{Role, StaffUser};
use serde::Deserialize;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::Form;
use shell::render::{attachment, render, render_refused};
use shell::step::Step;

use std::sync::Arc;

use super::{day, number, parameter_titles, points_text, trend_text};
use crate::board::{self, Board, Line, percent};
use crate::decisions::{self, NewDecision};
use crate::engine::Status;
use crate::evaluate::{self, Stored};
use crate::methodology::Methodology;

/// Who decides about a body's obligations: its openness coordinator (and the portal admin).
pub const DECIDERS: &[Role] = &[Role::OpennessCoordinator];

#[derive(Template)]
#[template(path = "compliance/board.html")]
pub struct BoardPage {
    pub c: Chrome,
    pub b: Arc<Board>,
    pub en: bool,
    pub params: Vec<String>,
}

impl BoardPage {
    pub fn trend(&self, l: &Line) -> String {
        trend_text(l)
    }
}

async fn board_chrome(state: &AppState, v: &Visitor, last: &str) -> Chrome {
    let c = Chrome::new(state, v, last).await;
    let home = c.t("staff_home");
    c.crumb(home, "/staff/").crumb(last, "")
}

/// The coordinator's board: every body side by side, the least open first.
pub async fn board(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let b = super::board(&state).await?;
    let c = board_chrome(&state, &v, v.t("compliance_board")).await;
    let params = parameter_titles(&b.m, &v);
    render(&BoardPage { c, en: v.lang == shell::i18n::Lang::En, b, params })
}

/// The board as CSV.
pub async fn board_csv(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let b = super::board(&state).await?;
    let (m, lines) = (&b.m, &b.lines);
    let mut header: Vec<String> = vec![v.t("compliance_body").into(), v.t("compliance_index").into()];
    header.extend(parameter_titles(m, &v));
    for k in [
        "compliance_late_n",
        "compliance_missing_n",
        "compliance_upcoming_n",
        "compliance_satisfied_n",
        "compliance_na_n",
    ] {
        header.push(v.t(k).into());
    }
    header.extend([
        v.t("compliance_trend").to_string(),
        v.t("compliance_evaluated").into(),
        v.t("compliance_methodology").into(),
    ]);
    let mut out = kernel::csv::row(&header);
    for l in lines {
        let mut row = vec![l.body.short_name.clone(), percent(l.score)];
        row.extend(l.parameters.iter().map(|p| percent(*p)));
        row.extend([l.late, l.missing, l.upcoming, l.satisfied, l.not_applicable].iter().map(|n| n.to_string()));
        row.extend([trend_text(l), l.day.clone(), l.methodology.clone()]);
        out.push_str(&kernel::csv::row(&row));
    }
    Ok(attachment(out.into(), "openness-index.csv", "text/csv; charset=utf-8", "private, no-store"))
}

/// The board as a Word report: the methodology, the table, then each body's late and missing
/// obligations (what to fix).
pub async fn board_docx(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    use office::write::Block;
    let b = super::board(&state).await?;
    let (m, lines) = (&b.m, &b.lines);
    let en = v.lang == shell::i18n::Lang::En;
    let today = state.today()?;
    let mut blocks = vec![
        Block::Title(format!("{} — {}", v.t("compliance_board"), today.strftime("%d.%m.%Y"))),
        Block::Text(format!("{}: {} ({})", v.t("compliance_methodology"), m.title.get(en), m.label())),
        Block::Text(m.note.get(en).to_string()),
    ];
    let mut header: Vec<String> = vec![v.t("compliance_body").into(), v.t("compliance_index").into()];
    header.extend(parameter_titles(m, &v));
    header.extend([
        v.t("compliance_late_n").to_string(),
        v.t("compliance_missing_n").into(),
        v.t("compliance_trend").into(),
    ]);
    let rows = lines
        .iter()
        .map(|l| {
            let mut row = vec![l.body.short_name.clone(), percent(l.score)];
            row.extend(l.parameters.iter().map(|p| percent(*p)));
            row.extend([l.late.to_string(), l.missing.to_string(), trend_text(l)]);
            row
        })
        .collect();
    blocks.push(Block::Table { header, rows });
    for l in lines.iter().filter(|l| l.late + l.missing > 0) {
        blocks.push(Block::Heading(format!("{} — {}", l.body.short_name, percent(l.score))));
        let kept = state.part::<board::Kept>()?;
        let rows: Vec<Vec<String>> = board::statuses(&state.db, kept, l.body.id)
            .await?
            .iter()
            .filter(|(s, _)| matches!(s.status, Status::Late | Status::Missing))
            .map(|(s, _)| {
                vec![
                    s.title.clone(),
                    s.source.clone(),
                    v.label("cstatus", s.status.code()).to_string(),
                    s.due.as_deref().map(day).unwrap_or_default(),
                    if s.days_late > 0 { s.days_late.to_string() } else { String::new() },
                ]
            })
            .collect();
        let header = [
            "compliance_obligation",
            "compliance_source",
            "compliance_status",
            "compliance_due",
            "compliance_days_late",
        ]
        .iter()
        .map(|k| v.t(k).to_string())
        .collect();
        blocks.push(Block::Table { header, rows });
    }
    let bytes = office::write::docx(&blocks).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    Ok(attachment(
        bytes.into(),
        "openness-index.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "private, no-store",
    ))
}

/// One obligation as a body's page shows it.
pub struct RowView<'a> {
    pub s: &'a Stored,
    pub since: String,
    pub points: String,
}

#[derive(Template)]
#[template(path = "compliance/body.html")]
pub struct BodyPage<'a> {
    pub c: Chrome,
    pub body: Body,
    pub m: &'a Methodology,
    pub en: bool,
    pub line: Option<&'a Line>,
    pub params: Vec<String>,
    pub rows: Vec<RowView<'a>>,
    pub can_decide: bool,
    pub saved: bool,
}

impl BodyPage<'_> {
    pub fn day(&self, d: &Option<String>) -> String {
        d.as_deref().map(day).unwrap_or_default()
    }

    /// A mechanism's share: "80,0 % (8 / 10)".
    pub fn share(&self, p: &board::Part) -> String {
        format!("{} ({} / {})", percent(p.permille), number(p.earned), number(p.possible))
    }

    /// The obligation's key as a query value.
    pub fn key_query(&self, s: &Stored) -> String {
        url::form_urlencoded::byte_serialize(s.obligation.as_bytes()).collect()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BodyQuery {
    pub done: String,
}

/// A body's statuses as kept, in the order to act on them.
async fn kept_statuses(step: &Step) -> AppResult<Arc<Vec<(Stored, i64)>>> {
    Ok(board::statuses(step.db(), step.state.part::<board::Kept>()?, step.body().id).await?)
}

/// A body's obligations, in the order to act on them.
pub async fn body_page(step: Step, Query(q): Query<BodyQuery>) -> AppResult<Response> {
    let b = super::board(&step.state).await?;
    let m = &b.m;
    let line = b.lines.iter().find(|l| l.body.id == step.body().id);
    let tz = step.state.timezone.clone();
    let statuses = kept_statuses(&step).await?;
    let rows = statuses
        .iter()
        .map(|(s, since)| RowView {
            points: points_text(m, s),
            since: jiff::Timestamp::from_millisecond(*since)
                .map(|t| t.to_zoned(tz.clone()).strftime("%d.%m.%Y").to_string())
                .unwrap_or_default(),
            s,
        })
        .collect();
    let chain = step.state.directory().await?.chain(step.body().id);
    let can_decide = step.user.allows(kernel::staff::Access::BodyWrite(DECIDERS), &chain);
    let c = step.chrome("desk_compliance_body", "compliance/", step.v.t("compliance_obligations")).await;
    let params = parameter_titles(m, &step.v);
    let en = step.v.lang == shell::i18n::Lang::En;
    let body = step.body().clone();
    render(&BodyPage { c, body, en, m, line, params, rows, can_decide, saved: q.done == "decided" })
}

/// A body's obligations as CSV.
pub async fn body_csv(step: Step) -> AppResult<Response> {
    let b = super::board(&step.state).await?;
    let m = &b.m;
    let v = &step.v;
    let header: Vec<String> = [
        "compliance_obligation",
        "compliance_source",
        "compliance_status",
        "compliance_due",
        "compliance_days_late",
        "compliance_evidence",
        "compliance_points",
    ]
    .iter()
    .map(|k| v.t(k).to_string())
    .chain(["key".to_string()])
    .collect();
    let mut out = kernel::csv::row(&header);
    for (s, _) in kept_statuses(&step).await?.iter() {
        out.push_str(&kernel::csv::row(&[
            s.title.clone(),
            s.source.clone(),
            v.label("cstatus", s.status.code()).to_string(),
            s.due.as_deref().map(day).unwrap_or_default(),
            s.days_late.to_string(),
            s.evidence_href.clone(),
            points_text(m, s),
            s.obligation.clone(),
        ]));
    }
    let name = format!("{}-obligations.csv", step.body().slug);
    Ok(attachment(out.into(), &name, "text/csv; charset=utf-8", "private, no-store"))
}

#[derive(Template)]
#[template(path = "compliance/decide.html")]
pub struct DecidePage {
    pub c: Chrome,
    pub body: Body,
    pub s: Stored,
    pub key: String,
    pub f: DecideForm,
    pub errors: Vec<(&'static str, String)>,
}

impl DecidePage {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    pub fn day(&self, d: &Option<String>) -> String {
        d.as_deref().map(day).unwrap_or_default()
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DecideForm {
    pub o: String,
    pub kind: String,
    pub reason: String,
    pub href: String,
    pub on: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct KeyQuery {
    pub o: String,
}

async fn obligation(step: &Step, key: &str) -> AppResult<Stored> {
    kept_statuses(step).await?.iter().map(|(s, _)| s).find(|s| s.obligation == key).cloned().ok_or(AppError::NotFound)
}

async fn decide_page(
    step: &Step,
    s: Stored,
    f: DecideForm,
    errors: Vec<(&'static str, String)>,
) -> AppResult<Response> {
    let c = step.chrome("desk_compliance_body", "compliance/", step.v.t("compliance_decide_title")).await;
    let refused = !errors.is_empty();
    let key = s.obligation.clone();
    render_refused(&DecidePage { c, body: step.body().clone(), s, key, f, errors }, refused)
}

/// The decision form for one obligation.
pub async fn decide_form(step: Step, Query(q): Query<KeyQuery>) -> AppResult<Response> {
    let s = obligation(&step, &q.o).await?;
    let f = DecideForm { o: q.o, kind: "not_applicable".into(), ..DecideForm::default() };
    decide_page(&step, s, f, Vec::new()).await
}

/// Records a decision, then back to the body's page.
pub async fn decide(step: Step, Form(f): Form<DecideForm>) -> AppResult<Response> {
    let s = obligation(&step, &f.o).await?;
    let d = match decisions::check(&f.kind, &f.reason, &f.href, &f.on, step.today) {
        Ok(d) => d,
        Err(e) => return decide_page(&step, s, f, e.field_errors()).await,
    };
    // A link answers the due date the obligation stands at now.
    let due = match d {
        NewDecision::Evidence { .. } => s.due.clone(),
        _ => None,
    };
    decisions::record(step.db(), &step.actor(), step.now, step.body().id, &s.obligation, due.as_deref(), &d).await?;
    Ok(Redirect::to(&format!("{}?done=decided", step.page("compliance/"))).into_response())
}

#[derive(Template)]
#[template(path = "compliance/methodology.html")]
pub struct MethodologyPage {
    pub c: Chrome,
    pub m: Methodology,
    pub en: bool,
    pub can_load: bool,
    pub versions: Vec<(String, i64, bool, String)>,
    pub notice: Option<String>,
    pub errors: Vec<String>,
}

impl MethodologyPage {
    pub fn parameter_title(&self, key: &str) -> String {
        self.m.parameter(key).map(|p| p.title.get(self.en).to_string()).unwrap_or_else(|| key.to_string())
    }

    pub fn num(&self, x: &f64) -> String {
        number(*x)
    }
}

async fn methodology_page(
    state: &AppState,
    v: &Visitor,
    user: &StaffUser,
    notice: Option<String>,
    errors: Vec<String>,
) -> AppResult<Response> {
    let m = evaluate::methodology(&state.db).await?;
    let versions = crate::store::versions(&state.db, &state.timezone).await?;
    let c = board_chrome(state, v, v.t("compliance_methodology")).await;
    let can_load = user.allows(kernel::staff::Access::Coordinate, &[]);
    let refused = !errors.is_empty();
    let en = v.lang == shell::i18n::Lang::En;
    render_refused(&MethodologyPage { c, m, en, can_load, versions, notice, errors }, refused)
}

/// The methodology in use, its versions, and (for the coordinator) the form to load another.
pub async fn methodology(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
) -> AppResult<Response> {
    methodology_page(&state, &v, &user, None, Vec::new()).await
}

/// The methodology in use as its file.
pub async fn methodology_json(State(state): State<AppState>) -> AppResult<Response> {
    let m = evaluate::methodology(&state.db).await?;
    let bytes = serde_json::to_vec_pretty(&m).map_err(|e| AppError::Internal(e.into()))?;
    let name = format!("methodology-{}-v{}.json", m.code, m.version);
    Ok(attachment(bytes.into(), &name, "application/json", "private, no-store"))
}

/// Loads a methodology file: checked, kept as a new version, in use at once.
pub async fn load(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    form: Multipart,
) -> AppResult<Response> {
    let (_, mut files) = shell::forms::multipart(form, &["file"]).await?;
    let Some(bytes) = files.remove("file").map(|f| f.bytes).filter(|b| !b.is_empty()) else {
        return methodology_page(&state, &v, &user, None, vec!["Выберите файл методики (JSON).".into()]).await;
    };
    let m = match Methodology::read(&bytes) {
        Ok(m) => m,
        Err(errors) => return methodology_page(&state, &v, &user, None, errors).await,
    };
    match crate::store::load(&state.db, &user.actor(), state.clock.now_ms(), &m).await {
        Ok(()) => methodology_page(&state, &v, &user, Some(v.t("compliance_loaded").to_string()), Vec::new()).await,
        Err(e) => match e.about_input() {
            Some(message) => methodology_page(&state, &v, &user, None, vec![message]).await,
            None => Err(e.into()),
        },
    }
}
