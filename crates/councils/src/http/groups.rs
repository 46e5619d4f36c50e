//! Reference groups' pages: the public register of a body's groups with the work done with each
//! and the form to propose one; the staff page where groups are listed, proposals decided and
//! work published.

use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use kernel::staff::Role;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form};
use shell::public_form::{self, Limit, Refusal};
use shell::render::render_refused;
use shell::step::Step;

use crate::groups::{self, Decision, Group, GroupForm, ProposeForm, Work, WorkForm};
use crate::http::staff::FormBox;

/// Who keeps a body's register of reference groups (and sees who proposed what).
pub const KEEPERS: &[Role] = &[Role::OpennessCoordinator, Role::Editor];

/// Proposals one address may send in an hour.
const LIMIT: Limit = Limit {
    bucket: "reference-group",
    per_address: 5,
    window_ms: 60 * 60 * 1000,
    field: "name",
    message: "с вашего адреса отправлено много предложений подряд: подождите час и отправьте ещё раз",
};

fn register_url(public_url: &str, slug: &str) -> String {
    format!("{}/o/{slug}/reference-groups/", public_url.trim_end_matches('/'))
}

#[derive(Template)]
#[template(path = "groups/public.html")]
pub struct PublicPage {
    pub c: Chrome,
    pub body: Body,
    pub groups: Vec<Group>,
    pub work: Vec<Work>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub sent: bool,
}

impl PublicPage {
    pub fn work_of(&self, g: &Group) -> Vec<&Work> {
        self.work.iter().filter(|w| w.group_id == g.id).collect()
    }

    pub fn refused(&self) -> bool {
        shell::forms::refused(&self.fields, &self.errors)
    }
}

fn propose_fields(f: &ProposeForm) -> Vec<Field> {
    vec![
        Field::new("name", "f_group_name", &f.name, "text").required().hint("f_group_name_hint"),
        Field::new("about", "f_group_about", &f.about, "textarea").required().hint("f_group_about_hint"),
        Field::new("questions", "f_group_questions", &f.questions, "textarea").hint("f_group_questions_hint"),
        Field::new("email", "f_group_email", &f.email, "email").required().hint("f_group_email_hint"),
        Field::new("consent", "f_group_consent", &f.consent, "checkbox").required(),
    ]
}

async fn public_page(
    state: &AppState,
    v: &Visitor,
    body: Body,
    f: &ProposeForm,
    (refusal, sent): (Option<Refusal>, bool),
) -> AppResult<Response> {
    let groups = groups::of_body(&state.db, body.id).await?.into_iter().filter(|g| g.status == "listed").collect();
    let work = groups::work_of_body(&state.db, body.id).await?;
    let mut fields = propose_fields(f);
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let title = v.t("reference_groups");
    let c = Chrome::new(state, v, title)
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(title, "");
    public_form::respond(&PublicPage { c, body, groups, work, fields, errors, sent }, status)
}

async fn body_of(state: &AppState, slug: &str) -> AppResult<Body> {
    state.directory().await?.body(slug).cloned().ok_or(AppError::NotFound)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

pub async fn register(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<SentQuery>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    public_page(&state, &v, body, &ProposeForm::default(), (None, q.sent == "1")).await
}

/// A group proposed by anyone: checked, counted against the address's limit, then stored for
/// moderation.
pub async fn propose(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    Form(f): Form<ProposeForm>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let sent = Redirect::to(&format!("/o/{slug}/reference-groups/?sent=1#propose")).into_response();
    if !f.website.is_empty() {
        return Ok(sent);
    }
    let now = state.clock.now_ms();
    let refusal = match groups::check_proposal(&f) {
        Err(e) => Some(Refusal::Invalid(e)),
        Ok(p) => match LIMIT.check(&state, peer.ip(), now) {
            Some(e) => Some(Refusal::TooMany(e)),
            None => {
                groups::propose(&state.db, now, body.id, &p).await?;
                None
            }
        },
    };
    match refusal {
        None => Ok(sent),
        Some(r) => public_page(&state, &v, body, &f, (Some(r), false)).await,
    }
}

fn card_fields(f: &GroupForm) -> Vec<Field> {
    vec![
        Field::new("name", "f_group_name", &f.name, "text").required(),
        Field::new("about", "f_group_about", &f.about, "textarea"),
        Field::new("questions", "f_group_questions", &f.questions, "textarea").hint("f_group_questions_hint"),
        Field::new("channels", "f_group_channels", &f.channels, "textarea").hint("f_group_channels_hint"),
        Field::new("responsible", "f_group_responsible", &f.responsible, "text")
            .required()
            .hint("f_group_responsible_hint"),
    ]
}

#[derive(Template)]
#[template(path = "groups/staff.html")]
pub struct StaffPage {
    pub c: Chrome,
    pub body: Body,
    pub groups: Vec<Group>,
    pub work: Vec<Work>,
    pub form: FormBox,
    /// A problem with one group's form: (group id, message).
    pub problem: Option<(i64, String)>,
    pub notice: bool,
    pub today: String,
}

impl StaffPage {
    pub fn problem_at(&self, id: &i64) -> Option<&str> {
        self.problem.as_ref().filter(|(g, _)| g == id).map(|(_, m)| m.as_str())
    }

    pub fn work_of(&self, g: &Group) -> Vec<&Work> {
        self.work.iter().filter(|w| w.group_id == g.id).collect()
    }

    pub fn refused(&self) -> bool {
        self.problem.is_some() || shell::forms::refused(&self.form.fields, &self.form.errors)
    }
}

async fn staff_page(
    step: &Step,
    form: Option<FormBox>,
    problem: Option<(i64, String)>,
    notice: bool,
) -> AppResult<Response> {
    let groups = groups::of_body(step.db(), step.body().id).await?;
    let work = groups::work_of_body(step.db(), step.body().id).await?;
    let form = form.unwrap_or_else(|| {
        FormBox::new("group", step.page("reference-groups/"), card_fields(&GroupForm::default()), "group_add")
    });
    let c = step.chrome("desk_groups", "reference-groups/", step.v.t("desk_groups")).await;
    let page =
        StaffPage { c, body: step.body().clone(), groups, work, form, problem, notice, today: step.today.to_string() };
    let refused = page.refused();
    render_refused(&page, refused)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn desk(step: Step, Query(q): Query<DoneQuery>) -> AppResult<Response> {
    staff_page(&step, None, None, !q.done.is_empty()).await
}

fn saved(step: &Step, anchor: &str) -> Response {
    Redirect::to(&format!("{}?done=saved#{anchor}", step.page("reference-groups/"))).into_response()
}

pub async fn create(step: Step, Form(f): Form<GroupForm>) -> AppResult<Response> {
    match groups::check(&f) {
        Ok(g) => {
            let id = groups::create(step.db(), &step.actor(), step.now, step.body().id, &g).await?;
            Ok(saved(&step, &format!("g{id}")))
        }
        Err(kernel::Error::Form(errors)) => {
            let form =
                FormBox::new("group", step.page("reference-groups/"), card_fields(&f), "group_add").refuse(errors);
            staff_page(&step, Some(form), None, false).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn group_in_scope(step: &Step, id: i64) -> AppResult<Group> {
    groups::of_body(step.db(), step.body().id).await?.into_iter().find(|g| g.id == id).ok_or(AppError::NotFound)
}

/// A group's card saved, or a proposal listed or rejected.
pub async fn decide(step: Step, Path((_, id)): Path<(String, i64)>, Form(d): Form<Decision>) -> AppResult<Response> {
    let g = group_in_scope(&step, id).await?;
    let page = register_url(&step.state.cfg.public_url, &step.body().slug);
    match groups::decide(step.db(), &step.actor(), step.now, &page, &g, &d).await {
        Ok(()) => Ok(saved(&step, &format!("g{id}"))),
        Err(e) => match e.about_input() {
            Some(message) => staff_page(&step, None, Some((id, message)), false).await,
            None => Err(e.into()),
        },
    }
}

pub async fn add_work(step: Step, Path((_, id)): Path<(String, i64)>, Form(f): Form<WorkForm>) -> AppResult<Response> {
    let g = group_in_scope(&step, id).await?;
    match groups::add_work(step.db(), &step.actor(), (step.now, step.today), &g, &f).await {
        Ok(()) => Ok(saved(&step, &format!("g{id}"))),
        Err(e) => match e.about_input() {
            Some(message) => staff_page(&step, None, Some((id, message)), false).await,
            None => Err(e.into()),
        },
    }
}
