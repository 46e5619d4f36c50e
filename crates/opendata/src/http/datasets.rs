//! The publishers' pages of a body's datasets: create one (passport and structure, or guessed
//! from a sample CSV), edit it, upload versions — checked whole against the structure; an invalid
//! file is refused with its first hundred problems on the page and all of them as a CSV —
//! compare two versions, and publish or withdraw.

use crate::publish::{self, Full};
use crate::store::{self, Dataset, PassportForm};
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use kernel::staff::{Access, Role, StaffUser};
use opendata_format::{Field as DataField, FieldType, Issue, Structure};
use shell::forms::Fields;

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, attach_errors};
use shell::render::{render, render_refused};
use shell::staff::Scoped;
use shell::step::Step;

use super::csv_response;

/// Who may create, upload and publish a body's datasets.
pub const PUBLISHERS: &[Role] = &[Role::OpendataOfficer, Role::Editor];

/// Empty structure rows the new-dataset form offers.
const STRUCTURE_ROWS: usize = 10;

const TYPES: [&str; 11] = [
    "string",
    "string(255)",
    "integer",
    "decimal",
    "date",
    "datetime",
    "boolean",
    "url",
    "email",
    "latitude",
    "longitude",
];

pub(crate) async fn staff_chrome(state: &AppState, v: &Visitor, s: &Scoped, last: &str) -> Chrome {
    s.chrome(state, v, "opendata", "opendata/", last).await
}

pub(crate) fn may_publish(user: &StaffUser, s: &Scoped) -> bool {
    let ids: Vec<i64> = s.chain.iter().map(|b| b.id).collect();
    user.allows(Access::BodyWrite(PUBLISHERS), &ids)
}

#[derive(Template)]
#[template(path = "staff/datasets.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    pub datasets: Vec<Dataset>,
    pub can_create: bool,
}

pub async fn staff_list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    let datasets = store::for_body(&state.db, s.body.id).await?;
    let can_create = may_publish(&user, &s);
    let c = staff_chrome(&state, &v, &s, v.t("opendata")).await;
    render(&ListPage { c, body: s.body, datasets, can_create })
}

/// One row of the structure editor.
pub struct StructureRow {
    pub name: String,
    pub en: String,
    pub ru: String,
    pub kind: String,
    pub required: bool,
    /// Whether this field is the structure's key.
    pub key: bool,
}

/// The passport and structure form: for a new dataset, or to edit one (`dataset` is then set).
#[derive(Template)]
#[template(path = "staff/dataset_new.html")]
pub struct NewPage {
    pub c: Chrome,
    pub body: Body,
    pub dataset: Option<Dataset>,
    pub fields: Vec<Field>,
    pub rows: Vec<StructureRow>,
    pub types: Vec<&'static str>,
    pub errors: Vec<String>,
}

impl NewPage {
    pub fn action(&self) -> String {
        match &self.dataset {
            Some(d) => format!("/staff/o/{}/opendata/{}/edit", self.body.slug, d.id),
            None => format!("/staff/o/{}/opendata/new", self.body.slug),
        }
    }
}

fn passport_fields(f: &PassportForm, creating: bool) -> Vec<Field> {
    let mut fields = Vec::new();
    if creating {
        fields.push(Field::new("name", "dataset_name", &f.name, "text").required().hint("dataset_name_hint"));
    }
    fields.extend([
        Field::new("title", "dataset_title", &f.title, "text").required(),
        Field::new("description", "dataset_description", &f.description, "textarea").required(),
        Field::new("keywords", "dataset_keywords", &f.keywords, "text").hint("dataset_keywords_hint"),
        Field::new("publisher_name", "dataset_publisher", &f.publisher_name, "text").required(),
        Field::new("publisher_phone", "dataset_phone", &f.publisher_phone, "tel").required(),
        Field::new("publisher_mbox", "dataset_mbox", &f.publisher_mbox, "email").required(),
        Field::new("schedule", "dataset_schedule", &f.schedule, "text").hint("dataset_schedule_hint"),
        Field::new("licence", "dataset_licence", &f.licence, "textarea").hint("dataset_licence_hint"),
    ]);
    fields
}

async fn new_page(
    state: &AppState,
    v: &Visitor,
    s: &Scoped,
    dataset: Option<Dataset>,
    (f, rows): (&PassportForm, Vec<StructureRow>),
    error: Option<kernel::Error>,
) -> AppResult<Response> {
    let mut fields = passport_fields(f, dataset.is_none());
    let mut errors = Vec::new();
    let status = match error {
        None => StatusCode::OK,
        Some(e) => {
            let list = e.field_errors();
            if list.is_empty() {
                return Err(e.into());
            }
            errors = attach_errors(&mut fields, list);
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let title = match &dataset {
        Some(d) => format!("{}: {}", v.t("dataset_edit"), d.title),
        None => v.t("dataset_new").to_string(),
    };
    let c = staff_chrome(state, v, s, &title).await;
    let page = NewPage { c, body: s.body.clone(), dataset, fields, rows, types: TYPES.to_vec(), errors };
    let mut resp = render(&page)?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// A structure as the editor's rows, with a few empty rows to add fields.
fn rows_of(structure: &Structure) -> Vec<StructureRow> {
    let mut rows: Vec<StructureRow> = structure
        .fields
        .iter()
        .map(|f| StructureRow {
            name: f.name.clone(),
            en: f.en.clone(),
            ru: f.ru.clone(),
            kind: f.kind.name(),
            required: f.required,
            key: structure.key.as_ref() == Some(&f.name),
        })
        .collect();
    rows.extend(empty_rows(3));
    rows
}

fn empty_rows(n: usize) -> Vec<StructureRow> {
    (0..n)
        .map(|_| StructureRow {
            name: String::new(),
            en: String::new(),
            ru: String::new(),
            kind: "string".into(),
            required: false,
            key: false,
        })
        .collect()
}

pub async fn new_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    let f = PassportForm { licence: store::DEFAULT_LICENCE.into(), ..Default::default() };
    new_page(&state, &v, &s, None, (&f, empty_rows(STRUCTURE_ROWS)), None).await
}

/// The new-dataset form with its structure guessed from a sample CSV the staff member sends.
pub async fn from_sample(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
    mut form: Multipart,
) -> AppResult<Response> {
    let mut sample = None;
    while let Some(field) =
        form.next_field().await.map_err(|_| AppError::bad("Файл не удалось получить: отправьте форму ещё раз."))?
    {
        if field.name() == Some("sample") {
            sample = Some(field.bytes().await.map_err(|_| AppError::bad("Файл не удалось получить целиком."))?);
        }
    }
    let passport = PassportForm { licence: store::DEFAULT_LICENCE.into(), ..Default::default() };
    let guessed = match sample.filter(|b| !b.is_empty()) {
        None => Err("выберите файл-образец (CSV, UTF-8)".to_string()),
        Some(bytes) => {
            // The first megabyte is sample enough; cut at a line end so no record is broken.
            const SAMPLE: usize = 1024 * 1024;
            let cut = match bytes.len() > SAMPLE {
                true => bytes[..SAMPLE].iter().rposition(|b| *b == b'\n').map_or(SAMPLE, |p| p + 1),
                false => bytes.len(),
            };
            Structure::infer(&bytes[..cut])
        }
    };
    match guessed {
        Ok(structure) => new_page(&state, &v, &s, None, (&passport, rows_of(&structure)), None).await,
        Err(e) => {
            let error = kernel::Error::Form(vec![("structure", format!("структура по образцу не получена: {e}"))]);
            new_page(&state, &v, &s, None, (&passport, empty_rows(STRUCTURE_ROWS)), Some(error)).await
        }
    }
}

/// Reads the structure rows of the form; rows with every cell empty are ignored.
fn structure_from(fields: &Fields) -> (Vec<StructureRow>, Result<Structure, Vec<String>>) {
    let get = |k: String| fields.get(&k).to_string();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut structure = Structure::default();
    for i in 0..200 {
        let row = StructureRow {
            name: get(format!("f{i}_name")),
            en: get(format!("f{i}_en")),
            ru: get(format!("f{i}_ru")),
            kind: get(format!("f{i}_type")),
            required: get(format!("f{i}_required")) == "1",
            key: get("key".into()) == i.to_string(),
        };
        if !["name", "en", "ru", "type", "required"].iter().any(|c| fields.has(&format!("f{i}_{c}"))) {
            break;
        }
        if row.name.is_empty() && row.en.is_empty() && row.ru.is_empty() {
            continue;
        }
        if row.key {
            structure.key = Some(row.name.clone());
        }
        match FieldType::parse(&row.kind) {
            Some(kind) => structure.fields.push(DataField {
                name: row.name.clone(),
                en: row.en.clone(),
                ru: row.ru.clone(),
                kind,
                required: row.required,
            }),
            None => errors.push(format!("поле «{}»: тип «{}» неизвестен", row.name, row.kind)),
        }
        rows.push(row);
    }
    errors.extend(structure.problems().into_iter().map(|(_, m)| m));
    let missing = STRUCTURE_ROWS.saturating_sub(rows.len()).max(3);
    rows.extend(empty_rows(missing));
    (rows, if errors.is_empty() { Ok(structure) } else { Err(errors) })
}

fn passport_from(pairs: &Fields) -> PassportForm {
    let get = |k: &str| pairs.raw(k).to_string();
    PassportForm {
        name: get("name"),
        title: get("title"),
        description: get("description"),
        keywords: get("keywords"),
        publisher_name: get("publisher_name"),
        publisher_phone: get("publisher_phone"),
        publisher_mbox: get("publisher_mbox"),
        schedule: get("schedule"),
        licence: get("licence"),
    }
}

/// Checks the passport and structure of the form together; all problems at once.
fn checked(
    pairs: &Fields,
    inn: Option<&str>,
) -> (PassportForm, Vec<StructureRow>, Result<(PassportForm, Structure), kernel::Error>) {
    let form = passport_from(pairs);
    let (rows, structure) = structure_from(pairs);
    let result = match (store::validate_passport(&form, inn), structure) {
        (Ok(p), Ok(st)) => Ok((p, st)),
        (p, st) => {
            let mut list = p.err().map(|e| e.field_errors()).unwrap_or_default();
            list.extend(st.err().unwrap_or_default().into_iter().map(|m| ("structure", m)));
            Err(kernel::Error::Form(list))
        }
    };
    (form, rows, result)
}

pub async fn create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    body: Bytes,
) -> AppResult<Response> {
    let pairs = Fields::parse(&body);
    let (form, rows, result) = checked(&pairs, Some(&s.body.inn));
    let (passport, structure) = match result {
        Ok(ok) => ok,
        Err(e) => return new_page(&state, &v, &s, None, (&form, rows), Some(e)).await,
    };
    let now = state.clock.now_ms();
    let stamp = publish::stamp_at(now, &state.timezone).ok_or_else(|| AppError::Internal(anyhow::anyhow!("clock")))?;
    match store::create(&state.db, &user.actor(), now, stamp, &s.body, &passport, &structure).await {
        Ok(id) => Ok(Redirect::to(&format!("/staff/o/{}/opendata/{id}?done=created", s.body.slug)).into_response()),
        Err(e @ (kernel::Error::Conflict { .. } | kernel::Error::Invalid { .. })) => {
            new_page(&state, &v, &s, None, (&form, rows), Some(e)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The current passport and structure, as the form shows them.
async fn current_form(state: &AppState, d: &Dataset) -> AppResult<(PassportForm, Vec<StructureRow>)> {
    let form = PassportForm {
        name: String::new(),
        title: d.title.clone(),
        description: d.description.clone(),
        keywords: d.keywords.clone(),
        publisher_name: d.publisher_name.clone(),
        publisher_phone: d.publisher_phone.clone(),
        publisher_mbox: d.publisher_mbox.clone(),
        schedule: d.schedule.clone(),
        licence: d.licence.clone(),
    };
    let structure = store::structures(&state.db, d.id).await?.pop().map(|s| s.structure).unwrap_or_default();
    Ok((form, rows_of(&structure)))
}

pub async fn edit_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let dataset = load_dataset(&state, &s.body, id).await?;
    let (form, rows) = current_form(&state, &dataset).await?;
    new_page(&state, &v, &s, Some(dataset), (&form, rows), None).await
}

/// Saves an edited passport; a changed structure becomes a new structure version.
pub async fn edit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    Path((_, id)): Path<(String, i64)>,
    body: Bytes,
) -> AppResult<Response> {
    let dataset = load_dataset(&state, &s.body, id).await?;
    let pairs = Fields::parse(&body);
    let (form, rows, result) = checked(&pairs, None);
    let (passport, structure) = match result {
        Ok(ok) => ok,
        Err(e) => return new_page(&state, &v, &s, Some(dataset), (&form, rows), Some(e)).await,
    };
    let now = state.clock.now_ms();
    let stamp = publish::stamp_at(now, &state.timezone).ok_or_else(|| AppError::Internal(anyhow::anyhow!("clock")))?;
    store::add_structure(&state.db, &user.actor(), now, stamp, &dataset, &structure).await?;
    store::update_passport(&state.db, &user.actor(), now, &dataset, &passport).await?;
    Ok(Redirect::to(&format!("/staff/o/{}/opendata/{id}?done=saved", s.body.slug)).into_response())
}

#[derive(Template)]
#[template(path = "staff/dataset.html")]
pub struct DatasetPage {
    pub c: Chrome,
    pub body: Body,
    pub full: Full,
    pub can_change: bool,
    pub upload_error: Option<String>,
    pub issues: Vec<Issue>,
    pub errors_total: u64,
    pub report_url: Option<String>,
    pub public_url: String,
}

impl DatasetPage {
    pub fn structure(&self) -> Option<&Structure> {
        self.full.structures.last().map(|s| &s.structure)
    }
}

async fn load_dataset(state: &AppState, body: &Body, id: i64) -> AppResult<Dataset> {
    store::by_id(&state.db, id).await?.filter(|d| d.body_id == body.id).ok_or(AppError::NotFound)
}

/// The outcome of an upload to show on the dataset page.
#[derive(Default)]
struct Shown {
    error: Option<String>,
    issues: Vec<Issue>,
    total: u64,
    report: Option<String>,
}

async fn dataset_page(
    state: &AppState,
    v: &Visitor,
    user: &StaffUser,
    s: &Scoped,
    dataset: Dataset,
    shown: Shown,
) -> AppResult<Response> {
    let full = publish::full(&state.db, dataset).await?;
    let c = staff_chrome(state, v, s, &full.dataset.title.clone()).await;
    let failed = shown.error.is_some() || !shown.issues.is_empty();
    let public_url = publish::folder(&state.cfg.public_url, &full.dataset.identifier);
    render_refused(
        &DatasetPage {
            c,
            body: s.body.clone(),
            full,
            can_change: may_publish(user, s),
            upload_error: shown.error,
            issues: shown.issues,
            errors_total: shown.total,
            report_url: shown.report,
            public_url,
        },
        failed,
    )
}

pub async fn staff_dataset(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let dataset = load_dataset(&state, &s.body, id).await?;
    dataset_page(&state, &v, &user, &s, dataset, Shown::default()).await
}

/// A new data version: checked whole; refused with its problems, or stored.
pub async fn upload(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    Path((_, id)): Path<(String, i64)>,
    mut form: Multipart,
) -> AppResult<Response> {
    let dataset = load_dataset(&state, &s.body, id).await?;
    let (mut provenance, mut valid_until, mut file) = (String::new(), String::new(), None);
    while let Some(field) =
        form.next_field().await.map_err(|_| AppError::bad("Файл не удалось получить: отправьте форму ещё раз."))?
    {
        match field.name() {
            Some("provenance") => provenance = field.text().await.unwrap_or_default(),
            Some("valid_until") => valid_until = field.text().await.unwrap_or_default(),
            Some("file") => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::bad("Файл не удалось получить целиком: отправьте его ещё раз."))?;
                file = Some(bytes);
            }
            _ => {}
        }
    }
    let refuse = |message: String| Shown { error: Some(message), ..Default::default() };
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        let shown = refuse("Выберите файл с данными (CSV или XML).".into());
        return dataset_page(&state, &v, &user, &s, dataset, shown).await;
    };
    let now = state.clock.now_ms();
    let stamp = publish::stamp_at(now, &state.timezone).ok_or_else(|| AppError::Internal(anyhow::anyhow!("clock")))?;
    let upload = store::Upload {
        bytes: bytes.clone(),
        provenance: &provenance,
        valid_until: &valid_until,
        idempotency_key: None,
    };
    let result = store::add_version(&state.db, &state.storage, &user.actor(), now, stamp, &dataset, upload).await;
    match result {
        Ok((_, Some(_))) => {
            Ok(Redirect::to(&format!("/staff/o/{}/opendata/{id}?done=saved", s.body.slug)).into_response())
        }
        Ok((report, None)) => {
            // The full report: every problem, kept as a file the page links to.
            let mut csv = kernel::csv::row(&["line", "column", "field", "code", "message"]);
            let structure = store::structures(&state.db, id).await?.pop().map(|s| s.structure).unwrap_or_default();
            opendata_format::validate_any(&structure, &bytes[..], 0, &mut |i| {
                let column = i.column.map(|c| c.to_string()).unwrap_or_default();
                csv.push_str(&kernel::csv::row(&[
                    i.line.to_string(),
                    column,
                    i.field.clone(),
                    i.code.into(),
                    i.message.clone(),
                ]));
            })
            .map_err(|e| AppError::Internal(e.into()))?;
            let name = format!("{}.csv", kernel::staff::random_token());
            let key = format!("opendata-reports/{id}/{name}");
            state.storage.put(&key, Bytes::from(csv)).await.map_err(AppError::Internal)?;
            let shown = Shown {
                error: Some(format!(
                    "Файл не принят: ошибок {}. Опубликованная версия не изменилась. Исправьте файл и загрузите снова.",
                    report.errors
                )),
                total: report.errors,
                issues: report.issues,
                report: Some(format!("/staff/o/{}/opendata/{id}/reports/{name}", s.body.slug)),
            };
            dataset_page(&state, &v, &user, &s, dataset, shown).await
        }
        Err(e) => match e.about_input() {
            Some(message) => dataset_page(&state, &v, &user, &s, dataset, refuse(message)).await,
            None => Err(e.into()),
        },
    }
}

pub async fn report(
    State(state): State<AppState>,
    Extension(s): Extension<Scoped>,
    Path((_, id, name)): Path<(String, i64, String)>,
) -> AppResult<Response> {
    load_dataset(&state, &s.body, id).await?;
    let plain = name.strip_suffix(".csv").is_some_and(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_hexdigit()));
    if !plain {
        return Err(AppError::NotFound);
    }
    let bytes = state.storage.get(&format!("opendata-reports/{id}/{name}")).await.map_err(|_| AppError::NotFound)?;
    Ok(csv_response(String::from_utf8_lossy(&bytes).into_owned(), "errors.csv"))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DiffQuery {
    from: String,
    to: String,
}

/// How many rows of each kind a comparison page shows.
const DIFF_SHOWN: usize = 100;

#[derive(Template)]
#[template(path = "staff/dataset_diff.html")]
pub struct DiffPage {
    pub c: Chrome,
    pub body: Body,
    pub dataset: Dataset,
    pub from: String,
    pub to: String,
    pub diff: opendata_format::diff::Diff,
    pub shown: usize,
}

impl DiffPage {
    /// The added and the removed rows, each under its heading.
    pub fn sections(&self) -> Vec<(&'static str, &Vec<Vec<String>>)> {
        vec![("rows_added", &self.diff.added), ("rows_removed", &self.diff.removed)]
    }
}

/// Two data versions compared: rows added, removed and, by the structure's key, changed.
pub async fn compare(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<DiffQuery>,
) -> AppResult<Response> {
    let dataset = load_dataset(&state, &s.body, id).await?;
    let versions = store::versions(&state.db, id).await?;
    let find = |stamp: &str| {
        versions.iter().find(|v| v.stamp == stamp).ok_or_else(|| AppError::bad(format!("Версии {stamp} у набора нет.")))
    };
    let (a, b) = (find(&q.from)?, find(&q.to)?);
    let (a, b) = if a.stamp <= b.stamp { (a, b) } else { (b, a) };
    let structure = store::structures(&state.db, id).await?.into_iter().find(|x| x.id == b.structure_id);
    let key = structure.and_then(|x| x.structure.key);
    let read = |key: String| {
        let storage = state.storage.clone();
        async move { storage.get(&key).await.map_err(AppError::Internal) }
    };
    let (older, newer) = (read(a.file_key.clone()).await?, read(b.file_key.clone()).await?);
    let diff = opendata_format::diff::diff(&older, &newer, key.as_deref())
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let title = v.t("compare_versions");
    let c = staff_chrome(&state, &v, &s, title).await;
    let (from, to) = (a.file_name(), b.file_name());
    render(&DiffPage { c, body: s.body, dataset, from, to, diff, shown: DIFF_SHOWN })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    published: String,
}

pub async fn set_published(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    shell::forms::Form(f): shell::forms::Form<PublishForm>,
) -> AppResult<Response> {
    let Step { state, v, user, s, .. } = &step;
    let dataset = load_dataset(state, &s.body, id).await?;
    let done = store::set_published(step.db(), &step.actor(), step.now, &dataset, f.published == "1").await;
    let to = |()| format!("{}?done=saved", step.page(&format!("opendata/{id}")));
    let shown = |message| Shown { error: Some(message), ..Default::default() };
    step.answer(done, to, |message| dataset_page(state, v, user, s, dataset, shown(message))).await
}
