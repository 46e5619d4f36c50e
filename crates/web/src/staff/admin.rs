//! Portal administration: top-level bodies, staff accounts, the portal's details, the audit
//! log and the outgoing mail queue.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::audit::{self, Entry, Filter};
use kernel::bodies::{self, Body, BodyForm, Portal};
use kernel::staff::{self, Grant, NewUser, Role, StaffUser};
use serde::Deserialize;

use super::body::{FormPage, body_fields, form_with_errors};
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form};
use shell::render::render;

async fn admin_chrome(state: &AppState, v: &Visitor, title_key: &str) -> Chrome {
    let c = Chrome::new(state, v, "").await;
    let title = c.t(title_key).to_string();
    let home = c.t("staff_home");
    let mut c = c.crumb(home, "/staff/").crumb(title.clone(), "");
    c.title = title;
    c
}

pub async fn new_body_form(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let c = admin_chrome(&state, &v, "new_body").await;
    let fields = body_fields(&BodyForm::default());
    render(&FormPage {
        c,
        action: "/staff/admin/bodies/new".into(),
        fields,
        errors: vec![],
        submit: "save",
        cancel: "/staff/".into(),
    })
}

pub async fn new_body_submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Form(f): Form<BodyForm>,
) -> AppResult<Response> {
    let result = match f.validate() {
        Ok(input) => bodies::create(&state.db, &user.actor(), state.clock.now_ms(), None, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(b) => Ok(Redirect::to(&format!("/staff/o/{}/?done=created", b.slug)).into_response()),
        Err(e) => {
            let c = admin_chrome(&state, &v, "new_body").await;
            let page = FormPage {
                c,
                action: "/staff/admin/bodies/new".into(),
                fields: body_fields(&f),
                errors: vec![],
                submit: "save",
                cancel: "/staff/".into(),
            };
            form_with_errors(page, e)
        }
    }
}

#[derive(Template)]
#[template(path = "staff/users.html")]
pub struct UsersPage {
    pub c: Chrome,
    pub users: Vec<StaffUser>,
    pub bodies: Vec<Body>,
}

impl UsersPage {
    pub fn is_me(&self, id: &i64) -> bool {
        self.c.staff.as_ref().is_some_and(|s| s.id == *id)
    }

    pub fn body_name(&self, id: &Option<i64>) -> String {
        match id {
            Some(id) => self.bodies.iter().find(|b| b.id == *id).map(|b| b.short_name.clone()).unwrap_or_default(),
            None => self.c.t("portal_wide").to_string(),
        }
    }
}

pub async fn users(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let c = admin_chrome(&state, &v, "users").await;
    render(&UsersPage { c, users: staff::list_users(&state.db).await?, bodies: bodies::list(&state.db).await? })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DisableForm {
    user: String,
    disabled: String,
}

pub async fn user_disable(
    State(state): State<AppState>,
    Extension(user): Extension<StaffUser>,
    Form(f): Form<DisableForm>,
) -> AppResult<Response> {
    let id: i64 = f.user.trim().parse().map_err(|_| AppError::bad("Сотрудник указан неверно."))?;
    let disabled = match f.disabled.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::bad("Не указано, заблокировать или разблокировать.")),
    };
    staff::set_disabled(&state.db, &user.actor(), state.clock.now_ms(), id, disabled).await?;
    Ok(Redirect::to("/staff/admin/users?done=saved").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UserForm {
    email: String,
    display_name: String,
    password: String,
    role: String,
    body: String,
}

async fn user_fields(state: &AppState, v: &Visitor, f: &UserForm) -> AppResult<Vec<Field>> {
    let roles = Role::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_string(),
                if v.lang == shell::i18n::Lang::En { r.label_en() } else { r.label_ru() }.to_string(),
            )
        })
        .collect();
    let mut body_opts = vec![(String::new(), v.t("portal_wide").to_string())];
    body_opts.extend(bodies::list(&state.db).await?.into_iter().map(|b| (b.slug, b.short_name)));
    Ok(vec![
        Field::new("email", "email", &f.email, "email").required(),
        Field::new("display_name", "f_display_name", &f.display_name, "text"),
        Field::new("password", "f_password", "", "password").required(),
        Field::select("role", "f_role", &f.role, roles),
        Field::select("body", "f_body", &f.body, body_opts),
    ])
}

pub async fn new_user_form(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let c = admin_chrome(&state, &v, "new_user").await;
    let fields = user_fields(&state, &v, &UserForm { role: "editor".into(), ..UserForm::default() }).await?;
    render(&FormPage {
        c,
        action: "/staff/admin/users/new".into(),
        fields,
        errors: vec![],
        submit: "save",
        cancel: "/staff/admin/users".into(),
    })
}

pub async fn new_user_submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Form(f): Form<UserForm>,
) -> AppResult<Response> {
    let result = async {
        let role = Role::parse(&f.role)?;
        let body_id = if f.body.trim().is_empty() {
            None
        } else {
            Some(
                bodies::by_slug(&state.db, f.body.trim())
                    .await?
                    .ok_or_else(|| kernel::Error::invalid("body", "такого органа нет"))?
                    .id,
            )
        };
        let new = NewUser {
            email: &f.email,
            display_name: &f.display_name,
            password: &f.password,
            grants: vec![Grant { role, body_id }],
        };
        staff::create_user(&state.db, &user.actor(), state.clock.now_ms(), new).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/staff/admin/users?done=created").into_response()),
        Err(e) => {
            let c = admin_chrome(&state, &v, "new_user").await;
            let fields = user_fields(&state, &v, &f).await?;
            let page = FormPage {
                c,
                action: "/staff/admin/users/new".into(),
                fields,
                errors: vec![],
                submit: "save",
                cancel: "/staff/admin/users".into(),
            };
            form_with_errors(page, e)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    body: String,
    user: String,
    object: String,
    object_id: String,
    from: String,
    to: String,
    before: Option<i64>,
    format: String,
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
pub struct AuditPage {
    pub c: Chrome,
    pub q: AuditQuery,
    pub entries: Vec<Entry>,
    pub bodies: Vec<Body>,
    pub users: Vec<StaffUser>,
    pub older: Option<String>,
    pub csv: String,
}

const AUDIT_PAGE: i64 = 100;

fn day_start_ms(state: &AppState, field: &'static str, s: &str) -> AppResult<Option<i64>> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    let d: jiff::civil::Date = s.trim().parse().map_err(|_| AppError::BadRequest {
        message: format!("«{s}» — не дата; укажите дату в виде ГГГГ-ММ-ДД"),
        field: Some(field),
    })?;
    let z = d.to_zoned(state.timezone.clone()).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Some(z.timestamp().as_millisecond()))
}

pub async fn audit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    let all_bodies = bodies::list(&state.db).await?;
    let users = staff::list_users(&state.db).await?;
    let body_id = match q.body.trim() {
        "" => None,
        slug => Some(all_bodies.iter().find(|b| b.slug == slug).ok_or_else(|| AppError::bad("Такого органа нет."))?.id),
    };
    let user_id = match q.user.trim() {
        "" => None,
        u => Some(u.parse::<i64>().map_err(|_| AppError::bad("Сотрудник указан неверно."))?),
    };
    let to_ms = day_start_ms(&state, "to", &q.to)?.map(|ms| ms + 24 * 3_600_000);
    let filter = Filter {
        body_id,
        user_id,
        object_type: Some(q.object.trim().to_string()).filter(|s| !s.is_empty()),
        object_id: Some(q.object_id.trim().to_string()).filter(|s| !s.is_empty()),
        from_ms: day_start_ms(&state, "from", &q.from)?,
        to_ms,
    };
    if q.format == "csv" {
        let entries = audit::search(&state.db, &filter, None, 100_000).await?;
        let mut out = String::from("id,at,actor,body,action,object_type,object_id,before,after\r\n");
        for e in &entries {
            let at = jiff::Timestamp::from_millisecond(e.at).map(|t| t.to_string()).unwrap_or_default();
            let cells = [
                e.id.to_string(),
                at,
                e.actor.clone(),
                e.body_slug.clone().unwrap_or_default(),
                e.action.clone(),
                e.object_type.clone(),
                e.object_id.clone(),
                e.before_json.clone().unwrap_or_default(),
                e.after_json.clone().unwrap_or_default(),
            ];
            out.push_str(&kernel::csv::row(&cells));
        }
        let mut resp = out.into_response();
        resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
        resp.headers_mut().insert(CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"audit.csv\""));
        return Ok(resp);
    }
    let entries = audit::search(&state.db, &filter, q.before, AUDIT_PAGE).await?;
    let base = format!(
        "body={}&user={}&object={}&object_id={}&from={}&to={}",
        enc(&q.body),
        enc(&q.user),
        enc(&q.object),
        enc(&q.object_id),
        enc(&q.from),
        enc(&q.to)
    );
    let older = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| format!("/staff/admin/audit?{base}&before={}", e.id)))
        .flatten();
    let c = admin_chrome(&state, &v, "audit").await;
    render(&AuditPage {
        c,
        q,
        entries,
        bodies: all_bodies,
        users,
        older,
        csv: format!("/staff/admin/audit?{base}&format=csv"),
    })
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PortalForm {
    name: String,
    kind: String,
    email: String,
    phone: String,
    address: String,
}

fn portal_fields(v: &Visitor, f: &PortalForm) -> Vec<Field> {
    let kinds = vec![
        ("region".to_string(), v.t("kind_region").to_string()),
        ("municipality".to_string(), v.t("kind_municipality").to_string()),
    ];
    vec![
        Field::new("name", "portal_name", &f.name, "text").required(),
        Field::select("kind", "portal_kind", &f.kind, kinds),
        Field::new("email", "email", &f.email, "email"),
        Field::new("phone", "phone", &f.phone, "tel"),
        Field::new("address", "address", &f.address, "text"),
    ]
}

pub async fn portal_form(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let p = bodies::portal(&state.db).await?;
    let f = p
        .map(|p| PortalForm { name: p.name, kind: p.kind, email: p.email, phone: p.phone, address: p.address })
        .unwrap_or_else(|| PortalForm { kind: "region".into(), ..PortalForm::default() });
    let c = admin_chrome(&state, &v, "portal_settings").await;
    render(&FormPage {
        c,
        action: "/staff/admin/portal".into(),
        fields: portal_fields(&v, &f),
        errors: vec![],
        submit: "save",
        cancel: "/staff/".into(),
    })
}

pub async fn portal_submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Form(f): Form<PortalForm>,
) -> AppResult<Response> {
    let mut errors = Vec::new();
    if f.name.trim().is_empty() {
        errors.push(("name", "укажите название портала".to_string()));
    }
    if f.kind != "region" && f.kind != "municipality" {
        errors.push(("kind", "выберите тип портала".to_string()));
    }
    let email = f.email.trim();
    if let (false, Err(e)) = (email.is_empty(), kernel::ids::Email::parse("email", email)) {
        errors.extend(e.field_errors());
    }
    if errors.is_empty() {
        let p = Portal {
            name: f.name.trim().to_string(),
            kind: f.kind.clone(),
            email: email.to_lowercase(),
            phone: f.phone.trim().to_string(),
            address: f.address.trim().to_string(),
        };
        bodies::save_portal(&state.db, &user.actor(), state.clock.now_ms(), &p).await?;
        return Ok(Redirect::to("/staff/admin/portal?done=saved").into_response());
    }
    let c = admin_chrome(&state, &v, "portal_settings").await;
    let page = FormPage {
        c,
        action: "/staff/admin/portal".into(),
        fields: portal_fields(&v, &f),
        errors: vec![],
        submit: "save",
        cancel: "/staff/".into(),
    };
    form_with_errors(page, kernel::Error::Form(errors))
}

#[derive(Template)]
#[template(path = "staff/outbox.html")]
pub struct OutboxPage {
    pub c: Chrome,
    pub counts: kernel::outbox::Counts,
}

pub async fn outbox(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let c = admin_chrome(&state, &v, "outbox").await;
    render(&OutboxPage { c, counts: kernel::outbox::counts(&state.db).await? })
}

#[derive(Template)]
#[template(path = "staff/calendar.html")]
pub struct CalendarPage {
    pub c: Chrome,
    pub overrides: Vec<kernel::calendar::Override>,
    pub first_year: i16,
    pub last_year: i16,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CalendarForm {
    day: String,
    kind: String,
    note: String,
}

fn calendar_fields(v: &Visitor, f: &CalendarForm) -> Vec<Field> {
    let kinds = kernel::calendar::KINDS.iter().map(|k| (k.to_string(), v.label("day_kind", k).to_string())).collect();
    vec![
        Field::new("day", "cal_day", &f.day, "date").required(),
        Field::select("kind", "cal_kind", &f.kind, kinds),
        Field::new("note", "cal_note", &f.note, "text").hint("cal_note_hint"),
    ]
}

async fn calendar_page(
    state: &AppState,
    v: &Visitor,
    f: &CalendarForm,
    error: Option<kernel::Error>,
) -> AppResult<Response> {
    let c = admin_chrome(state, v, "calendar").await;
    let overrides = kernel::calendar::overrides(&state.db).await?;
    let (first_year, last_year) = deadlines::Calendar::federal().years();
    let mut page = CalendarPage { c, overrides, first_year, last_year, fields: calendar_fields(v, f), errors: vec![] };
    let Some(e) = error else { return render(&page) };
    let errors = e.field_errors();
    if errors.is_empty() {
        return Err(e.into());
    }
    page.errors = shell::forms::attach_errors(&mut page.fields, errors);
    page.errors.insert(0, page.c.t("form_errors").to_string());
    let mut resp = render(&page)?;
    *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(resp)
}

pub async fn calendar(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    calendar_page(&state, &v, &CalendarForm { kind: "day-off".into(), ..CalendarForm::default() }, None).await
}

pub async fn calendar_submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Form(f): Form<CalendarForm>,
) -> AppResult<Response> {
    let saved = match kernel::calendar::validate(&f.day, &f.kind, &f.note) {
        Ok((day, kind)) => {
            kernel::calendar::set_override(&state.db, &user.actor(), state.clock.now_ms(), day, kind, &f.note).await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(Redirect::to("/staff/admin/calendar?done=saved").into_response()),
        Err(e) => calendar_page(&state, &v, &f, Some(e)).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DayForm {
    day: String,
}

pub async fn calendar_delete(
    State(state): State<AppState>,
    Extension(user): Extension<StaffUser>,
    Form(f): Form<DayForm>,
) -> AppResult<Response> {
    kernel::calendar::delete_override(&state.db, &user.actor(), state.clock.now_ms(), f.day.trim()).await?;
    Ok(Redirect::to("/staff/admin/calendar?done=deleted").into_response())
}
