//! The staff's page of search (the regional coordinator and the portal admin): the synonyms and
//! abbreviations search uses, and what people searched for in the last 30 days — the most asked
//! queries and those that found nothing (seed 000 §24), counts only.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::staff::StaffUser;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::Form;
use shell::render::render;

use crate::store::{self, Asked, Synonym};

/// Days the report looks back.
const DAYS: i64 = 30;
/// Queries listed in each list of the report.
const LISTED: i64 = 20;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SynonymForm {
    words: String,
    meaning: String,
}

#[derive(Template)]
#[template(path = "staff_search.html")]
struct StaffPage {
    c: Chrome,
    synonyms: Vec<Synonym>,
    form: SynonymForm,
    /// The field the error is about, and the message.
    error: Option<(&'static str, String)>,
    since: String,
    total: i64,
    asked: Vec<Asked>,
    empty: Vec<Asked>,
}

impl StaffPage {
    /// The report's two lists: (heading key, queries, anchor).
    fn lists(&self) -> [(&'static str, &Vec<Asked>, &'static str); 2] {
        [("search_most_asked", &self.asked, "searches"), ("search_not_found", &self.empty, "empty")]
    }

    fn error_on(&self, field: &str) -> Option<&str> {
        self.error.as_ref().filter(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
}

async fn page(
    state: &AppState,
    v: &Visitor,
    form: SynonymForm,
    error: Option<(&'static str, String)>,
) -> AppResult<Response> {
    crate::http::flush(state).await?;
    let since = state.today()?.checked_sub(jiff::Span::new().days(DAYS - 1)).map_err(anyhow::Error::from)?.to_string();
    let (total, asked, empty) = store::report(&state.db, &since, LISTED).await?;
    let title = v.t("desk_search");
    let c = Chrome::new(state, v, title).await;
    let home = c.t("staff_home");
    let c = c.crumb(home, "/staff/").crumb(title, "");
    let status =
        if error.is_some() { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    let synonyms = store::synonyms(&state.db).await?;
    let since = shell::chrome::day(v.lang, &since);
    let mut r = render(&StaffPage { c, synonyms, form, error, since, total, asked, empty })?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn show(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    page(&state, &v, SynonymForm::default(), None).await
}

pub async fn add(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Form(f): Form<SynonymForm>,
) -> AppResult<Response> {
    match store::add(&state.db, &user.actor(), state.clock.now_ms(), &f.words, &f.meaning).await {
        Ok(_) => {
            crate::follow::of(&state)?.synonyms_changed();
            Ok(Redirect::to("/staff/search/?done=created#synonyms-h").into_response())
        }
        Err(e) => match (e.field(), e.about_input()) {
            (Some(field), Some(message)) => {
                let field = if field == "meaning" { "meaning" } else { "words" };
                page(&state, &v, f, Some((field, message))).await
            }
            _ => Err(e.into()),
        },
    }
}

pub async fn remove(
    State(state): State<AppState>,
    Extension(user): Extension<StaffUser>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    if !store::remove(&state.db, &user.actor(), state.clock.now_ms(), id).await? {
        return Err(AppError::NotFound);
    }
    crate::follow::of(&state)?.synonyms_changed();
    Ok(Redirect::to("/staff/search/?done=deleted#synonyms-h").into_response())
}
