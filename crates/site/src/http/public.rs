//! The public «Информация о деятельности» page of a body: every catalogue item that applies to
//! it, by section, with where it is published and when it was last updated — or that it is not
//! yet, or why it does not apply.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render;

use crate::store;

use super::{ItemView, grouped, views};

#[derive(Template)]
#[template(path = "public/info.html")]
pub struct InfoPage {
    pub c: Chrome,
    pub body: Body,
    pub sections: Vec<(String, Vec<ItemView>)>,
}

pub async fn info(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = state.directory().await?.body(&slug).cloned().ok_or(AppError::NotFound)?;
    let (today, cal) = state.today_and_calendar().await?;
    let items = store::catalogue(&state.db).await?;
    let kind = store::body_kind(&state.db, body.id).await?;
    let records = store::records(&state.db, body.id).await?;
    let all = views(v.lang, &items, &kind, &records, today, &cal);
    let title = v.t("service_site_info");
    let c = Chrome::new(&state, &v, format!("{title} — {}", body.short_name))
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(title, "");
    render(&InfoPage { c, body, sections: grouped(&all) })
}
