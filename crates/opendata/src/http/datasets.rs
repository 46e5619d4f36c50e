//! Open-data pages. Staff of a body create a dataset (passport and structure), upload data
//! versions — checked whole against the structure; an invalid file is refused with its first
//! hundred problems on the page and all of them as a CSV — and publish. The public section
//! follows the standard's layout: `/opendata/` with its registry (`list.csv`), each dataset's
//! folder `/opendata/<identifier>/` with its passport page, `meta.csv`, and every structure and
//! data version under its timestamp; a body's own registry at `/o/<slug>/opendata/`.

use crate::publish::{self, Full};
use crate::store::{self, Dataset, PassportForm};
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::{self, Body};
use kernel::staff::{Access, Role, StaffUser};
use opendata_format::{Field as DataField, FieldType, Issue, Structure};

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, attach_errors};
use shell::render::render;
use shell::staff::Scoped;

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

fn csv_response(body: String, file_name: &str) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(h) = HeaderValue::from_str(&format!("inline; filename=\"{file_name}\"")) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, h);
    }
    resp
}

fn xml_response(body: String) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    resp
}

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
fn structure_from(fields: &[(String, String)]) -> (Vec<StructureRow>, Result<Structure, Vec<String>>) {
    let get = |k: String| fields.iter().find(|(n, _)| *n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
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
        if !fields.iter().any(|(n, _)| n.starts_with(&format!("f{i}_"))) {
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

fn passport_from(pairs: &[(String, String)]) -> PassportForm {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
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
    pairs: &[(String, String)],
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
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
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
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
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
    let mut resp = render(&DatasetPage {
        c,
        body: s.body.clone(),
        full,
        can_change: may_publish(user, s),
        upload_error: shown.error,
        issues: shown.issues,
        errors_total: shown.total,
        report_url: shown.report,
        public_url,
    })?;
    if failed {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
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
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    Path((_, id)): Path<(String, i64)>,
    shell::forms::Form(f): shell::forms::Form<PublishForm>,
) -> AppResult<Response> {
    let dataset = load_dataset(&state, &s.body, id).await?;
    match store::set_published(&state.db, &user.actor(), state.clock.now_ms(), &dataset, f.published == "1").await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/o/{}/opendata/{id}?done=saved", s.body.slug)).into_response()),
        Err(e) => match e.about_input() {
            Some(message) => {
                let shown = Shown { error: Some(message), ..Default::default() };
                dataset_page(&state, &v, &user, &s, dataset, shown).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "public/opendata.html")]
pub struct SectionPage {
    pub c: Chrome,
    /// The body whose section this is, or None for the whole portal.
    pub body: Option<Body>,
    pub datasets: Vec<Dataset>,
    /// Published datasets in the section, and how many of them the search found.
    pub total: usize,
    pub found: usize,
    pub q: String,
    pub licence: &'static str,
    /// The page shown (from 1), the number of the first row on it, and the last page.
    pub page: usize,
    pub offset: usize,
    pub pages: usize,
}

impl SectionPage {
    /// The address of another page of the same search.
    pub fn page_url(&self, page: usize) -> String {
        let q: String = url::form_urlencoded::byte_serialize(self.q.as_bytes()).collect();
        match (self.q.is_empty(), page) {
            (true, 1) => "?".into(),
            (true, p) => format!("?page={p}"),
            (false, 1) => format!("?q={q}"),
            (false, p) => format!("?q={q}&page={p}"),
        }
    }
}

/// Registry rows on one page of the section.
const SECTION_PAGE: usize = 100;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    page: String,
}

/// The section's registry from the in-memory catalogue: the body's datasets (or all), narrowed
/// by the words searched (each must begin a word of the title, description, keywords or
/// identifier), in title order, one page at a time.
async fn section(state: &AppState, v: &Visitor, body: Option<Body>, q: &SearchQuery) -> AppResult<Response> {
    let snap = state.part::<crate::index::Catalogue>()?.entries(&state.db).await?;
    let ix = &snap.index;
    let mut found: Vec<u32> = match &body {
        Some(b) => ix.of_body(&b.slug).to_vec(),
        None => (0..u32::try_from(snap.len()).unwrap_or(u32::MAX)).collect(),
    };
    let total = found.len();
    let text = q.q.trim();
    for w in crate::index::words(text) {
        found = crate::index::intersect(&found, &ix.with_word(&w));
    }
    let pages = found.len().div_ceil(SECTION_PAGE).max(1);
    let page = q.page.trim().parse::<usize>().ok().filter(|p| (1..=pages).contains(p)).unwrap_or(1);
    let offset = (page - 1) * SECTION_PAGE;
    let shown = crate::index::page_in(&ix.titled, &found, snap.len(), offset, SECTION_PAGE);
    let datasets = shown.iter().map(|&p| snap[p as usize].full.dataset.clone()).collect();
    let title = v.t("opendata");
    let mut c = Chrome::new(state, v, title).await;
    if let Some(b) = &body {
        c = c.crumb(b.short_name.clone(), format!("/o/{}/", b.slug));
    }
    let c = c.crumb(title, "");
    let found = found.len();
    let q = text.to_string();
    render(&SectionPage { c, body, datasets, total, found, q, licence: store::DEFAULT_LICENCE, page, offset, pages })
}

pub async fn portal_section(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    section(&state, &v, None, &q).await
}

pub async fn body_section(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let body = bodies::by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    section(&state, &v, Some(body), &q).await
}

pub async fn portal_list(State(state): State<AppState>) -> AppResult<Response> {
    let datasets = store::published(&state.db).await?;
    Ok(csv_response(publish::list_csv(&state.cfg.public_url, &datasets), "list.csv"))
}

/// Datasets on one page of the DCAT catalogue.
const CATALOG_PAGE: usize = 1000;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CatalogQuery {
    page: String,
}

/// The DCAT catalogue of the published datasets, as Turtle, a page at a time (`?page=N`).
pub async fn catalog_ttl(State(state): State<AppState>, Query(q): Query<CatalogQuery>) -> AppResult<Response> {
    catalog(&state, &q, true).await
}

/// The DCAT catalogue as JSON-LD.
pub async fn catalog_jsonld(State(state): State<AppState>, Query(q): Query<CatalogQuery>) -> AppResult<Response> {
    catalog(&state, &q, false).await
}

/// From the in-memory catalogue: no database reads per dataset, whatever their number.
async fn catalog(state: &AppState, q: &CatalogQuery, turtle: bool) -> AppResult<Response> {
    let content_type = if turtle { "text/turtle; charset=utf-8" } else { "application/ld+json" };
    let snap = state.part::<crate::index::Catalogue>()?.entries(&state.db).await?;
    let pages = snap.len().div_ceil(CATALOG_PAGE).max(1);
    let page = match q.page.trim() {
        "" => 1,
        p => p.parse::<usize>().ok().filter(|p| (1..=pages).contains(p)).ok_or(AppError::NotFound)?,
    };
    let entries =
        snap.iter().skip((page - 1) * CATALOG_PAGE).take(CATALOG_PAGE).map(|e| (&*e.full, &*e.body)).collect();
    let modified = snap.iter().map(|e| e.updated_at).max();
    let portal = bodies::portal(&state.db).await?.map(|p| p.name).unwrap_or_default();
    let file = if turtle { "catalog.ttl" } else { "catalog.jsonld" };
    let view = publish::CatalogPage { entries, modified, page, per_page: CATALOG_PAGE, total: snap.len(), file };
    let graph = publish::catalog(&state.cfg.public_url, &state.timezone, &portal, &view);
    let body = if turtle { graph.turtle() } else { graph.jsonld().to_string() };
    let mut resp = body.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(resp)
}

/// Hands what the archive writer writes to the response, 64 KB at a time; fails (so the
/// writer stops) when the client has gone.
struct ToResponse {
    tx: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ToResponse {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(64 * 1024)));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl std::io::Write for ToResponse {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 * 1024 {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// The current data of every published dataset in one archive: `<identifier>/<data file>` and
/// `<identifier>/<structure file>` for each, and the registry `list.csv` at the top. Written as
/// it is sent (a dataset at a time), so neither the node's memory nor the first byte's wait grows
/// with the portal.
pub async fn bulk(State(state): State<AppState>) -> AppResult<Response> {
    use std::io::Write as _;
    let snap = state.part::<crate::index::Catalogue>()?.entries(&state.db).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(8);
    let runtime = tokio::runtime::Handle::current();
    let (db, storage, public_url) = (state.db.clone(), state.storage.clone(), state.cfg.public_url.clone());
    let failed = tx.clone();
    tokio::task::spawn_blocking(move || {
        let write = || -> anyhow::Result<()> {
            let mut zip = zip::ZipWriter::new_stream(ToResponse { tx, buf: Vec::with_capacity(64 * 1024) });
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("list.csv", opts)?;
            zip.write_all(publish::list_csv(&public_url, snap.iter().map(|e| &e.full.dataset)).as_bytes())?;
            for e in snap.iter() {
                let Some(v) = e.full.versions.last() else { continue };
                let data = runtime.block_on(storage.get(&v.file_key))?;
                let id = &e.full.dataset.identifier;
                zip.start_file(format!("{id}/{}", v.file_name()), opts)?;
                zip.write_all(&data)?;
                let structures = runtime.block_on(store::structures(&db, e.full.dataset.id))?;
                if let Some(s) = structures.iter().find(|s| s.id == v.structure_id) {
                    zip.start_file(format!("{id}/structure-{}.csv", s.stamp), opts)?;
                    zip.write_all(s.structure.to_csv().as_bytes())?;
                }
            }
            zip.finish()?.into_inner().flush()?;
            Ok(())
        };
        if let Err(e) = write() {
            tracing::warn!(error = %e, "the open-data archive stopped before its end");
            let _ = failed.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let stream = futures::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let mut resp = axum::body::Body::from_stream(stream).into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    resp.headers_mut().insert(CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"opendata.zip\""));
    Ok(resp)
}

pub async fn portal_list_xml(State(state): State<AppState>) -> AppResult<Response> {
    let datasets = store::published(&state.db).await?;
    Ok(xml_response(publish::list_xml(&state.cfg.public_url, &datasets)))
}

pub async fn body_list(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let body = bodies::by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let datasets: Vec<Dataset> =
        store::for_body(&state.db, body.id).await?.into_iter().filter(|d| d.published).collect();
    Ok(csv_response(publish::list_csv(&state.cfg.public_url, &datasets), "list.csv"))
}

#[derive(Template)]
#[template(path = "public/dataset.html")]
pub struct PassportPage {
    pub c: Chrome,
    pub body: Body,
    pub full: Full,
    pub structure: Structure,
    /// schema.org Dataset as JSON-LD, for search engines (safe inside a script element).
    pub ld: String,
    /// The newest version's located rows on a map: (x, y, label).
    pub map: Vec<(f64, f64, String)>,
}

/// The map's size in SVG units.
pub const MAP_SIZE: (f64, f64) = (640.0, 400.0);

/// The located rows of a dataset's newest version, when its structure has coordinates.
async fn located(state: &AppState, full: &Full) -> AppResult<Option<Vec<opendata_format::geo::Point>>> {
    let Some(v) = full.versions.last() else { return Ok(None) };
    let Some(s) = full.structures.iter().find(|s| s.id == v.structure_id) else { return Ok(None) };
    if !s.structure.fields.iter().any(|f| f.kind == FieldType::Latitude) {
        return Ok(None);
    }
    let data = state.storage.get(&v.file_key).await.map_err(AppError::Internal)?;
    Ok(opendata_format::geo::points(&s.structure, &data))
}

/// The schema.org description of a dataset (Google Dataset Search reads it).
fn schema_org(state: &AppState, full: &Full, body: &Body) -> String {
    let folder = publish::folder(&state.cfg.public_url, &full.dataset.identifier);
    let date = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms).map(|t| t.to_zoned(state.timezone.clone()).date().to_string()).ok()
    };
    let ld = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": full.dataset.title,
        "description": full.dataset.description,
        "identifier": full.dataset.identifier,
        "url": format!("{folder}/"),
        "keywords": full.dataset.keywords.split(',').map(str::trim).filter(|k| !k.is_empty()).collect::<Vec<_>>(),
        "license": format!("{}/opendata/#terms", state.cfg.public_url.trim_end_matches('/')),
        "inLanguage": "ru",
        "datePublished": full.dataset.first_published_at.and_then(date),
        "dateModified": date(full.dataset.updated_at),
        "creator": { "@type": "GovernmentOrganization", "name": body.full_name,
                     "contactPoint": { "@type": "ContactPoint", "contactType": "customer service",
                                       "name": full.dataset.publisher_name, "email": full.dataset.publisher_mbox,
                                       "telephone": full.dataset.publisher_phone } },
        "distribution": full.versions.iter().map(|v| serde_json::json!({
            "@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": format!("{folder}/{}", v.file_name()),
            "name": v.file_name(),
        })).collect::<Vec<_>>(),
    });
    ld.to_string().replace("</", "<\\/")
}

impl PassportPage {
    /// A stored stamp as people read it: 01.03.2026 09:00.
    pub fn when(&self, stamp: &str) -> String {
        opendata_format::registry::Stamp::parse(stamp)
            .map(|s| format!("{:02}.{:02}.{:04} {:02}:{:02}", s.day, s.month, s.year, s.hour, s.minute))
            .unwrap_or_default()
    }
}

async fn published_full(state: &AppState, identifier: &str) -> AppResult<Full> {
    let dataset =
        store::by_identifier(&state.db, identifier).await?.filter(|d| d.published).ok_or(AppError::NotFound)?;
    Ok(publish::full(&state.db, dataset).await?)
}

pub async fn passport_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(identifier): Path<String>,
) -> AppResult<Response> {
    let full = published_full(&state, &identifier).await?;
    let body = bodies::by_id(&state.db, full.dataset.body_id).await?.ok_or(AppError::NotFound)?;
    let structure = full.structures.last().map(|s| s.structure.clone()).unwrap_or_default();
    let ld = schema_org(&state, &full, &body);
    let map = match located(&state, &full).await? {
        Some(points) => {
            let xy = opendata_format::geo::layout(&points, MAP_SIZE.0, MAP_SIZE.1);
            // The row's name when it has one, else its first text value.
            let label = |p: &opendata_format::geo::Point| {
                ["name", "title"]
                    .iter()
                    .find_map(|k| p.properties.get(*k))
                    .and_then(|v| v.as_str())
                    .or_else(|| {
                        p.properties.values().filter_map(|v| v.as_str()).find(|s| s.chars().any(char::is_alphabetic))
                    })
                    .unwrap_or("")
                    .to_string()
            };
            xy.into_iter().zip(&points).map(|((x, y), p)| (x, y, label(p))).collect()
        }
        None => Vec::new(),
    };
    let section = v.t("opendata");
    let c = Chrome::new(&state, &v, full.dataset.title.clone())
        .await
        .crumb(section, "/opendata/")
        .crumb(full.dataset.title.clone(), "");
    render(&PassportPage { c, body, full, structure, ld, map })
}

/// A file of a dataset's folder: the passport, a structure version or a data version.
pub async fn dataset_file(
    State(state): State<AppState>,
    Path((identifier, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let full = published_full(&state, &identifier).await?;
    if let Some(kind) = file.strip_prefix("meta.") {
        let passport = publish::passport(&state.cfg.public_url, &state.timezone, &full).ok_or(AppError::NotFound)?;
        return match kind {
            "csv" => Ok(csv_response(opendata_format::registry::meta_csv(&passport), "meta.csv")),
            "xml" => Ok(xml_response(opendata_format::registry::meta_xml(&passport))),
            "json" => Ok(axum::Json(opendata_format::registry::meta_json(&passport)).into_response()),
            _ => Err(AppError::NotFound),
        };
    }
    if file == "data.geojson" {
        let points = located(&state, &full).await?.ok_or(AppError::NotFound)?;
        let mut resp = axum::Json(opendata_format::geo::geojson(&points)).into_response();
        resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
        return Ok(resp);
    }
    let package = match file.as_str() {
        "datapackage.json" => full.versions.last(),
        f => f
            .strip_prefix("datapackage-")
            .and_then(|r| r.strip_suffix(".json"))
            .and_then(|stamp| full.versions.iter().find(|v| v.stamp == stamp)),
    };
    if let Some(v) = package {
        let structure = full.structures.iter().find(|s| s.id == v.structure_id).ok_or(AppError::NotFound)?;
        let folder = publish::folder(&state.cfg.public_url, &full.dataset.identifier);
        let homepage = format!("{folder}/");
        let info = opendata_format::package::PackageInfo {
            identifier: &full.dataset.identifier,
            title: &full.dataset.title,
            description: &full.dataset.description,
            keywords: &full.dataset.keywords,
            licence: &full.dataset.licence,
            homepage: &homepage,
        };
        let url = format!("{folder}/{}", v.file_name());
        let package = opendata_format::package::datapackage(&info, &v.stamp, &url, &structure.structure);
        return Ok(axum::Json(package).into_response());
    }
    if let Some(s) = full.structures.iter().find(|s| file == format!("structure-{}.csv", s.stamp)) {
        return Ok(csv_response(s.structure.to_csv(), &file));
    }
    if let Some(s) = full.structures.iter().find(|s| file == format!("structure-{}.xsd", s.stamp)) {
        return Ok(xml_response(opendata_format::xml::xsd(&s.structure, &full.dataset.title)));
    }
    if let Some(v) = full.versions.iter().find(|v| file == v.file_name().replace(".csv", ".xml")) {
        let s = full.structures.iter().find(|s| s.id == v.structure_id).ok_or(AppError::NotFound)?;
        let csv = state.storage.get(&v.file_key).await.map_err(AppError::Internal)?;
        let xsd = format!("structure-{}.xsd", s.stamp);
        let doc = opendata_format::xml::from_csv(&s.structure, &csv, &xsd)
            .map_err(|(line, e)| AppError::Internal(anyhow::anyhow!("stored data, line {line}: {e}")))?;
        return Ok(xml_response(doc));
    }
    let version = full.versions.iter().find(|v| v.file_name() == file).ok_or(AppError::NotFound)?;
    let bytes = state.storage.get(&version.file_key).await.map_err(AppError::Internal)?;
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(h) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, h);
    }
    Ok(resp)
}
