//! A council's draft work plan under public discussion: the public page with its items, the
//! published comments with the council's answers and the comment form; the secretary's
//! moderation page and the comments as CSV. The engine (`discussion`) does the rest.

use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use discussion::comments::{Comment, CommentForm, ModerateForm};
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form};
use shell::public_form::{self, Limit, Refusal};
use shell::render::{attachment, render_refused};
use shell::step::{ItemError, Step};

use crate::plans::{self, Plan, PlanForm};
use crate::store::{self, Council};

/// Comments one address may send in ten minutes.
const LIMIT: Limit = Limit {
    bucket: "comment",
    per_address: 5,
    window_ms: 10 * 60 * 1000,
    field: "text",
    message: "с вашего адреса отправлено много комментариев подряд: подождите 10 минут и отправьте ещё раз",
};

fn page_url(public_url: &str, slug: &str, id: i64) -> String {
    format!("{}/o/{slug}/councils/plans/{id}", public_url.trim_end_matches('/'))
}

/// «, к пункту 2» for a comment on an item; nothing for one on the whole plan.
fn comment_on(c: &Chrome, k: &Comment) -> String {
    k.unit.map(|n| format!(", {} {n}", c.t("on_plan_item"))).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "plans/public.html")]
pub struct PublicPage {
    pub c: Chrome,
    pub body: Body,
    pub council: Council,
    pub plan: Plan,
    pub accepting: bool,
    pub comments: Vec<Comment>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub sent: &'static str,
    pub form_action: String,
}

impl PublicPage {
    pub fn comment_on(&self, k: &Comment) -> String {
        comment_on(&self.c, k)
    }
}

async fn plan_of(state: &AppState, slug: &str, id: i64) -> AppResult<(Body, Council, Plan)> {
    let body = state.directory().await?.body(slug).cloned().ok_or(AppError::NotFound)?;
    let plan = plans::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let council =
        store::get(&state.db, plan.council_id).await?.filter(|c| c.body_id == body.id).ok_or(AppError::NotFound)?;
    Ok((body, council, plan))
}

async fn public_page(
    state: &AppState,
    v: &Visitor,
    (body, council, plan): (Body, Council, Plan),
    f: &CommentForm,
    (refusal, sent): (Option<Refusal>, bool),
) -> AppResult<Response> {
    let (today, _) = state.today_and_calendar().await?;
    let mut units = vec![(String::new(), v.t("whole_plan_draft").to_string())];
    units.extend(plan.numbered().into_iter().map(|(n, text)| {
        let short: String = text.chars().take(80).collect();
        (n.to_string(), format!("{n}. {short}"))
    }));
    let mut fields = vec![
        Field::select("unit", "comment_on", &f.unit, units),
        Field::new("text", "comment_text", &f.text, "textarea").required(),
        Field::new("author_name", "comment_author", &f.author_name, "text").hint("comment_author_hint"),
        Field::new("email", "comment_email", &f.email, "email").hint("comment_email_hint"),
        Field::new("consent", "comment_consent", &f.consent, "checkbox").required(),
    ];
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let comments = discussion::comments::for_subject(&state.db, &plans::TABLE, plan.id)
        .await?
        .into_iter()
        .filter(|c| c.status == "published")
        .collect();
    let c = Chrome::new(state, v, plan.title.clone())
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(council.name.clone(), format!("/o/{}/councils/{}", body.slug, council.id))
        .crumb(plan.title.clone(), "");
    let form_action = format!("/o/{}/councils/plans/{}", body.slug, plan.id);
    let accepting = plan.accepting(today);
    let sent = if sent { "comment_sent" } else { "" };
    let page = PublicPage { c, body, council, plan, accepting, comments, fields, errors, sent, form_action };
    public_form::respond(&page, status)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

pub async fn public(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<SentQuery>,
) -> AppResult<Response> {
    let found = plan_of(&state, &slug, id).await?;
    public_page(&state, &v, found, &CommentForm::default(), (None, q.sent == "1")).await
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<CommentForm>,
) -> AppResult<Response> {
    let (body, council, plan) = plan_of(&state, &slug, id).await?;
    let (today, _) = state.today_and_calendar().await?;
    let closed =
        (!plan.accepting(today)).then(|| "обсуждение завершено, комментарии больше не принимаются".to_string());
    let units: Vec<i64> = plan.numbered().into_iter().map(|(n, _)| n).collect();
    let subject = plan.subject(body.id, page_url(&state.cfg.public_url, &slug, id));
    let refused =
        discussion::receive::receive(&state, peer.ip(), (&plans::TABLE, &LIMIT), &subject, (&units, closed), &f)
            .await?;
    match refused {
        None => Ok(Redirect::to(&format!("/o/{slug}/councils/plans/{id}?sent=1#comment-form")).into_response()),
        Some(r) => public_page(&state, &v, (body, council, plan), &f, (Some(r), false)).await,
    }
}

/// A draft plan put to discussion from the council's staff page.
pub async fn put_up(step: Step, Path((_, id)): Path<(String, i64)>, Form(f): Form<PlanForm>) -> AppResult<Response> {
    let council = store::get(step.db(), id).await?.filter(|c| c.body_id == step.body().id).ok_or(AppError::NotFound)?;
    match plans::put_up(step.db(), &step.actor(), (step.now, step.today), &council, &f).await {
        Ok(pid) => Ok(Redirect::to(&step.page(&format!("councils/plans/{pid}/comments"))).into_response()),
        Err(kernel::Error::Form(errors)) => crate::http::staff::plan_refused(&step, council, &f, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "plans/moderate.html")]
pub struct ModerationPage {
    pub c: Chrome,
    pub body: Body,
    pub plan: Plan,
    pub comments: Vec<Comment>,
    pub error: ItemError,
    pub moderate_base: String,
}

impl ModerationPage {
    pub fn comment_on(&self, k: &Comment) -> String {
        comment_on(&self.c, k)
    }
}

async fn plan_in_scope(step: &Step, pid: i64) -> AppResult<Plan> {
    let plan = plans::get(step.db(), pid).await?.ok_or(AppError::NotFound)?;
    store::get(step.db(), plan.council_id).await?.filter(|c| c.body_id == step.body().id).ok_or(AppError::NotFound)?;
    Ok(plan)
}

async fn moderation_page(step: &Step, pid: i64, error: Option<(i64, String)>) -> AppResult<Response> {
    let plan = plan_in_scope(step, pid).await?;
    let mut comments = discussion::comments::for_subject(step.db(), &plans::TABLE, pid).await?;
    comments.sort_by_key(|c| (c.status != "pending", std::cmp::Reverse(c.id)));
    let c = step.chrome("desk_councils", "councils/", &plan.title.clone()).await;
    let failed = error.is_some();
    let moderate_base = step.page(&format!("councils/plans/{pid}/comments"));
    let page = ModerationPage { c, body: step.body().clone(), plan, comments, error: ItemError(error), moderate_base };
    render_refused(&page, failed)
}

pub async fn moderation(step: Step, Path((_, pid)): Path<(String, i64)>) -> AppResult<Response> {
    moderation_page(&step, pid, None).await
}

pub async fn moderate(
    step: Step,
    Path((_, pid, cid)): Path<(String, i64, i64)>,
    Form(f): Form<ModerateForm>,
) -> AppResult<Response> {
    let plan = plan_in_scope(&step, pid).await?;
    let list = discussion::comments::for_subject(step.db(), &plans::TABLE, pid).await?;
    let comment = list.iter().find(|c| c.id == cid).ok_or(AppError::NotFound)?;
    let subject = plan.subject(step.body().id, page_url(&step.state.cfg.public_url, &step.body().slug, pid));
    let done = match f.action() {
        Ok(action) => {
            discussion::comments::moderate(step.db(), &step.actor(), step.now, &plans::TABLE, &subject, comment, action)
                .await
        }
        Err(e) => Err(e),
    };
    let to = |()| format!("{}?done=saved#c{cid}", step.page(&format!("councils/plans/{pid}/comments")));
    step.answer(done, to, |message| moderation_page(&step, pid, Some((cid, message)))).await
}

/// Every comment of the plan, for the summary of the discussion.
pub async fn comments_csv(step: Step, Path((_, pid)): Path<(String, i64)>) -> AppResult<Response> {
    plan_in_scope(&step, pid).await?;
    let list = discussion::comments::for_subject(step.db(), &plans::TABLE, pid).await?;
    let item = |unit: Option<i64>| unit.map(|n| n.to_string()).unwrap_or_default();
    let status = |s: &str| step.v.label("comment_status", s).to_string();
    let out = discussion::summary::staff_csv(&list, "item", item, status, &step.state.timezone);
    Ok(attachment(out.into(), &format!("plan-comments-{pid}.csv"), "text/csv; charset=utf-8", "private, no-store"))
}
