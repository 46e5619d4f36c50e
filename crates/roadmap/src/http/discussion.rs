//! Public discussion of a draft roadmap: the public page with the draft, the published
//! comments with the body's replies and the comment form (CSRF, a hidden field for robots, a
//! per-address limit, consent to the processing of personal data); the planners' moderation
//! page, and the comments as CSV.

use std::net::SocketAddr;

use crate::comments;
use crate::store::{self, Loaded};
use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use discussion::comments::{Comment, CommentForm, ModerateForm};
use kernel::bodies::Body;

use super::{Group, groups, load_for, staff_chrome};
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form};
use shell::public_form::{self, Limit, Refusal};
use shell::render::render_refused;
use shell::staff::Scoped;
use shell::step::{ItemError, Step};

/// Comments one address may send in ten minutes.
const LIMIT: Limit = Limit {
    bucket: "comment",
    per_address: 5,
    window_ms: 10 * 60 * 1000,
    field: "text",
    message: "с вашего адреса отправлено много комментариев подряд: подождите 10 минут и отправьте ещё раз",
};

#[derive(Template)]
#[template(path = "public/discussion.html")]
pub struct DiscussionPage {
    pub c: Chrome,
    pub body: Body,
    pub loaded: Loaded,
    pub groups: Vec<Group>,
    pub accepting: bool,
    pub until: String,
    pub comments: Vec<Comment>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    /// The notice after a send (a string key), if any.
    pub sent: &'static str,
    pub form_action: String,
}

impl DiscussionPage {
    pub fn can_mark(&self) -> bool {
        false
    }
    pub fn can_edit(&self) -> bool {
        false
    }
    pub fn comment_on(&self, k: &Comment) -> String {
        comment_on(&self.c, &self.loaded, k)
    }
}

/// «, к мероприятию 12.» for a comment on a measure; nothing for one on the whole plan.
fn comment_on(c: &Chrome, loaded: &Loaded, k: &Comment) -> String {
    k.unit
        .and_then(|id| loaded.measures.iter().find(|m| m.id == id))
        .map(|m| format!(", {} {}", c.t("on_measure"), m.number))
        .unwrap_or_default()
}

/// A plan of the body that is, or was, discussed in public: its comments stay readable after.
async fn discussed(state: &AppState, slug: &str, id: i64) -> AppResult<(Body, Loaded, Vec<Comment>)> {
    let body = state.directory().await?.body(slug).cloned().ok_or(AppError::NotFound)?;
    let loaded =
        store::load(&state.db, id).await?.filter(|l| l.roadmap.body_id == body.id).ok_or(AppError::NotFound)?;
    let comments = discussion::comments::for_subject(&state.db, &comments::TABLE, id).await?;
    let published = comments.iter().any(|c| c.status == "published");
    if loaded.roadmap.status != "discussion" && !published {
        return Err(AppError::NotFound);
    }
    Ok((body, loaded, comments))
}

/// What the page shows after a send: a fresh form, the form back with problems, or thanks.
enum Shown<'a> {
    Fresh { sent: bool },
    Refused(&'a CommentForm, Refusal),
}

async fn discussion_page(
    state: &AppState,
    v: &Visitor,
    (body, loaded, comments): (Body, Loaded, Vec<Comment>),
    shown: Shown<'_>,
) -> AppResult<Response> {
    let (today, cal) = state.today_and_calendar().await?;
    let accepting = comments::accepting(&loaded.roadmap, today);
    let until = loaded
        .roadmap
        .discussion_until
        .parse::<deadlines::Date>()
        .map(|d| d.strftime("%d.%m.%Y").to_string())
        .unwrap_or_default();
    let empty = CommentForm::default();
    let (f, refusal, sent) = match shown {
        Shown::Fresh { sent } => (&empty, None, sent),
        Shown::Refused(f, r) => (f, Some(r), false),
    };
    let t = |k| v.t(k).to_string();
    let mut measures = vec![(String::new(), t("whole_plan"))];
    measures.extend(loaded.measures.iter().map(|m| {
        let short: String = m.text.chars().take(80).collect();
        let more = if m.text.chars().count() > 80 { "…" } else { "" };
        (m.id.to_string(), format!("{} {short}{more}", m.number))
    }));
    let mut fields = vec![
        Field::select("unit", "comment_on", &f.unit, measures),
        Field::new("text", "comment_text", &f.text, "textarea").required(),
        Field::new("author_name", "comment_author", &f.author_name, "text").hint("comment_author_hint"),
        Field::new("email", "comment_email", &f.email, "email").hint("comment_email_hint"),
        Field::new("consent", "comment_consent", &f.consent, "checkbox").required(),
    ];
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let marks = crate::marks::for_roadmap(&state.db, loaded.roadmap.id).await?;
    let groups = groups(v.lang, &cal, today, &loaded, &marks);
    let comments: Vec<Comment> = comments.into_iter().filter(|c| c.status == "published").collect();
    let title = v.t("discussion");
    let openness = v.t("openness");
    let c = Chrome::new(state, v, format!("{title}: {}", loaded.roadmap.title))
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(openness, format!("/o/{}/openness/", body.slug))
        .crumb(title, "");
    let sent = if sent { "comment_sent" } else { "" };
    let form_action = format!("/o/{}/openness/discussion/{}", body.slug, loaded.roadmap.id);
    let page =
        DiscussionPage { c, body, loaded, groups, accepting, until, comments, fields, errors, sent, form_action };
    public_form::respond(&page, status)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

pub async fn public_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<SentQuery>,
) -> AppResult<Response> {
    let found = discussed(&state, &slug, id).await?;
    discussion_page(&state, &v, found, Shown::Fresh { sent: q.sent == "1" }).await
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<CommentForm>,
) -> AppResult<Response> {
    let found = discussed(&state, &slug, id).await?;
    let thanks = format!("/o/{slug}/openness/discussion/{id}?sent=1#comment-form");
    let (today, _) = state.today_and_calendar().await?;
    let closed = (!comments::accepting(&found.1.roadmap, today))
        .then(|| "обсуждение завершено, комментарии больше не принимаются".to_string());
    let units: Vec<i64> = found.1.measures.iter().map(|m| m.id).collect();
    let subject = comments::subject(&found.1.roadmap, &state.cfg.public_url, &slug);
    let refused =
        discussion::receive::receive(&state, peer.ip(), (&comments::TABLE, &LIMIT), &subject, (&units, closed), &f)
            .await?;
    if let Some(refusal) = refused {
        return discussion_page(&state, &v, found, Shown::Refused(&f, refusal)).await;
    }
    Ok(Redirect::to(&thanks).into_response())
}

#[derive(Template)]
#[template(path = "staff/comments.html")]
pub struct ModerationPage {
    pub c: Chrome,
    pub body: Body,
    pub loaded: Loaded,
    pub comments: Vec<Comment>,
    /// The comment the error belongs to, and the error.
    pub error: ItemError,
    pub moderate_base: String,
}

impl ModerationPage {
    pub fn comment_on(&self, k: &Comment) -> String {
        comment_on(&self.c, &self.loaded, k)
    }
}

async fn moderation_page(step: &Step, id: i64, error: Option<(i64, String)>) -> AppResult<Response> {
    let Step { state, v, s, .. } = step;
    let loaded = load_for(state, &s.body, id).await?;
    let mut comments = discussion::comments::for_subject(&state.db, &comments::TABLE, id).await?;
    // Waiting ones first, newest first within each status.
    comments.sort_by_key(|c| (c.status != "pending", std::cmp::Reverse(c.id)));
    let title = v.t("comments");
    let c = staff_chrome(state, v, s, title).await;
    let failed = error.is_some();
    let moderate_base = format!("/staff/o/{}/roadmaps/{id}/comments", s.body.slug);
    let page = ModerationPage { c, body: s.body.clone(), loaded, comments, error: ItemError(error), moderate_base };
    render_refused(&page, failed)
}

pub async fn moderation(step: Step, Path((_, id)): Path<(String, i64)>) -> AppResult<Response> {
    moderation_page(&step, id, None).await
}

pub async fn moderate(
    step: Step,
    Path((_, id, cid)): Path<(String, i64, i64)>,
    Form(f): Form<ModerateForm>,
) -> AppResult<Response> {
    let Step { state, s, .. } = &step;
    let loaded = load_for(state, &s.body, id).await?;
    let list = discussion::comments::for_subject(&state.db, &comments::TABLE, id).await?;
    let comment = list.iter().find(|c| c.id == cid).ok_or(AppError::NotFound)?;
    let subject = comments::subject(&loaded.roadmap, &state.cfg.public_url, &s.body.slug);
    let done = match f.action() {
        Ok(action) => {
            discussion::comments::moderate(
                step.db(),
                &step.actor(),
                step.now,
                &comments::TABLE,
                &subject,
                comment,
                action,
            )
            .await
        }
        Err(e) => Err(e),
    };
    let to = |()| format!("{}?done=saved#c{cid}", step.page(&format!("roadmaps/{id}/comments")));
    step.answer(done, to, |message| moderation_page(&step, id, Some((cid, message)))).await
}

/// Every comment of the plan, for the summary of the discussion's results.
pub async fn comments_csv(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let loaded = load_for(&state, &s.body, id).await?;
    let list = discussion::comments::for_subject(&state.db, &comments::TABLE, id).await?;
    let measure = |unit: Option<i64>| {
        unit.and_then(|mid| loaded.measures.iter().find(|m| m.id == mid)).map(|m| m.number.clone()).unwrap_or_default()
    };
    let status = |s: &str| v.label("comment_status", s).to_string();
    let out = discussion::summary::staff_csv(&list, "measure", measure, status, &state.timezone);
    let mut resp = out.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(h) = HeaderValue::from_str(&format!("attachment; filename=\"comments-{}-{id}.csv\"", s.body.slug)) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, h);
    }
    Ok(resp)
}
