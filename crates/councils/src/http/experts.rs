//! The experts database and calls for candidates: the public register of a body's experts (a
//! name only with consent) with its councils' calls; a call's page with the application form and,
//! after the last day, the result with its grounds; the secretary's pages of experts and of a
//! call's applications with their documents.

use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form};
use shell::public_form::{self, Limit, Refusal};
use shell::render::{attachment, render_refused};
use shell::step::Step;

use crate::experts::{self, Application, ApplyForm, Attached, Call, CallForm, Expert, ExpertForm};
use crate::http::staff::FormBox;
use crate::store::{self, Council};

/// Applications one address may send in an hour.
const LIMIT: Limit = Limit {
    bucket: "council-application",
    per_address: 5,
    window_ms: 60 * 60 * 1000,
    field: "full_name",
    message: "с вашего адреса отправлено много заявлений подряд: подождите час и отправьте ещё раз",
};

/// The file fields of an application.
const DOCUMENTS: [&str; 3] = ["document_1", "document_2", "document_3"];

async fn body_of(state: &AppState, slug: &str) -> AppResult<Body> {
    state.directory().await?.body(slug).cloned().ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "experts/public.html")]
pub struct RegisterPage {
    pub c: Chrome,
    pub body: Body,
    pub experts: Vec<Expert>,
    /// Each call with its council's name.
    pub calls: Vec<(Call, String)>,
    pub today: deadlines::Date,
}

impl RegisterPage {
    pub fn open(&self, call: &Call) -> bool {
        call.open(self.today)
    }
}

pub async fn register(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let experts = experts::experts(&state.db, body.id).await?;
    let calls = experts::calls_of_body(&state.db, body.id).await?;
    let (today, _) = state.today_and_calendar().await?;
    let title = v.t("experts");
    let c = Chrome::new(&state, &v, title)
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(title, "");
    shell::render::render(&RegisterPage { c, body, experts, calls, today })
}

#[derive(Template)]
#[template(path = "experts/call.html")]
pub struct CallPage {
    pub c: Chrome,
    pub body: Body,
    pub council: Council,
    pub call: Call,
    /// Those selected, once the result is published.
    pub selected: Vec<String>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub open: bool,
    pub sent: bool,
}

impl CallPage {
    pub fn refused(&self) -> bool {
        shell::forms::refused(&self.fields, &self.errors)
    }
}

fn apply_fields(f: &ApplyForm) -> Vec<Field> {
    vec![
        Field::new("full_name", "f_app_name", &f.full_name, "text").required(),
        Field::new("email", "f_app_email", &f.email, "email").required().hint("f_app_email_hint"),
        Field::new("about", "f_app_about", &f.about, "textarea").required().hint("f_app_about_hint"),
        Field::new("document_1", "f_app_document_1", ".pdf,.docx,.odt", "onefile").hint("f_app_documents_hint"),
        Field::new("document_2", "f_app_document_2", ".pdf,.docx,.odt", "onefile"),
        Field::new("document_3", "f_app_document_3", ".pdf,.docx,.odt", "onefile"),
        Field::new("consent", "f_app_consent", &f.consent, "checkbox").required(),
    ]
}

async fn call_of(state: &AppState, slug: &str, id: i64) -> AppResult<(Body, Council, Call)> {
    let body = body_of(state, slug).await?;
    let call = experts::call(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let council =
        store::get(&state.db, call.council_id).await?.filter(|c| c.body_id == body.id).ok_or(AppError::NotFound)?;
    Ok((body, council, call))
}

async fn call_page(
    state: &AppState,
    v: &Visitor,
    (body, council, call): (Body, Council, Call),
    f: &ApplyForm,
    (refusal, sent): (Option<Refusal>, bool),
) -> AppResult<Response> {
    let (today, _) = state.today_and_calendar().await?;
    let selected = if call.decided_at.is_some() {
        experts::applications(&state.db, call.id)
            .await?
            .into_iter()
            .filter(|a| a.status == "selected")
            .map(|a| a.full_name)
            .collect()
    } else {
        Vec::new()
    };
    let mut fields = apply_fields(f);
    // Problems with the files as a whole match no field: they head the summary.
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let title = call.title.clone();
    let c = Chrome::new(state, v, title.clone())
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(council.name.clone(), format!("/o/{}/councils/{}", body.slug, council.id))
        .crumb(title, "");
    let open = call.open(today);
    public_form::respond(&CallPage { c, body, council, call, selected, fields, errors, open, sent }, status)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

pub async fn call(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<SentQuery>,
) -> AppResult<Response> {
    let found = call_of(&state, &slug, id).await?;
    call_page(&state, &v, found, &ApplyForm::default(), (None, q.sent == "1")).await
}

/// An application with its documents: the documents are read and checked, the application
/// checked, counted against the address's limit, then the files stored and the application with
/// them.
pub async fn apply(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
    mp: Multipart,
) -> AppResult<Response> {
    let (body, council, call) = call_of(&state, &slug, id).await?;
    let (fields, files) = shell::forms::multipart(mp, &DOCUMENTS).await?;
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let f =
        ApplyForm { full_name: get("full_name"), email: get("email"), about: get("about"), consent: get("consent") };
    let done = Redirect::to(&format!("/o/{slug}/councils/calls/{id}?sent=1#apply")).into_response();
    if !get("website").is_empty() {
        return Ok(done);
    }
    let mut documents = Vec::new();
    let mut problems: Vec<(&'static str, String)> = Vec::new();
    for name in DOCUMENTS {
        if let Some(upload) = files.get(name) {
            match office::sniff(&upload.name, &upload.bytes) {
                Ok(_) => documents.push(upload),
                Err(e) => problems.push((name, format!("«{}»: {e}", upload.name))),
            }
        }
    }
    let (today, _) = state.today_and_calendar().await?;
    let now = state.clock.now_ms();
    let checked = match experts::check_application(today, &call, &f, documents.len() + problems.len()) {
        Ok(a) if problems.is_empty() => Ok(a),
        Ok(_) => Err(kernel::Error::Form(problems)),
        Err(kernel::Error::Form(mut list)) => {
            list.extend(problems);
            Err(kernel::Error::Form(list))
        }
        Err(e) => Err(e),
    };
    let refusal = match checked {
        Err(e) => Some(Refusal::Invalid(e)),
        Ok(a) => match LIMIT.check(&state, peer.ip(), now) {
            Some(e) => Some(Refusal::TooMany(e)),
            None => {
                let folder = kernel::staff::random_token();
                let mut attached = Vec::new();
                for (i, d) in documents.iter().enumerate() {
                    let key = format!("councils/calls/{}/{folder}/{i}", call.id);
                    state.storage.put(&key, d.bytes.clone()).await.map_err(AppError::Internal)?;
                    attached.push(Attached { key, name: d.name.clone(), size: d.bytes.len() as u64 });
                }
                experts::apply(&state.db, now, &call, &a, &attached).await?;
                None
            }
        },
    };
    match refusal {
        None => Ok(done),
        Some(r) => call_page(&state, &v, (body, council, call), &f, (Some(r), false)).await,
    }
}

fn expert_fields(f: &ExpertForm) -> Vec<Field> {
    vec![
        Field::new("full_name", "f_council_expert", &f.full_name, "text").required(),
        Field::new("competences", "f_expert_competences", &f.competences, "textarea").required(),
        Field::new("affiliation", "f_expert_affiliation", &f.affiliation, "text"),
        Field::new("participation", "f_expert_participation", &f.participation, "textarea")
            .hint("f_expert_participation_hint"),
        Field::new("email", "f_expert_email", &f.email, "email").hint("f_expert_email_hint"),
        Field::new("consent", "f_expert_consent", &f.consent, "checkbox").hint("f_member_consent_hint"),
    ]
}

#[derive(Template)]
#[template(path = "experts/staff.html")]
pub struct StaffPage {
    pub c: Chrome,
    pub body: Body,
    pub experts: Vec<Expert>,
    /// Each call with its council's name.
    pub calls: Vec<(Call, String)>,
    pub expert_form: FormBox,
    pub call_form: FormBox,
    pub problem: Option<(i64, String)>,
    pub notice: bool,
    pub today: deadlines::Date,
}

impl StaffPage {
    pub fn problem_at(&self, id: &i64) -> Option<&str> {
        self.problem.as_ref().filter(|(e, _)| e == id).map(|(_, m)| m.as_str())
    }

    pub fn refused(&self) -> bool {
        self.problem.is_some()
            || [&self.expert_form, &self.call_form].iter().any(|f| shell::forms::refused(&f.fields, &f.errors))
    }

    pub fn open(&self, call: &Call) -> bool {
        call.open(self.today)
    }
}

/// The secretary's page of experts and calls: the expert form and the call form, either as
/// refused; a problem with one expert's form; the notice after a save.
struct Shown {
    expert_form: Option<FormBox>,
    call_form: Option<FormBox>,
    problem: Option<(i64, String)>,
    notice: bool,
}

async fn staff_page(step: &Step, s: Shown) -> AppResult<Response> {
    let experts = experts::experts(step.db(), step.body().id).await?;
    let calls = experts::calls_of_body(step.db(), step.body().id).await?;
    let councils = store::list(step.db(), Some(step.body().id)).await?;
    let expert_form = s.expert_form.unwrap_or_else(|| {
        FormBox::new("expert", step.page("experts/"), expert_fields(&ExpertForm::default()), "expert_add")
    });
    let call_form = s.call_form.unwrap_or_else(|| {
        FormBox::new("call", step.page("experts/calls"), call_fields(&CallForm::default(), &councils), "call_announce")
    });
    let c = step.chrome("desk_experts", "experts/", step.v.t("desk_experts")).await;
    let page = StaffPage {
        c,
        body: step.body().clone(),
        experts,
        calls,
        expert_form,
        call_form,
        problem: s.problem,
        notice: s.notice,
        today: step.today,
    };
    let refused = page.refused();
    render_refused(&page, refused)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn desk(step: Step, Query(q): Query<DoneQuery>) -> AppResult<Response> {
    staff_page(&step, Shown { expert_form: None, call_form: None, problem: None, notice: !q.done.is_empty() }).await
}

pub async fn add_expert(step: Step, Form(f): Form<ExpertForm>) -> AppResult<Response> {
    match experts::save_expert(step.db(), &step.actor(), step.now, step.body().id, None, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("{}?done=saved#e{id}", step.page("experts/"))).into_response()),
        Err(kernel::Error::Form(errors)) => {
            let form = FormBox::new("expert", step.page("experts/"), expert_fields(&f), "expert_add").refuse(errors);
            staff_page(&step, Shown { expert_form: Some(form), call_form: None, problem: None, notice: false }).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn change_expert(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ExpertForm>,
) -> AppResult<Response> {
    let list = experts::experts(step.db(), step.body().id).await?;
    let old = list.iter().find(|e| e.id == id).ok_or(AppError::NotFound)?;
    match experts::save_expert(step.db(), &step.actor(), step.now, step.body().id, Some(old), &f).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?done=saved#e{id}", step.page("experts/"))).into_response()),
        Err(e) => match e.about_input() {
            Some(message) => {
                let shown = Shown { expert_form: None, call_form: None, problem: Some((id, message)), notice: false };
                staff_page(&step, shown).await
            }
            None => Err(e.into()),
        },
    }
}

async fn council_in_scope(step: &Step, id: i64) -> AppResult<Council> {
    store::get(step.db(), id).await?.filter(|c| c.body_id == step.body().id).ok_or(AppError::NotFound)
}

fn call_fields(f: &CallForm, councils: &[Council]) -> Vec<Field> {
    let options = councils.iter().map(|c| (c.id.to_string(), c.name.clone())).collect();
    vec![
        Field::select("council", "f_call_council", &f.council, options).required(),
        Field::new("title", "f_call_title", &f.title, "text").required().hint("f_call_title_hint"),
        Field::new("requirements", "f_call_requirements", &f.requirements, "textarea")
            .required()
            .hint("f_call_requirements_hint"),
        Field::new("deadline_on", "f_call_deadline", &f.deadline_on, "text").required().hint("f_call_deadline_hint"),
    ]
}

/// A call for candidates to one of the body's councils.
pub async fn announce_call(step: Step, Form(f): Form<CallForm>) -> AppResult<Response> {
    let councils = store::list(step.db(), Some(step.body().id)).await?;
    let council = f.council.parse::<i64>().ok().and_then(|id| councils.iter().find(|c| c.id == id));
    let done = match council {
        Some(council) => experts::announce_call(step.db(), &step.actor(), (step.now, step.today), council, &f).await,
        None => Err(kernel::Error::invalid("council", "выберите совет из списка")),
    };
    match done {
        Ok(cid) => {
            Ok(Redirect::to(&format!("{}?done=saved", step.page(&format!("councils/calls/{cid}")))).into_response())
        }
        Err(kernel::Error::Form(errors)) => call_refused(&step, &f, &councils, errors).await,
        Err(e) => match e.field_errors() {
            errors if !errors.is_empty() => call_refused(&step, &f, &councils, errors).await,
            _ => Err(e.into()),
        },
    }
}

async fn call_refused(
    step: &Step,
    f: &CallForm,
    councils: &[Council],
    errors: Vec<(&'static str, String)>,
) -> AppResult<Response> {
    let form =
        FormBox::new("call", step.page("experts/calls"), call_fields(f, councils), "call_announce").refuse(errors);
    staff_page(step, Shown { expert_form: None, call_form: Some(form), problem: None, notice: false }).await
}

#[derive(Template)]
#[template(path = "experts/staff_call.html")]
pub struct CallDesk {
    pub c: Chrome,
    pub body: Body,
    pub council: Council,
    pub call: Call,
    pub applications: Vec<Application>,
    pub open: bool,
    pub problem: String,
    pub notice: bool,
    /// The grounds as typed, when refused.
    pub grounds: String,
}

async fn call_in_scope(step: &Step, cid: i64) -> AppResult<(Council, Call)> {
    let call = experts::call(step.db(), cid).await?.ok_or(AppError::NotFound)?;
    let council = council_in_scope(step, call.council_id).await?;
    Ok((council, call))
}

async fn call_desk(step: &Step, cid: i64, (problem, grounds): (String, String), notice: bool) -> AppResult<Response> {
    let (council, call) = call_in_scope(step, cid).await?;
    let applications = experts::applications(step.db(), call.id).await?;
    let c = step.chrome("desk_councils", "councils/", &call.title.clone()).await;
    let open = call.open(step.today);
    let refused = !problem.is_empty();
    let page = CallDesk { c, body: step.body().clone(), council, call, applications, open, problem, notice, grounds };
    render_refused(&page, refused)
}

pub async fn call_staff(
    step: Step,
    Path((_, cid)): Path<(String, i64)>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    call_desk(&step, cid, (String::new(), String::new()), !q.done.is_empty()).await
}

/// The result: the applications selected (`selected` checked) and the grounds.
pub async fn decide(step: Step, Path((_, cid)): Path<(String, i64)>, form: axum::body::Bytes) -> AppResult<Response> {
    let (council, call) = call_in_scope(&step, cid).await?;
    let sent = shell::forms::Fields::parse(&form);
    let selected: Vec<i64> = url::form_urlencoded::parse(&form)
        .filter(|(k, _)| k == "selected")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let grounds = sent.get("result").to_string();
    let page = format!(
        "{}/o/{}/councils/calls/{}",
        step.state.cfg.public_url.trim_end_matches('/'),
        step.body().slug,
        call.id
    );
    let done = experts::decide(
        step.db(),
        &step.actor(),
        (step.now, step.today),
        (council.body_id, &page),
        &call,
        (&selected, &grounds),
    )
    .await;
    match done {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}?done=saved", step.page(&format!("councils/calls/{cid}")))).into_response())
        }
        Err(e) => match e.about_input() {
            Some(message) => call_desk(&step, cid, (message, grounds), false).await,
            None => Err(e.into()),
        },
    }
}

/// A document of an application, for the secretary.
pub async fn file(step: Step, Path((_, cid, fid)): Path<(String, i64, String)>) -> AppResult<Response> {
    let (_, call) = call_in_scope(&step, cid).await?;
    let (app, n) = fid.split_once('-').ok_or(AppError::NotFound)?;
    let (app, n): (i64, usize) =
        (app.parse().map_err(|_| AppError::NotFound)?, n.parse().map_err(|_| AppError::NotFound)?);
    let list = experts::applications(step.db(), call.id).await?;
    let doc = list.iter().find(|a| a.id == app).and_then(|a| a.files.get(n)).ok_or(AppError::NotFound)?;
    let bytes = step.state.storage.get(&doc.key).await.map_err(AppError::Internal)?;
    Ok(attachment(bytes, &doc.name, "application/octet-stream", "private, no-store"))
}
