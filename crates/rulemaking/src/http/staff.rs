//! The lawyers' pages: a body's drafts with the notice form; a draft's page — upload a version,
//! open the discussion (its window checked against the rule), record the result; moderation of
//! its comments with the body's position on each, and every comment as CSV. The portal admin
//! sets the rule of each kind of act.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use discussion::comments::{self as engine, Comment, ModerateForm};
use kernel::bodies::Body;
use kernel::staff::{Role, StaffUser};
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form, attach_errors};
use shell::render::{attachment, render_refused};
use shell::step::{ItemError, Step};

use super::public::{Loaded, load};
use crate::expertise::Conclusion;
use crate::store::{self, Draft, NoticeForm};
use crate::{COMMENTS, comments};

/// Who prepares a body's drafts.
pub const LAWYERS: &[Role] = &[Role::Lawyer, Role::Editor];

#[derive(Template)]
#[template(path = "staff/drafts.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    pub drafts: Vec<(Draft, &'static str)>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
}

async fn list_page(step: &Step, f: &NoticeForm, errors: Vec<(&'static str, String)>) -> AppResult<Response> {
    let drafts = store::list(step.db(), Some(step.body().id))
        .await?
        .into_iter()
        .map(|d| {
            let stage = d.stage_on(step.today);
            (d, stage)
        })
        .collect();
    let kinds = store::kinds(step.db()).await?;
    let mut options = vec![(String::new(), step.v.t("draft_choose_kind").to_string())];
    let rule = |k: &store::Kind| step.v.lang.pick(k.rule_ru(), k.rule_en());
    options.extend(kinds.iter().map(|k| (k.code.clone(), format!("{} ({})", k.name, rule(k)))));
    let mut fields = vec![
        Field::select("kind", "f_kind", &f.kind, options).required(),
        Field::new("title", "f_title", &f.title, "text").required(),
        Field::new("concept", "f_concept", &f.concept, "textarea").required().hint("f_concept_hint"),
        Field::new("costs_benefits", "f_costs", &f.costs_benefits, "textarea").hint("f_costs_hint"),
        Field::new("plain_summary", "f_plain", &f.plain_summary, "textarea").hint("f_plain_hint"),
        Field::new("video_url", "f_video", &f.video_url, "url").hint("f_video_hint"),
    ];
    let refused = !errors.is_empty();
    let errors = attach_errors(&mut fields, errors);
    let c = step.chrome("desk_drafts", "drafts/", step.v.t("desk_drafts")).await;
    render_refused(&ListPage { c, body: step.body().clone(), drafts, fields, errors }, refused)
}

pub async fn list(step: Step) -> AppResult<Response> {
    list_page(&step, &NoticeForm::default(), Vec::new()).await
}

pub async fn create(step: Step, Form(f): Form<NoticeForm>) -> AppResult<Response> {
    let kinds = store::kinds(step.db()).await?;
    let checked = match store::check_notice(&f, &kinds) {
        Ok(n) => n,
        Err(kernel::Error::Form(errors)) => return list_page(&step, &f, errors).await,
        Err(e) => return Err(e.into()),
    };
    let id = store::create(step.db(), &step.actor(), step.now, step.body().id, &checked).await?;
    Ok(Redirect::to(&format!("{}?done=created", step.page(&format!("drafts/{id}")))).into_response())
}

#[derive(Template)]
#[template(path = "staff/draft.html")]
pub struct DraftPage {
    pub c: Chrome,
    pub l: Loaded,
    pub stage: &'static str,
    /// Comments in all, and those waiting for moderation.
    pub counts: (usize, usize),
    pub error: Option<(&'static str, String)>,
    pub notice: String,
    /// The shortest window if the discussion opened today, and why.
    pub shortest: String,
    /// Independent expertise: the days conclusions would be taken if published today, and why.
    pub expertise_window: String,
    pub conclusions: Vec<Conclusion>,
    pub factors: Vec<(&'static str, &'static str)>,
    /// The conclusion form as sent, when it was refused.
    pub sent: HashMap<String, String>,
    /// The signed-in lawyer's address, offered for conclusions.
    pub email: String,
}

impl DraftPage {
    pub fn error_on(&self, form: &str) -> Option<&str> {
        self.error.as_ref().filter(|(f, _)| *f == form).map(|(_, e)| e.as_str())
    }

    /// A field of the refused conclusion form, to give back.
    pub fn typed(&self, field: &str) -> &str {
        self.sent.get(field).map(String::as_str).unwrap_or_default()
    }

    pub fn factor_name(&self, code: &str) -> String {
        crate::expertise::factor_name(code)
    }

    pub fn rows(&self) -> std::ops::RangeInclusive<usize> {
        1..=crate::expertise::FINDING_ROWS
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
    units: String,
}

async fn draft_page(
    step: &Step,
    id: i64,
    error: Option<(&'static str, String)>,
    notice: String,
) -> AppResult<Response> {
    draft_page_with(step, id, error, notice, HashMap::new()).await
}

async fn draft_page_with(
    step: &Step,
    id: i64,
    error: Option<(&'static str, String)>,
    notice: String,
    sent: HashMap<String, String>,
) -> AppResult<Response> {
    let l = load(&step.state, step.body().clone(), id).await?;
    let list = engine::for_subject(step.db(), &COMMENTS, id).await?;
    let counts = (list.len(), list.iter().filter(|k| k.status == "pending").count());
    let shortest = match &l.kind {
        Some(k) if l.d.stage == "notice" => discussion::window::shortest(&step.cal, step.today, &k.term())
            .map(|w| {
                let lang = step.v.lang;
                format!("{} ({})", lang.pick(w.span_ru(), w.span_en()), lang.pick(w.explain_ru(), w.explain_en()))
            })
            .unwrap_or_else(|e| e.to_string()),
        _ => String::new(),
    };
    let stage = l.d.stage_on(step.today);
    let expertise_window = match crate::expertise::window(&step.cal, step.today, step.state.cfg.expertise_working_days)
    {
        Ok((from, until, why)) => {
            format!("с {} по {} ({why})", from.strftime("%d.%m.%Y"), until.strftime("%d.%m.%Y"))
        }
        Err(e) => e.to_string(),
    };
    let conclusions = crate::expertise::for_draft(step.db(), id).await?;
    let c = step.chrome("desk_drafts", "drafts/", &l.d.title.clone()).await;
    let failed = error.is_some();
    let page = DraftPage {
        c,
        l,
        stage,
        counts,
        error,
        notice,
        shortest,
        expertise_window,
        conclusions,
        factors: crate::expertise::factors(),
        sent,
        email: step.user.email.clone(),
    };
    render_refused(&page, failed)
}

pub async fn detail(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> AppResult<Response> {
    let notice = match q.done.as_str() {
        "version" if q.units == "0" => step.v.t("version_unstructured").to_string(),
        "version" => format!("{} {}", step.v.t("version_saved"), q.units),
        "created" | "opened" | "result" | "expertise" | "conclusion" | "answer" | "saved" => {
            step.v.t("saved").to_string()
        }
        _ => String::new(),
    };
    draft_page(&step, id, None, notice).await
}

async fn draft_of(step: &Step, id: i64) -> AppResult<Draft> {
    store::get(step.db(), id).await?.filter(|d| d.body_id == step.body().id).ok_or(AppError::NotFound)
}

pub async fn upload(step: Step, Path((_, id)): Path<(String, i64)>, mp: Multipart) -> AppResult<Response> {
    let d = draft_of(&step, id).await?;
    let (fields, mut files) = shell::forms::multipart(mp, &["file"]).await?;
    let Some(file) = files.remove("file") else {
        return draft_page(&step, id, Some(("version", "выберите файл с текстом проекта".into())), String::new()).await;
    };
    let note = fields.get("note").map(String::as_str).unwrap_or_default();
    let done =
        store::add_version(step.db(), &step.state.storage, &step.actor(), step.now, &d, (&file.name, file.bytes), note)
            .await;
    match done {
        Ok(a) => {
            let units = if a.structured { a.units } else { 0 };
            let to = format!("{}?done=version&units={units}#text", step.page(&format!("drafts/{id}")));
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => match e.about_input() {
            Some(message) => draft_page(&step, id, Some(("version", message)), String::new()).await,
            None => Err(e.into()),
        },
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OpenForm {
    closes: String,
}

pub async fn open(step: Step, Path((_, id)): Path<(String, i64)>, Form(f): Form<OpenForm>) -> AppResult<Response> {
    let d = draft_of(&step, id).await?;
    let kind = store::kinds(step.db()).await?.into_iter().find(|k| k.code == d.kind).ok_or(AppError::NotFound)?;
    let closes = match f.closes.trim() {
        "" => None,
        s => match s.parse::<deadlines::Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                let e = "укажите последний день обсуждения датой (ДД.ММ.ГГГГ в календаре)".to_string();
                return draft_page(&step, id, Some(("open", e)), String::new()).await;
            }
        },
    };
    let done =
        store::open_discussion(step.db(), &step.actor(), step.now, &d, &kind, (&step.cal, step.today), closes).await;
    match done {
        Ok(_) => Ok(Redirect::to(&format!("{}?done=opened", step.page(&format!("drafts/{id}")))).into_response()),
        Err(e) => match e.about_input() {
            Some(message) => draft_page(&step, id, Some(("open", message)), String::new()).await,
            None => Err(e.into()),
        },
    }
}

/// What leads the draft: the plain-language summary, a video, a picture with its description,
/// the summary report of the regulatory impact assessment.
pub async fn clarity(step: Step, Path((_, id)): Path<(String, i64)>, mp: Multipart) -> AppResult<Response> {
    let d = draft_of(&step, id).await?;
    let (fields, mut files) = shell::forms::multipart(mp, &["picture"]).await?;
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let picture = match files.remove("picture") {
        None => None,
        Some(upload) => {
            let prepared = tokio::task::spawn_blocking(move || office::picture::prepare(&upload.bytes))
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            match prepared {
                Ok(p) => Some(p.jpeg),
                Err(e) => {
                    let message = format!("картинка не принята: {e}");
                    return draft_page_with(&step, id, Some(("clarity", message)), String::new(), fields).await;
                }
            }
        }
    };
    let c = store::Clarity {
        plain_summary: get("plain_summary"),
        video_url: get("video_url"),
        picture_alt: get("picture_alt"),
        ria_summary: get("ria_summary"),
        picture,
        remove_picture: get("remove_picture") == "1",
    };
    match store::set_clarity(step.db(), &step.state.storage, &step.actor(), step.now, &d, c).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}?done=saved#clarity", step.page(&format!("drafts/{id}")))).into_response())
        }
        Err(kernel::Error::Form(errors)) => {
            let message = errors.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ");
            draft_page_with(&step, id, Some(("clarity", message)), String::new(), fields).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ExpertiseForm {
    expertise_email: String,
}

/// Publishes the draft for independent anti-corruption expertise from today.
pub async fn expertise(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ExpertiseForm>,
) -> AppResult<Response> {
    let d = draft_of(&step, id).await?;
    let done = match crate::expertise::window(&step.cal, step.today, step.state.cfg.expertise_working_days) {
        Ok((from, until, _)) => {
            crate::expertise::publish(step.db(), &step.actor(), step.now, &d, &f.expertise_email, (from, until)).await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}?done=expertise#conclusions", step.page(&format!("drafts/{id}"))))
                .into_response())
        }
        Err(e) => match e.about_input() {
            Some(message) => draft_page(&step, id, Some(("expertise", message)), String::new()).await,
            None => Err(e.into()),
        },
    }
}

/// Enters a conclusion received, with its findings; its term to answer follows from its receipt.
pub async fn conclusion(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let d = draft_of(&step, id).await?;
    let checked = crate::expertise::check(&f, step.today).and_then(|c| {
        let due = crate::expertise::answer_term(&step.cal, c.received_on, &step.state.cfg)?;
        Ok((c, due))
    });
    let (c, due) = match checked {
        Ok(both) => both,
        Err(kernel::Error::Form(errors)) => {
            let message = errors.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ");
            return draft_page_with(&step, id, Some(("conclusion", message)), String::new(), f).await;
        }
        Err(e) => match e.about_input() {
            Some(message) => return draft_page_with(&step, id, Some(("conclusion", message)), String::new(), f).await,
            None => return Err(e.into()),
        },
    };
    let cid = crate::expertise::add(step.db(), &step.actor(), step.now, &d, &c, &due).await?;
    Ok(Redirect::to(&format!("{}?done=conclusion#conclusion-{cid}", step.page(&format!("drafts/{id}"))))
        .into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    answer: String,
}

/// Publishes the body's reasoned answer to a conclusion.
pub async fn answer(
    step: Step,
    Path((_, id, cid)): Path<(String, i64, i64)>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Response> {
    let d = draft_of(&step, id).await?;
    let list = crate::expertise::for_draft(step.db(), id).await?;
    let c = list.iter().find(|c| c.id == cid).ok_or(AppError::NotFound)?;
    match crate::expertise::answer(step.db(), &step.actor(), step.now, &d, c, &f.answer).await {
        Ok(()) => Ok(Redirect::to(&format!("{}?done=answer#conclusion-{cid}", step.page(&format!("drafts/{id}"))))
            .into_response()),
        Err(e) => match e.about_input() {
            Some(message) => draft_page(&step, id, Some(("answer", message)), String::new()).await,
            None => Err(e.into()),
        },
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ResultForm {
    outcome: String,
    result: String,
}

pub async fn result(step: Step, Path((_, id)): Path<(String, i64)>, Form(f): Form<ResultForm>) -> AppResult<Response> {
    let d = draft_of(&step, id).await?;
    match store::set_result(step.db(), &step.actor(), step.now, &d, &f.outcome, &f.result).await {
        Ok(()) => Ok(Redirect::to(&format!("{}?done=result", step.page(&format!("drafts/{id}")))).into_response()),
        Err(e) => match e.about_input() {
            Some(message) => draft_page(&step, id, Some(("result", message)), String::new()).await,
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "staff/comments.html")]
pub struct ModerationPage {
    pub c: Chrome,
    pub l: Loaded,
    pub comments: Vec<Comment>,
    pub error: ItemError,
    pub moderate_base: String,
}

impl ModerationPage {
    pub fn comment_on(&self, k: &Comment) -> String {
        self.l.comment_on(k)
    }
}

async fn moderation_page(step: &Step, id: i64, error: Option<(i64, String)>) -> AppResult<Response> {
    let l = load(&step.state, step.body().clone(), id).await?;
    let mut comments = engine::for_subject(step.db(), &COMMENTS, id).await?;
    // Waiting ones first, newest first within each status.
    comments.sort_by_key(|k| (k.status != "pending", std::cmp::Reverse(k.id)));
    let title = step.v.t("draft_comments");
    let c = step.chrome("desk_drafts", "drafts/", title).await;
    let moderate_base = step.page(&format!("drafts/{id}/comments"));
    let failed = error.is_some();
    render_refused(&ModerationPage { c, l, comments, error: ItemError(error), moderate_base }, failed)
}

pub async fn moderation(step: Step, Path((_, id)): Path<(String, i64)>) -> AppResult<Response> {
    moderation_page(&step, id, None).await
}

pub async fn moderate(
    step: Step,
    Path((_, id, cid)): Path<(String, i64, i64)>,
    Form(f): Form<ModerateForm>,
) -> AppResult<Response> {
    let l = load(&step.state, step.body().clone(), id).await?;
    let list = engine::for_subject(step.db(), &COMMENTS, id).await?;
    let comment = list.iter().find(|k| k.id == cid).ok_or(AppError::NotFound)?;
    let subject = comments::subject(&l, &step.state.cfg.public_url);
    let done = match f.action() {
        Ok(action) => engine::moderate(step.db(), &step.actor(), step.now, &COMMENTS, &subject, comment, action).await,
        Err(e) => Err(e),
    };
    let to = |()| format!("{}?done=saved#c{cid}", step.page(&format!("drafts/{id}/comments")));
    step.answer(done, to, |message| moderation_page(&step, id, Some((cid, message)))).await
}

/// Every comment, rejected and unconfirmed ones too, addresses left out.
pub async fn comments_csv(step: Step, Path((_, id)): Path<(String, i64)>) -> AppResult<Response> {
    let l = load(&step.state, step.body().clone(), id).await?;
    let list = engine::for_subject(step.db(), &COMMENTS, id).await?;
    let unit = |u: Option<i64>| l.place(u).1;
    let status = |s: &str| step.v.label("comment_status", s).to_string();
    let text = discussion::summary::staff_csv(&list, "unit", unit, status, &step.state.timezone);
    let name = format!("comments-{}-{id}.csv", step.body().slug);
    Ok(attachment(text.into(), &name, "text/csv; charset=utf-8", "private, no-store"))
}

#[derive(Template)]
#[template(path = "staff/kinds.html")]
pub struct KindsPage {
    pub c: Chrome,
    pub kinds: Vec<store::Kind>,
    pub error: Option<(String, String)>,
}

async fn kinds_page(state: &AppState, v: &Visitor, error: Option<(String, String)>) -> AppResult<Response> {
    let kinds = store::kinds(&state.db).await?;
    let title = v.t("draft_kinds");
    let c = Chrome::new(state, v, title).await.crumb(v.t("staff_home"), "/staff/").crumb(title, "");
    let failed = error.is_some();
    render_refused(&KindsPage { c, kinds, error }, failed)
}

pub async fn kinds(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    kinds_page(&state, &v, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct KindForm {
    amount: String,
    unit: String,
    on_day_off: String,
}

pub async fn set_kind(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Path(code): Path<String>,
    Form(f): Form<KindForm>,
) -> AppResult<Response> {
    let kind = store::kinds(&state.db).await?.into_iter().find(|k| k.code == code).ok_or(AppError::NotFound)?;
    let now = state.clock.now_ms();
    match store::set_kind(&state.db, &user.actor(), now, &kind, &f.amount, &f.unit, &f.on_day_off).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/drafts/kinds?done=saved#k-{code}")).into_response()),
        Err(kernel::Error::Form(errors)) => {
            let message = errors.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ");
            kinds_page(&state, &v, Some((code, message))).await
        }
        Err(e) => Err(e.into()),
    }
}
