//! The plan of rule-making's pages: the lawyers' page of a year's plan (items added, linked to
//! the draft each became, removed) and citizens' page of it, each item with its term read as a
//! date and its draft's stage.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form, attach_errors};
use shell::render::{render, render_refused};
use shell::step::Step;

use crate::plan::{self, Item, ItemForm};
use crate::store::{self, Draft};

/// One item as a page shows it: its term read as a date, its kind's name, its draft.
pub struct Row {
    pub item: Item,
    pub due: String,
    pub kind: String,
    pub draft: Option<(Draft, &'static str)>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

fn year_of(q: &str, today: deadlines::Date) -> AppResult<i64> {
    match q.trim() {
        "" => Ok(i64::from(today.year())),
        y => y
            .parse::<i64>()
            .ok()
            .filter(|y| (2000..=i64::from(today.year()) + 2).contains(y))
            .ok_or_else(|| AppError::bad("Год плана — число от 2000 до следующего за текущим года.")),
    }
}

async fn rows(state: &AppState, body_id: i64, year: i64, today: deadlines::Date) -> AppResult<Vec<Row>> {
    let (_, cal) = state.today_and_calendar().await?;
    let kinds = store::kinds(&state.db).await?;
    let drafts: HashMap<i64, Draft> =
        store::list(&state.db, Some(body_id)).await?.into_iter().map(|d| (d.id, d)).collect();
    Ok(plan::items(&state.db, body_id, year)
        .await?
        .into_iter()
        .map(|item| {
            let due = item.due(&cal).map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default();
            let kind = kinds.iter().find(|k| k.code == item.kind).map(|k| k.name.clone()).unwrap_or_default();
            let draft = item.draft_id.and_then(|id| drafts.get(&id)).map(|d| (d.clone(), d.stage_on(today)));
            Row { item, due, kind, draft }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "public/plan.html")]
pub struct PublicPage {
    pub c: Chrome,
    pub body: Body,
    pub year: i64,
    pub years: Vec<i64>,
    pub rows: Vec<Row>,
}

pub async fn public(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let body = state.directory().await?.body(&slug).cloned().ok_or(AppError::NotFound)?;
    let today = state.today()?;
    let year = year_of(&q.year, today)?;
    let rows = rows(&state, body.id, year, today).await?;
    let years = (i64::from(today.year()) - 3..=i64::from(today.year()) + 1).rev().collect();
    let title = v.t("plan_h");
    let c = Chrome::new(&state, &v, format!("{title} {year} — {}", body.short_name))
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(v.t("drafts"), format!("/o/{}/drafts/", body.slug))
        .crumb(title, "");
    render(&PublicPage { c, body, year, years, rows })
}

#[derive(Template)]
#[template(path = "staff/plan.html")]
pub struct StaffPage {
    pub c: Chrome,
    pub body: Body,
    pub year: i64,
    pub rows: Vec<Row>,
    /// The body's drafts an item may be linked to.
    pub drafts: Vec<Draft>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
}

async fn staff_page(step: &Step, year: i64, f: &ItemForm, errors: Vec<(&'static str, String)>) -> AppResult<Response> {
    let rows = rows(&step.state, step.body().id, year, step.today).await?;
    let drafts = store::list(step.db(), Some(step.body().id)).await?;
    let kinds = store::kinds(step.db()).await?;
    let mut options = vec![(String::new(), step.v.t("draft_choose_kind").to_string())];
    options.extend(kinds.iter().map(|k| (k.code.clone(), k.name.clone())));
    let year_value = if f.year.is_empty() { year.to_string() } else { f.year.clone() };
    let mut fields = vec![
        Field::new("year", "plan_year", &year_value, "number").required(),
        Field::new("title", "f_title", &f.title, "text").required(),
        Field::select("kind", "f_kind", &f.kind, options).required(),
        Field::new("term", "plan_term", &f.term, "text").required().hint("plan_term_hint"),
        Field::new("responsible", "plan_responsible", &f.responsible, "text"),
    ];
    let refused = !errors.is_empty();
    let errors = attach_errors(&mut fields, errors);
    let title = format!("{} {year}", step.v.t("plan_h"));
    let c = step.chrome("desk_drafts", "drafts/", &title).await;
    render_refused(&StaffPage { c, body: step.body().clone(), year, rows, drafts, fields, errors }, refused)
}

pub async fn staff(step: Step, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let year = year_of(&q.year, step.today)?;
    staff_page(&step, year, &ItemForm::default(), Vec::new()).await
}

pub async fn add(step: Step, Form(f): Form<ItemForm>) -> AppResult<Response> {
    let kinds = store::kinds(step.db()).await?;
    let year = f.year.trim().parse::<i64>().unwrap_or(i64::from(step.today.year()));
    let checked = match plan::check(&f, &kinds, &step.cal, step.today) {
        Ok(c) => c,
        Err(kernel::Error::Form(errors)) => return staff_page(&step, year, &f, errors).await,
        Err(e) => return Err(e.into()),
    };
    let id = plan::add(step.db(), &step.actor(), step.now, step.body().id, &checked).await?;
    Ok(Redirect::to(&format!("{}?year={year}&done=saved#p{id}", step.page("drafts/plan"))).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ItemAction {
    action: String,
    draft: String,
}

/// Links an item to a draft, unlinks it, or removes it.
pub async fn change(step: Step, Path((_, pid)): Path<(String, i64)>, Form(f): Form<ItemAction>) -> AppResult<Response> {
    let item = item_of(&step, pid).await?;
    match f.action.as_str() {
        "link" => {
            let draft = match f.draft.trim() {
                "" => None,
                d => {
                    let id = d.parse::<i64>().map_err(|_| AppError::bad("Выберите проект из списка."))?;
                    Some(store::get(step.db(), id).await?.ok_or_else(|| AppError::bad("Выберите проект из списка."))?)
                }
            };
            plan::link(step.db(), &step.actor(), step.now, &item, draft.as_ref()).await?;
        }
        "remove" => plan::remove(step.db(), &step.actor(), step.now, &item).await?,
        _ => return Err(AppError::bad("Выберите действие: связать с проектом или удалить из плана.")),
    }
    Ok(Redirect::to(&format!("{}?year={}&done=saved#p{pid}", step.page("drafts/plan"), item.year)).into_response())
}

/// The body's item, or not found.
async fn item_of(step: &Step, pid: i64) -> AppResult<Item> {
    plan::get(step.db(), pid).await?.filter(|i| i.body_id == step.body().id).ok_or(AppError::NotFound)
}
