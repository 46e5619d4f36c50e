//! A body's staff pages: its overview, editing its details, adding a subordinate
//! organisation, deleting it.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::{self, Body, BodyForm};
use kernel::staff::{Access, Role, StaffUser};

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::AppResult;
use shell::forms::{Field, Form, attach_errors};
use shell::render::render;
use shell::staff::Scoped;

#[derive(Template)]
#[template(path = "staff/body.html")]
pub struct Overview {
    pub c: Chrome,
    pub body: Body,
    pub children: Vec<Body>,
    pub can_edit: bool,
    pub can_delete: bool,
}

async fn staff_chrome(state: &AppState, v: &Visitor, s: &Scoped, last: &str) -> Chrome {
    let c = Chrome::new(state, v, "").await;
    let home = c.t("staff_home");
    let mut c = c.crumb(home, "/staff/");
    for a in s.chain.iter().rev() {
        c = c.crumb(a.short_name.clone(), format!("/staff/o/{}/", a.slug));
    }
    if last.is_empty() {
        c.title = s.body.short_name.clone();
        if let Some(l) = c.crumbs.last_mut() {
            l.1 = String::new();
        }
    } else {
        c.title = last.to_string();
        c = c.crumb(last.to_string(), "");
    }
    c
}

pub async fn overview(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    let children: Vec<Body> = state.directory().await?.children(s.body.id).cloned().collect();
    let ids: Vec<i64> = s.chain.iter().map(|b| b.id).collect();
    let can_edit = user.allows(Access::BodyWrite(&[Role::Editor]), &ids);
    let can_delete = user.is_admin() && children.is_empty();
    let c = staff_chrome(&state, &v, &s, "").await;
    render(&Overview { c, body: s.body, children, can_edit, can_delete })
}

#[derive(Template)]
#[template(path = "staff/form.html")]
pub struct FormPage {
    pub c: Chrome,
    pub action: String,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub submit: &'static str,
    pub cancel: String,
}

pub fn body_fields(f: &BodyForm) -> Vec<Field> {
    vec![
        Field::new("full_name", "f_full_name", &f.full_name, "text").required(),
        Field::new("short_name", "f_short_name", &f.short_name, "text"),
        Field::new("slug", "f_slug", &f.slug, "text").required().hint("f_slug_hint"),
        Field::new("inn", "inn", &f.inn, "text"),
        Field::new("ogrn", "ogrn", &f.ogrn, "text"),
        Field::new("head_name", "f_head_name", &f.head_name, "text"),
        Field::new("head_position", "f_head_position", &f.head_position, "text"),
        Field::new("phone", "phone", &f.phone, "tel"),
        Field::new("email", "email", &f.email, "email"),
        Field::new("website", "website", &f.website, "url"),
        Field::new("address", "address", &f.address, "text"),
        Field::new("reception_hours", "reception_hours", &f.reception_hours, "textarea"),
        Field::new("powers", "f_powers", &f.powers, "textarea"),
    ]
}

/// Renders a body form again with the errors beside their fields (status 422).
pub fn form_with_errors(mut page: FormPage, e: kernel::Error) -> AppResult<Response> {
    let errors = e.field_errors();
    if errors.is_empty() {
        return Err(e.into());
    }
    page.errors = attach_errors(&mut page.fields, errors);
    page.errors.insert(0, page.c.t("form_errors").to_string());
    let mut resp = render(&page)?;
    *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(resp)
}

pub async fn edit_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    let c = staff_chrome(&state, &v, &s, v.t("edit_body")).await;
    let fields = body_fields(&BodyForm::from_body(&s.body));
    let action = format!("/staff/o/{}/edit", s.body.slug);
    render(&FormPage {
        c,
        action,
        fields,
        errors: vec![],
        submit: "save",
        cancel: format!("/staff/o/{}/", s.body.slug),
    })
}

pub async fn edit_submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    Form(f): Form<BodyForm>,
) -> AppResult<Response> {
    let result = match f.validate() {
        Ok(input) => bodies::update(&state.db, &user.actor(), state.clock.now_ms(), &s.body, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(b) => Ok(Redirect::to(&format!("/staff/o/{}/?done=saved", b.slug)).into_response()),
        Err(e) => {
            let c = staff_chrome(&state, &v, &s, v.t("edit_body")).await;
            let page = FormPage {
                c,
                action: format!("/staff/o/{}/edit", s.body.slug),
                fields: body_fields(&f),
                errors: vec![],
                submit: "save",
                cancel: format!("/staff/o/{}/", s.body.slug),
            };
            form_with_errors(page, e)
        }
    }
}

pub async fn new_subordinate_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    let c = staff_chrome(&state, &v, &s, v.t("new_subordinate")).await;
    let fields = body_fields(&BodyForm::default());
    let action = format!("/staff/o/{}/subordinates/new", s.body.slug);
    render(&FormPage {
        c,
        action,
        fields,
        errors: vec![],
        submit: "save",
        cancel: format!("/staff/o/{}/", s.body.slug),
    })
}

pub async fn new_subordinate_submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
    Form(f): Form<BodyForm>,
) -> AppResult<Response> {
    let result = match f.validate() {
        Ok(input) => bodies::create(&state.db, &user.actor(), state.clock.now_ms(), Some(s.body.id), &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(b) => Ok(Redirect::to(&format!("/staff/o/{}/?done=created", b.slug)).into_response()),
        Err(e) => {
            let c = staff_chrome(&state, &v, &s, v.t("new_subordinate")).await;
            let page = FormPage {
                c,
                action: format!("/staff/o/{}/subordinates/new", s.body.slug),
                fields: body_fields(&f),
                errors: vec![],
                submit: "save",
                cancel: format!("/staff/o/{}/", s.body.slug),
            };
            form_with_errors(page, e)
        }
    }
}

#[derive(Template)]
#[template(path = "staff/confirm.html")]
pub struct ConfirmPage {
    pub c: Chrome,
    pub question: &'static str,
    pub action: String,
    pub cancel: String,
}

pub async fn delete_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    let c = staff_chrome(&state, &v, &s, v.t("delete_body")).await;
    let action = format!("/staff/o/{}/delete", s.body.slug);
    render(&ConfirmPage { c, question: "delete_confirm", action, cancel: format!("/staff/o/{}/", s.body.slug) })
}

pub async fn delete_submit(
    State(state): State<AppState>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    bodies::delete(&state.db, &user.actor(), state.clock.now_ms(), &s.body).await?;
    let back = match s.chain.get(1) {
        Some(parent) => format!("/staff/o/{}/?done=deleted", parent.slug),
        None => "/staff/?done=deleted".to_string(),
    };
    Ok(Redirect::to(&back).into_response())
}
