//! A body's staff pages: its overview, editing its details, adding a subordinate
//! organisation, deleting it.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use kernel::bodies::{self, Body, BodyForm};
use kernel::staff::{Access, Role, StaffUser};

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::AppResult;
use shell::forms::{Field, Form, attach_errors};
use shell::render::{render, render_refused};
use shell::staff::Scoped;
use shell::step::Step;

#[derive(Template)]
#[template(path = "staff/body.html")]
pub struct Overview {
    pub c: Chrome,
    pub body: Body,
    /// The body's places of work the member may open (name key, address).
    pub desks: Vec<(&'static str, String)>,
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
    let desks = shell::mechanism::desks(state.mechanisms, &user, Some((&s.body.slug, &ids)));
    let c = staff_chrome(&state, &v, &s, "").await;
    render(&Overview { c, body: s.body, desks, children, can_edit, can_delete })
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

/// The form of a body (editing this one, or adding a subordinate), fresh or with what was wrong
/// beside each field.
async fn body_form(
    step: &Step,
    title: &'static str,
    rest: &str,
    f: &BodyForm,
    error: Option<kernel::Error>,
) -> AppResult<Response> {
    let c = staff_chrome(&step.state, &step.v, &step.s, step.v.t(title)).await;
    let page = FormPage {
        c,
        action: step.page(rest),
        fields: body_fields(f),
        errors: vec![],
        submit: "save",
        cancel: step.page(""),
    };
    match error {
        Some(e) => form_with_errors(page, e),
        None => render(&page),
    }
}

pub async fn edit_form(step: Step) -> AppResult<Response> {
    body_form(&step, "edit_body", "edit", &BodyForm::from_body(step.body()), None).await
}

pub async fn edit_submit(step: Step, Form(f): Form<BodyForm>) -> AppResult<Response> {
    let done = match f.validate() {
        Ok(input) => bodies::update(step.db(), &step.actor(), step.now, step.body(), &input).await,
        Err(e) => Err(e),
    };
    let to = |b: bodies::Body| format!("/staff/o/{}/?done=saved", b.slug);
    step.answer_form(done, to, |e| body_form(&step, "edit_body", "edit", &f, Some(e))).await
}

pub async fn new_subordinate_form(step: Step) -> AppResult<Response> {
    body_form(&step, "new_subordinate", "subordinates/new", &BodyForm::default(), None).await
}

pub async fn new_subordinate_submit(step: Step, Form(f): Form<BodyForm>) -> AppResult<Response> {
    let done = match f.validate() {
        Ok(input) => bodies::create(step.db(), &step.actor(), step.now, Some(step.body().id), &input).await,
        Err(e) => Err(e),
    };
    let to = |b: bodies::Body| format!("/staff/o/{}/?done=created", b.slug);
    step.answer_form(done, to, |e| body_form(&step, "new_subordinate", "subordinates/new", &f, Some(e))).await
}

#[derive(Template)]
#[template(path = "staff/confirm.html")]
pub struct ConfirmPage {
    pub c: Chrome,
    pub question: &'static str,
    pub action: String,
    pub cancel: String,
    /// Why the last attempt was refused.
    pub error: Option<String>,
}

async fn delete_page(step: &Step, error: Option<String>) -> AppResult<Response> {
    let c = staff_chrome(&step.state, &step.v, &step.s, step.v.t("delete_body")).await;
    let failed = error.is_some();
    let page = ConfirmPage { c, question: "delete_confirm", action: step.page("delete"), cancel: step.page(""), error };
    render_refused(&page, failed)
}

pub async fn delete_form(step: Step) -> AppResult<Response> {
    delete_page(&step, None).await
}

pub async fn delete_submit(step: Step) -> AppResult<Response> {
    let done = bodies::delete(step.db(), &step.actor(), step.now, step.body()).await;
    let back = |()| match step.s.chain.get(1) {
        Some(parent) => format!("/staff/o/{}/?done=deleted", parent.slug),
        None => "/staff/?done=deleted".to_string(),
    };
    step.answer(done, back, |message| delete_page(&step, Some(message))).await
}
