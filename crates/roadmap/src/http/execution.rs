//! Importing a published execution report into an approved plan: upload, a preview of what each
//! row will mark (and which rows match no measure), then the marks, all at once, on confirmation.

use askama::Template;
use axum::extract::{Multipart, Path};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use shell::chrome::Chrome;
use shell::error::{AppError, AppResult};
use shell::render::render_refused;
use shell::step::Step;

use crate::execution::{self, Row};
use crate::store::Loaded;

use super::{load_for, staff_chrome};

#[derive(Template)]
#[template(path = "staff/execution.html")]
pub struct UploadPage {
    pub c: Chrome,
    pub body: Body,
    pub loaded: Loaded,
    pub year: String,
    pub source: String,
    pub marked_on: String,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff/execution_preview.html")]
pub struct PreviewPage {
    pub c: Chrome,
    pub body: Body,
    pub loaded: Loaded,
    pub file: String,
    pub year: String,
    pub source: String,
    pub marked_on: String,
    /// Rows that answer for a measure of the plan, with the period each mark will name.
    pub matched: Vec<(Row, String)>,
    /// Rows that match no measure: shown, never stored.
    pub unknown: Vec<Row>,
    pub errors: Vec<String>,
}

impl PreviewPage {
    pub fn statuses(&self) -> [&'static str; 3] {
        crate::marks::STATUSES
    }
}

async fn approved_plan(step: &Step, id: i64) -> AppResult<Loaded> {
    let loaded = load_for(&step.state, step.body(), id).await?;
    if loaded.roadmap.status != "approved" {
        return Err(AppError::bad("Отчёт об исполнении загружается только в утверждённый план."));
    }
    Ok(loaded)
}

pub async fn form(step: Step, Path((_, id)): Path<(String, i64)>) -> AppResult<Response> {
    // A plan not yet approved shows why there is nothing to upload (the page says so).
    let loaded = load_for(&step.state, step.body(), id).await?;
    let year = (step.today.year() - 1).to_string();
    let marked_on = step.today.to_string();
    upload_page(&step, loaded, year, String::new(), marked_on, vec![]).await
}

async fn upload_page(
    step: &Step,
    loaded: Loaded,
    year: String,
    source: String,
    marked_on: String,
    errors: Vec<String>,
) -> AppResult<Response> {
    let c = staff_chrome(&step.state, &step.v, &step.s, step.v.t("execution_import")).await;
    let failed = !errors.is_empty();
    let page = UploadPage { c, body: step.body().clone(), loaded, year, source, marked_on, errors };
    render_refused(&page, failed)
}

/// The report's year, address and date as the form sends them, checked; all problems at once.
fn check(year: &str, source: &str, marked_on: &str) -> (Option<i16>, Vec<String>) {
    let mut errors = Vec::new();
    let y = year.trim().parse::<i16>().ok().filter(|y| (1990..=2100).contains(y));
    if y.is_none() {
        errors.push(format!("«{}» — не год: укажите год отчёта, например 2018", year.trim()));
    }
    let s = source.trim();
    if !(s.starts_with("https://") || s.starts_with("http://") || s.starts_with('/')) || s.contains(char::is_whitespace)
    {
        errors.push("укажите адрес опубликованного отчёта: ссылку, начинающуюся с https:// или с /".into());
    }
    if marked_on.trim().parse::<deadlines::Date>().is_err() {
        errors.push(format!("«{}» — не дата: укажите ГГГГ-ММ-ДД", marked_on.trim()));
    }
    (y, errors)
}

pub async fn upload(step: Step, Path((_, id)): Path<(String, i64)>, mut form: Multipart) -> AppResult<Response> {
    let loaded = approved_plan(&step, id).await?;
    let (mut year, mut source, mut marked_on, mut file) = (String::new(), String::new(), String::new(), None);
    while let Some(field) =
        form.next_field().await.map_err(|_| AppError::bad("Файл не удалось получить: отправьте форму ещё раз."))?
    {
        match field.name() {
            Some("year") => year = field.text().await.unwrap_or_default(),
            Some("source") => source = field.text().await.unwrap_or_default(),
            Some("marked_on") => marked_on = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = field.file_name().unwrap_or("report.txt").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::bad("Файл не удалось получить целиком: отправьте его ещё раз."))?;
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    let (y, mut errors) = check(&year, &source, &marked_on);
    let read = match file.filter(|(n, b)| !n.is_empty() || !b.is_empty()) {
        None => {
            errors.push("выберите файл отчёта об исполнении".into());
            None
        }
        Some((name, bytes)) => match crate::file::read_plan(&name, &bytes) {
            Ok(report) if !report.columns.contains(&crate::import::Column::Mark) => {
                errors.push(format!(
                    "в файле «{name}» нет столбца «Отметка об исполнении» или «Информация об исполнении»"
                ));
                None
            }
            Ok(report) => Some((name, report)),
            Err(e) => {
                errors.push(format!("файл «{name}» не прочитан: {e}"));
                None
            }
        },
    };
    let (Some(y), Some((name, report)), true) = (y, read, errors.is_empty()) else {
        return upload_page(&step, loaded, year, source, marked_on, errors).await;
    };
    let rows = execution::match_report(&loaded, &report);
    let ctx = loaded.roadmap.context();
    let mut matched = Vec::new();
    let mut unknown = Vec::new();
    for r in rows {
        match r.measure_id.and_then(|id| loaded.measures.iter().find(|m| m.id == id)) {
            Some(m) => {
                let period = execution::period_in(&m.deadline, ctx, &step.cal, y);
                matched.push((r, period));
            }
            None => unknown.push(r),
        }
    }
    let c = staff_chrome(&step.state, &step.v, &step.s, step.v.t("execution_preview")).await;
    let body = step.body().clone();
    let page = PreviewPage { c, body, loaded, file: name, year, source, marked_on, matched, unknown, errors: vec![] };
    render_refused(&page, false)
}

/// Stores the confirmed rows as marks — every row checked first, nothing stored if one is wrong.
pub async fn confirm(step: Step, Path((_, id)): Path<(String, i64)>, body: axum::body::Bytes) -> AppResult<Response> {
    let loaded = approved_plan(&step, id).await?;
    let fields = shell::forms::Fields::parse(&body);
    let get = |k: &str| fields.get(k).to_string();
    let (_, mut errors) = check(&get("year"), &get("source"), &get("marked_on"));
    let count = get("rows").parse::<usize>().unwrap_or(0).min(5000);
    let mut marks = Vec::new();
    for i in 0..count {
        if get(&format!("r{i}_take")) != "1" {
            continue;
        }
        let mid: i64 = get(&format!("r{i}_measure")).parse().unwrap_or(0);
        let Some(m) = loaded.measures.iter().find(|m| m.id == mid) else {
            errors.push(format!("строка {}: такого мероприятия в плане нет", i + 1));
            continue;
        };
        let comment = get(&format!("r{i}_mark"));
        let mut evidence = vec![get("source").trim().to_string()];
        evidence.extend(
            comment
                .split_whitespace()
                .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
                .map(|w| w.trim_end_matches([',', '.', ';', ')']).to_string()),
        );
        let status = get(&format!("r{i}_status"));
        match crate::marks::validate(
            &get(&format!("r{i}_period")),
            &status,
            &get("marked_on"),
            &comment,
            &evidence.join("\n"),
        ) {
            Ok(mark) => marks.push((m.id, mark)),
            Err(e) => {
                errors.extend(e.field_errors().into_iter().map(|(_, text)| format!("мероприятие {}: {text}", m.number)))
            }
        }
    }
    if marks.is_empty() && errors.is_empty() {
        errors.push("не выбрано ни одной строки отчёта".into());
    }
    if !errors.is_empty() {
        let (year, source, marked_on) = (get("year"), get("source"), get("marked_on"));
        return upload_page(&step, loaded, year, source, marked_on, errors).await;
    }
    for (mid, mark) in &marks {
        crate::marks::add(step.db(), &step.actor(), step.now, step.body().id, *mid, mark).await?;
    }
    Ok(Redirect::to(&format!("{}?done=saved", step.page(&format!("roadmaps/{id}/track")))).into_response())
}
