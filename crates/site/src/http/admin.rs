//! The portal admin's catalogue: every item with its rule, downloaded as CSV, edited in a
//! spreadsheet and loaded back whole (checked first: one bad row and nothing changes), or put
//! back to the built-in one. Every load is in the audit log.

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use kernel::staff::StaffUser;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::render::render_refused;

use crate::catalogue::{self, Item};
use crate::store;

#[derive(Template)]
#[template(path = "staff/catalogue.html")]
pub struct CataloguePage {
    pub c: Chrome,
    pub sections: Vec<(String, Vec<Item>)>,
    pub total: usize,
    pub errors: Vec<String>,
}

async fn page(state: &AppState, v: &Visitor, errors: Vec<String>) -> AppResult<Response> {
    let items = store::catalogue(&state.db).await?;
    let sections =
        catalogue::sections(&items).into_iter().map(|(s, list)| (s, list.into_iter().cloned().collect())).collect();
    let title = v.t("site_catalogue");
    let c = Chrome::new(state, v, title).await;
    let home = c.t("staff_home");
    let c = c.crumb(home, "/staff/").crumb(title, "");
    let refused = !errors.is_empty();
    render_refused(&CataloguePage { c, sections, total: items.len(), errors }, refused)
}

pub async fn show(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    page(&state, &v, vec![]).await
}

pub async fn download(State(state): State<AppState>) -> AppResult<Response> {
    let items = store::catalogue(&state.db).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"catalogue.csv\""),
        ],
        catalogue::to_csv(&items),
    )
        .into_response())
}

pub async fn load(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    mut form: Multipart,
) -> AppResult<Response> {
    let mut file = None;
    while let Some(field) =
        form.next_field().await.map_err(|_| AppError::bad("Файл не удалось получить: отправьте форму ещё раз."))?
    {
        if field.name() == Some("file") {
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::bad("Файл не удалось получить целиком: отправьте его ещё раз."))?;
            file = Some(bytes);
        }
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return page(&state, &v, vec!["выберите файл каталога (CSV)".into()]).await;
    };
    match catalogue::parse(&bytes) {
        Ok(items) => {
            store::replace_catalogue(&state.db, &user.actor(), state.clock.now_ms(), &items).await?;
            Ok(Redirect::to("/staff/site/catalogue?done=saved").into_response())
        }
        Err(errors) => page(&state, &v, errors).await,
    }
}

pub async fn reset(State(state): State<AppState>, Extension(user): Extension<StaffUser>) -> AppResult<Response> {
    store::replace_catalogue(&state.db, &user.actor(), state.clock.now_ms(), &[]).await?;
    Ok(Redirect::to("/staff/site/catalogue?done=saved").into_response())
}
