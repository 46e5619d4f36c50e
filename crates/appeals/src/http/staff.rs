//! The appeals officers' side: the list of a body's submissions, the card of each with its files,
//! and every step on it (answer, extend, forward, leave without answer, defer or refuse a media
//! request, letters by post, questions, assignment), publication of answers, the monthly return.

use crate::rules::{self, Kind};
use crate::submissions::{self, Submission};
use crate::workflow;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use kernel::bodies::Body;
use kernel::staff::Role;

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::Form;
use shell::i18n::Lang;
use shell::render::{render, render_refused};
use shell::staff::Scoped;
use shell::step::{ItemError, Step};

/// Who handles appeals in a body.
pub const APPEALS_STAFF: &[Role] = &[Role::AppealsOfficer];

#[derive(Template)]
#[template(path = "staff/appeals.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    /// The submissions the filter keeps, in the order an officer works through them.
    pub items: Vec<submissions::Listed>,
    pub today: String,
    /// (filter code, how many submissions it keeps), for the filter's options.
    pub shows: Vec<(&'static str, usize)>,
    pub show: &'static str,
    /// The kinds among the body's submissions, and the one chosen ("" for every kind).
    pub kinds: Vec<String>,
    pub kind: String,
    /// (user id, name or e-mail) of the body's appeals officers.
    pub officers: Vec<(i64, String)>,
}

/// Days before its term when a submission is shown as due soon.
pub const SOON_DAYS: i64 = 5;

/// The filters of the list: which submissions each keeps.
pub const SHOWS: [&str; 4] = ["open", "overdue", "mine", "all"];

fn kept_by(show: &str, s: &submissions::Listed, today: &str, me: i64) -> bool {
    let open = !workflow::is_final(&s.status);
    match show {
        "overdue" => open && s.due_on.as_str() < today,
        "mine" => open && s.assignee_id == Some(me),
        "all" => true,
        _ => open,
    }
}

impl ListPage {
    pub fn assignee(&self, s: &submissions::Listed) -> String {
        s.assignee_id
            .and_then(|id| self.officers.iter().find(|(o, _)| *o == id))
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    }
    /// The badge of a submission: its code (ok, soon, overdue, done) and its words.
    pub fn badge(&self, s: &submissions::Listed) -> (&'static str, String) {
        if workflow::is_final(&s.status) {
            ("done", self.c.label("term", "done").to_string())
        } else {
            self.c.term(&s.due_on, &self.today, SOON_DAYS)
        }
    }
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    show: String,
    #[serde(default)]
    kind: String,
}

pub async fn staff_list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
    Extension(user): Extension<kernel::staff::StaffUser>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let all = state.part::<submissions::KeptLists>()?.get(&state.db, s.body.id).await?;
    let (today, _) = state.today_and_calendar().await?;
    let today = today.to_string();
    let show = SHOWS.into_iter().find(|x| *x == q.show).unwrap_or("open");
    let mut kinds: Vec<String> = all.iter().map(|i| i.kind.clone()).collect();
    kinds.sort();
    kinds.dedup();
    let kind = if kinds.contains(&q.kind) { q.kind } else { String::new() };
    let of_kind = |i: &&submissions::Listed| kind.is_empty() || i.kind == kind;
    let shows = SHOWS
        .into_iter()
        .map(|x| (x, all.iter().filter(of_kind).filter(|i| kept_by(x, i, &today, user.id)).count()))
        .collect();
    let mut items: Vec<submissions::Listed> =
        all.iter().filter(of_kind).filter(|i| kept_by(show, i, &today, user.id)).cloned().collect();
    // Open ones first, the nearest term first (the overdue ones lead); then the closed, newest first.
    items.sort_by(|a, b| {
        let (fa, fb) = (workflow::is_final(&a.status), workflow::is_final(&b.status));
        fa.cmp(&fb).then_with(|| if fa { b.registered_on.cmp(&a.registered_on) } else { a.due_on.cmp(&b.due_on) })
    });
    let title = v.t("appeals");
    let c = s.chrome(&state, &v, "appeals", "appeals/", title).await;
    let officers = officers(&state, &s).await?.into_iter().map(|u| (u.id, label(&u))).collect();
    render(&ListPage { c, body: s.body.clone(), items, today, shows, show, kinds, kind, officers })
}

/// The staff home's lines: for each body whose appeals the member handles, what is open and how
/// much of it is overdue, linked to the list filtered so.
pub fn todo<'a>(
    state: &'a AppState,
    v: &'a Visitor,
    user: &'a kernel::staff::StaffUser,
    bodies: &'a [Body],
    today: deadlines::Date,
    _cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Vec<shell::mechanism::Todo>>> {
    Box::pin(async move {
        let dir = state.directory().await?;
        let lists = state.part::<submissions::KeptLists>()?;
        let today = today.to_string();
        let mut out = Vec::new();
        for body in bodies {
            if !user.allows(kernel::staff::Access::BodyWrite(APPEALS_STAFF), &dir.chain(body.id)) {
                continue;
            }
            let items = lists.get(&state.db, body.id).await?;
            let open = items.iter().filter(|i| kept_by("open", i, &today, user.id)).count();
            let overdue = items.iter().filter(|i| kept_by("overdue", i, &today, user.id)).count();
            if open == 0 {
                continue;
            }
            let text =
                v.t("todo_appeals").replace("{open}", &open.to_string()).replace("{overdue}", &overdue.to_string());
            let show = if overdue > 0 { "?show=overdue" } else { "" };
            out.push(shell::mechanism::Todo {
                text: format!("{}: {text}", body.short_name),
                href: format!("/staff/o/{}/appeals/{show}", body.slug),
                urgent: overdue > 0,
            });
        }
        Ok(out)
    })
}

/// The appeals officers of a body (or of a body above it).
async fn officers(state: &AppState, s: &Scoped) -> AppResult<Vec<kernel::staff::StaffUser>> {
    let chain: Vec<i64> = s.chain.iter().map(|b| b.id).collect();
    Ok(workflow::officers(&state.directory().await?.users, &chain))
}

fn label(u: &kernel::staff::StaffUser) -> String {
    if u.display_name.trim().is_empty() { u.email.clone() } else { format!("{} ({})", u.display_name, u.email) }
}

#[derive(Template)]
#[template(path = "staff/appeal.html")]
pub struct CardPage {
    pub c: Chrome,
    pub today: String,
    pub body: Body,
    pub s: Submission,
    pub kind: &'static str,
    pub files: Vec<submissions::File>,
    pub events: Vec<submissions::Event>,
    pub due_explained: String,
    pub results: Vec<(&'static str, &'static str)>,
    pub questions: Vec<crate::questions::Question>,
    pub topics: Vec<crate::questions::Topic>,
    /// Other bodies of the portal it may be forwarded to, and by when (the rule's term).
    pub bodies: Vec<(String, String)>,
    pub forward_by: Option<String>,
    /// Grounds of 59-FZ art. 11, for appeals under that law.
    pub grounds: Vec<(&'static str, String)>,
    pub notices: Vec<workflow::Notice>,
    /// (user id, name) of the officers it may be assigned to.
    pub officers: Vec<(i64, String)>,
    /// The term an extension would give, and its rule.
    pub extension: Option<(String, String)>,
    /// Media requests: by when a refusal or a deferral must reach the editorial office, and its
    /// rule; the grounds a refusal may give.
    pub media_notice_by: Option<(String, String)>,
    /// Letters owed to an applicant answered by post, with what became of each.
    pub letters: Vec<crate::letters::Letter>,
    pub refusal_grounds: Vec<(&'static str, &'static str)>,
    pub error: Option<String>,
}

impl CardPage {
    /// Where its term stands today (code, words), for the card's first line.
    pub fn term(&self) -> (&'static str, String) {
        self.c.term(&self.s.due_on, &self.today, SOON_DAYS)
    }
    pub fn identified(&self) -> &'static str {
        let code = &self.s.identified_by;
        self.c.label("identified", if submissions::IDENTIFIED.contains(&code.as_str()) { code } else { "none" })
    }
    pub fn assigned(&self, officer: &(i64, String)) -> bool {
        self.s.assignee_id == Some(officer.0)
    }
    pub fn notice(&self, what: &str) -> &'static str {
        let code = match what {
            "registered" | "extended" | "answer" | "forwarded" | "no_answer" | "refused" => what,
            w if w.starts_with("deferred-") => "deferred",
            _ => "other",
        };
        self.c.label("notice", code)
    }
    pub fn date(&self, d: &deadlines::Date) -> String {
        d.strftime("%d.%m.%Y").to_string()
    }
    pub fn delivery(&self, n: &workflow::Notice) -> String {
        let t = |k| self.c.t(k);
        match n.status.as_str() {
            "done" => {
                format!("{} {}", t("delivery_done"), n.sent_at.map(|at| self.c.datetime(&at)).unwrap_or_default())
            }
            "failed" => format!("{}: {}. {}", t("delivery_failed"), n.attempts, n.last_error),
            _ if n.attempts > 0 => format!("{} {}: {}", t("delivery_retry"), n.attempts, n.last_error),
            _ => t("delivery_waiting").to_string(),
        }
    }
    pub fn open(&self) -> bool {
        !workflow::is_final(&self.s.status)
    }
}

/// What a rule has done and in how many days, in the visitor's words.
pub(crate) fn rule_length(v: &Visitor, terms: &rules::Terms, rule: &rules::Rule) -> String {
    let (days, unit) = terms.length(rule);
    format!("{} {days} {}", v.label("rule_action", rule.id), v.t(unit))
}

/// How the answer date of a submission is computed, and the date an extension would give.
fn terms(
    v: &Visitor,
    terms: &rules::Terms,
    cal: &deadlines::Calendar,
    s: &Submission,
) -> (String, Option<(deadlines::Date, String)>) {
    let kind = Kind::parse(&s.kind).unwrap_or(Kind::Appeal);
    let explained = s
        .registered_on
        .parse::<deadlines::Date>()
        .ok()
        .and_then(|d| terms.due(cal, rules::answer_rule(kind), d).ok())
        .map(|c| if v.lang == Lang::En { c.explain_en() } else { c.explain_ru() })
        .unwrap_or_default();
    let extension = rules::extension_rule(kind).and_then(|rule| {
        let due = s.due_on.parse::<deadlines::Date>().ok()?;
        let c = terms.due(cal, rule, due).ok()?;
        Some((c.date, format!("{} ({})", rule_length(v, terms, rule), v.lang.pick(rule.source, rule.source_en))))
    });
    (explained, extension)
}

/// The submission `id` of the body in scope.
async fn own(step: &Step, id: i64) -> AppResult<Submission> {
    submissions::by_id(step.db(), id).await?.filter(|x| x.body_id == step.body().id).ok_or(AppError::NotFound)
}

pub async fn staff_card(step: Step, Path((_, aid)): Path<(String, i64)>) -> AppResult<Response> {
    card(&step, aid, None).await
}

async fn card(step: &Step, aid: i64, error: Option<String>) -> AppResult<Response> {
    let Step { state, v, s, .. } = step;
    let sub = own(step, aid).await?;
    let files = submissions::files(&state.db, sub.id).await?;
    let events = submissions::events(&state.db, sub.id).await?;
    let kind = Kind::parse(&sub.kind).unwrap_or(Kind::Appeal);
    let (today, cal) = state.today_and_calendar().await?;
    let rules_now = state.part::<rules::Terms>()?;
    let (due_explained, extension) = terms(v, rules_now, &cal, &sub);
    let extension = extension
        .filter(|_| !events.iter().any(|e| e.status == "extended"))
        .map(|(d, why)| (d.strftime("%d.%m.%Y").to_string(), why));
    let forward_by = rules::redirect_rule(kind)
        .zip(sub.registered_on.parse::<deadlines::Date>().ok())
        .and_then(|(rule, from)| rules_now.due(&cal, rule, from).ok())
        .map(|c| c.date.strftime("%d.%m.%Y").to_string());
    let media = kind == Kind::MediaRequest;
    let media_notice_by = rules::rule("MEDIA_REFUSE_OR_DEFER_NOTICE")
        .filter(|_| media)
        .zip(sub.registered_on.parse::<deadlines::Date>().ok())
        .and_then(|(rule, from)| {
            let c = rules_now.due(&cal, rule, from).ok()?;
            Some((
                c.date.strftime("%d.%m.%Y").to_string(),
                format!("{} ({})", v.label("rule_action", rule.id), v.lang.pick(rule.source, rule.source_en)),
            ))
        });
    let title = format!("№ {}", sub.number);
    let c = s.chrome(state, v, "appeals", "appeals/", &title).await;
    let failed = error.is_some();
    let letters = crate::letters::owed(&state.db, &sub, &events).await?;
    let page = CardPage {
        today: today.to_string(),
        c,
        body: s.body.clone(),
        s: sub,
        kind: v.label("appeal_kind", kind.code()),
        files,
        events,
        due_explained,
        results: workflow::answer_results().iter().map(|k| (*k, v.label("result", k))).collect(),
        bodies: state
            .directory()
            .await?
            .bodies
            .iter()
            .filter(|b| b.id != s.body.id)
            .map(|b| (b.slug.clone(), b.full_name.clone()))
            .collect(),
        forward_by,
        grounds: if kind == Kind::InfoRequest || kind == Kind::MediaRequest {
            Vec::new()
        } else {
            workflow::NO_ANSWER_GROUNDS
                .iter()
                .map(|(k, art)| {
                    let told = v.label("no_answer_ground", k);
                    (*k, if v.lang == Lang::Ru { format!("{art}: {told}") } else { told.to_string() })
                })
                .collect()
        },
        notices: workflow::notices(&state.db, aid).await?,
        letters,
        officers: officers(state, s).await?.into_iter().map(|u| (u.id, label(&u))).collect(),
        questions: crate::questions::for_submission(&state.db, aid).await?,
        topics: crate::questions::topics(&state.db).await?,
        extension,
        media_notice_by,
        refusal_grounds: if media {
            workflow::MEDIA_REFUSAL_GROUNDS.iter().map(|k| (*k, v.label("media_ground", k))).collect()
        } else {
            Vec::new()
        },
        error,
    };
    let mut resp = render_refused(&page, failed)?;
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(resp)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    result: String,
    answer: String,
    reason: String,
}

/// Where notices point the applicant (staff never see the secret link itself).
fn track_hint(state: &AppState) -> String {
    format!(
        "Ход рассмотрения — по ссылке из письма о регистрации обращения ({}/appeals/track/…).",
        state.cfg.public_url.trim_end_matches('/')
    )
}

pub async fn staff_answer(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    let sub = own(&step, aid).await?;
    let publish_by = crate::publication::due(&step.cal, step.today)?;
    let hint = track_hint(&step.state);
    let done =
        workflow::answer(step.db(), &step.actor(), (step.now, publish_by), &sub, &f.result, &f.answer, &hint).await;
    back_to_card(&step, aid, "", done).await
}

pub async fn staff_extend(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    let sub = own(&step, aid).await?;
    let Some((new_due, _)) = terms(&step.v, step.state.part::<rules::Terms>()?, &step.cal, &sub).1 else {
        return card(&step, aid, Some("срок обращения не прочитан".into())).await;
    };
    let hint = track_hint(&step.state);
    let done =
        workflow::extend(step.db(), &step.actor(), (step.now, step.today), &sub, &f.reason, new_due, &hint).await;
    back_to_card(&step, aid, "", done).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LetterForm {
    /// sent or delivered
    step: String,
    what: String,
    on: String,
    tracking: String,
}

/// Records that a letter to an applicant answered by post was posted, or delivered.
pub async fn staff_letter(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    Form(f): Form<LetterForm>,
) -> AppResult<Response> {
    use crate::letters;
    let sub = own(&step, aid).await?;
    let events = submissions::events(step.db(), sub.id).await?;
    let owed = letters::owed(step.db(), &sub, &events).await?;
    let when = (step.now, step.today);
    let on = f.on.trim().parse::<deadlines::Date>().ok();
    let actor = step.actor();
    let done = match f.step.as_str() {
        "sent" => letters::sent(step.db(), &actor, when, &sub, &owed, (&f.what, on, &f.tracking)).await,
        "delivered" => letters::delivered(step.db(), &actor, when, &sub, &owed, (&f.what, on)).await,
        _ => Err(kernel::Error::invalid("step", "неизвестное действие с письмом")),
    };
    after_step(&step, aid, done).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MediaForm {
    until: String,
    reason: String,
    ground: String,
    why: String,
}

/// Defers the answer to a media request (Law 2124-1 art. 40), with the notice to the editorial office.
pub async fn staff_defer(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    Form(f): Form<MediaForm>,
) -> AppResult<Response> {
    let sub = own(&step, aid).await?;
    let until = f.until.trim().parse::<deadlines::Date>().ok();
    let hint = track_hint(&step.state);
    let done = workflow::defer(step.db(), &step.actor(), (step.now, step.today), &sub, (&f.reason, until), &hint).await;
    after_step(&step, aid, done).await
}

/// Refuses a media request whose information holds a secret protected by law, with the notice.
pub async fn staff_refuse(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    Form(f): Form<MediaForm>,
) -> AppResult<Response> {
    let sub = own(&step, aid).await?;
    let done = workflow::refuse(step.db(), &step.actor(), (step.now, step.today), &sub, (&f.ground, &f.why)).await;
    after_step(&step, aid, done).await
}

#[derive(Template)]
#[template(path = "staff/appeal_publication.html")]
pub struct ModerationPage {
    pub c: Chrome,
    pub body: Body,
    /// Each draft with the automatic replacements in its texts, for staff to keep or undo.
    pub drafts: Vec<(crate::publication::Publication, Vec<crate::publication::Review>)>,
    pub today: String,
    pub error: ItemError,
}

async fn moderation(state: &AppState, v: &Visitor, s: &Scoped, error: Option<(i64, String)>) -> AppResult<Response> {
    let mut drafts = Vec::new();
    for p in crate::publication::list(&state.db, s.body.id, "draft").await? {
        let sub = submissions::by_id(&state.db, p.submission_id).await?.ok_or(AppError::NotFound)?;
        let reviews = crate::publication::review(&sub, &s.body, &p.undone);
        drafts.push((p, reviews));
    }
    let (today, _) = state.today_and_calendar().await?;
    let title = v.t("answers_to_publish");
    let c = s.chrome(state, v, "appeals", "appeals/", title).await;
    let failed = error.is_some();
    let mut resp = render_refused(
        &ModerationPage { c, body: s.body.clone(), drafts, today: today.to_string(), error: ItemError(error) },
        failed,
    )?;
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(resp)
}

pub async fn staff_moderation(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    moderation(&state, &v, &s, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    action: String,
    summary: String,
    question: String,
    answer: String,
    reason: String,
}

pub async fn staff_publish(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    Form(f): Form<PublishForm>,
) -> AppResult<Response> {
    let drafts = crate::publication::list(step.db(), step.body().id, "draft").await?;
    let p = drafts.iter().find(|p| p.submission_id == aid).ok_or(AppError::NotFound)?;
    let publish = f.action == "publish";
    let texts = (f.summary.as_str(), f.question.as_str(), f.answer.as_str(), f.reason.as_str());
    let done = crate::publication::decide(step.db(), &step.actor(), step.now, p, publish, texts).await;
    let to = |()| format!("{}?done=saved", step.page("appeals/publication"));
    step.answer(done, to, |message| moderation(&step.state, &step.v, &step.s, Some((aid, message)))).await
}

/// The replacements staff keep in a draft (each checked box is one kept); the rest are undone and
/// the texts made again.
pub async fn staff_replacements(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let drafts = crate::publication::list(step.db(), step.body().id, "draft").await?;
    let p = drafts.iter().find(|p| p.submission_id == aid).ok_or(AppError::NotFound)?;
    let sub = submissions::by_id(step.db(), aid).await?.ok_or(AppError::NotFound)?;
    let kept: Vec<String> =
        url::form_urlencoded::parse(&body).filter(|(k, _)| k == "keep").map(|(_, v)| v.into_owned()).collect();
    let done = crate::publication::choose(step.db(), &step.actor(), step.now, p, (&sub, step.body()), &kept).await;
    let to = |()| format!("{}?done=saved#p{aid}", step.page("appeals/publication"));
    step.answer(done, to, |message| moderation(&step.state, &step.v, &step.s, Some((aid, message)))).await
}

/// An attachment, downloaded (never shown inline: it is the citizen's file, not ours).
pub async fn staff_file(step: Step, Path((_, aid, fid)): Path<(String, i64, i64)>) -> AppResult<Response> {
    let state = &step.state;
    let sub = own(&step, aid).await?;
    let file =
        submissions::files(&state.db, sub.id).await?.into_iter().find(|f| f.id == fid).ok_or(AppError::NotFound)?;
    let bytes = state.storage.get(&file.file_key).await.map_err(AppError::Internal)?;
    Ok(shell::render::attachment(bytes, &file.name, "application/octet-stream", "private, no-store"))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct QuestionForm {
    code: String,
    summary: String,
    result: String,
}

/// After a step on the card: back to it at its questions and letters, or the card again with
/// what was wrong.
async fn after_step<T>(step: &Step, aid: i64, done: kernel::Result<T>) -> AppResult<Response> {
    back_to_card(step, aid, "#questions", done).await
}

/// Back to the card (at `anchor`) when the step is done, or the card again with what was wrong.
async fn back_to_card<T>(step: &Step, aid: i64, anchor: &str, done: kernel::Result<T>) -> AppResult<Response> {
    let to = |_| format!("{}?done=saved{anchor}", step.page(&format!("appeals/{aid}")));
    step.answer(done, to, |message| card(step, aid, Some(message))).await
}

pub async fn staff_question_add(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    Form(f): Form<QuestionForm>,
) -> AppResult<Response> {
    let sub = own(&step, aid).await?;
    let done = crate::questions::add(step.db(), &step.actor(), step.now, &sub, &f.code, &f.summary).await;
    after_step(&step, aid, done).await
}

pub async fn staff_question_result(
    step: Step,
    Path((_, aid, qid)): Path<(String, i64, i64)>,
    Form(f): Form<QuestionForm>,
) -> AppResult<Response> {
    let sub = own(&step, aid).await?;
    let done = crate::questions::set_result(step.db(), &step.actor(), step.now, &sub, qid, &f.result).await;
    after_step(&step, aid, done).await
}

pub async fn staff_question_delete(step: Step, Path((_, aid, qid)): Path<(String, i64, i64)>) -> AppResult<Response> {
    let sub = own(&step, aid).await?;
    let done = crate::questions::remove(step.db(), &step.actor(), step.now, &sub, qid).await;
    after_step(&step, aid, done).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MonthQuery {
    month: String,
}

/// The Decree 171 monthly return of the body: results per question of the submissions answered
/// in the month (`?month=2026-03`; the month before the current one by default).
pub async fn staff_results_csv(
    State(state): State<AppState>,
    Extension(s): Extension<Scoped>,
    Query(q): Query<MonthQuery>,
) -> AppResult<Response> {
    let (today, _) = state.today_and_calendar().await?;
    let first = match q.month.trim() {
        "" => {
            today.first_of_month().checked_sub(jiff::Span::new().months(1)).map_err(|e| AppError::Internal(e.into()))?
        }
        m => format!("{m}-01")
            .parse::<deadlines::Date>()
            .map_err(|_| AppError::bad("Месяц указывается как ГГГГ-ММ, например 2026-03."))?,
    };
    let next = first.checked_add(jiff::Span::new().months(1)).map_err(|e| AppError::Internal(e.into()))?;
    let tz = state.timezone.clone();
    let ms = |d: deadlines::Date| -> AppResult<i64> {
        Ok(d.to_zoned(tz.clone()).map_err(|e| AppError::Internal(e.into()))?.timestamp().as_millisecond())
    };
    let range = (ms(first)?, ms(next)?);
    let day = |at: i64| {
        jiff::Timestamp::from_millisecond(at).map(|t| t.to_zoned(tz.clone()).date().to_string()).unwrap_or_default()
    };
    let csv = crate::questions::results_csv(&state.db, s.body.id, range, day).await?;
    let mut resp = csv.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let name = format!("attachment; filename=\"appeals-{}-{}.csv\"", s.body.slug, first.strftime("%Y-%m"));
    if let Ok(h) = HeaderValue::from_str(&name) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, h);
    }
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(resp)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CloseForm {
    to: String,
    to_outside: String,
    letter: String,
    ground: String,
    comment: String,
}

/// Forwards the submission to the competent body: another body of the portal (registered there
/// under its number, due by its own term) or one outside, named.
pub async fn staff_forward(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    Form(f): Form<CloseForm>,
) -> AppResult<Response> {
    let sub = own(&step, aid).await?;
    let target = match f.to.trim() {
        "" => None,
        slug => Some(
            step.state.directory().await?.body(slug).cloned().ok_or(AppError::bad("Такого органа на портале нет."))?,
        ),
    };
    let kind = Kind::parse(&sub.kind).unwrap_or(Kind::Appeal);
    let due = step
        .state
        .part::<rules::Terms>()?
        .due(&step.cal, rules::answer_rule(kind), step.today)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let to = match &target {
        Some(b) => workflow::Destination::Portal {
            body_id: b.id,
            body_name: &b.full_name,
            registered_on: step.today,
            due_on: due.date,
        },
        None => workflow::Destination::Outside { name: &f.to_outside },
    };
    let public_url = &step.state.cfg.public_url;
    let done = workflow::forward(step.db(), &step.actor(), step.now, &sub, to, &f.letter, public_url).await;
    after_step(&step, aid, done).await
}

/// Leaves an appeal without an answer on the merits on a ground of 59-FZ art. 11.
pub async fn staff_no_answer(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    Form(f): Form<CloseForm>,
) -> AppResult<Response> {
    let sub = own(&step, aid).await?;
    let done = workflow::leave_without_answer(step.db(), &step.actor(), step.now, &sub, &f.ground, &f.comment).await;
    after_step(&step, aid, done).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    assignee: String,
}

/// Assigns the submission to one of the body's appeals officers, or to nobody.
pub async fn staff_assign(
    step: Step,
    Path((_, aid)): Path<(String, i64)>,
    Form(f): Form<AssignForm>,
) -> AppResult<Response> {
    let sub = own(&step, aid).await?;
    let all = officers(&step.state, &step.s).await?;
    let to = match f.assignee.trim() {
        "" => None,
        id => match all.iter().find(|u| u.id.to_string() == id) {
            Some(u) => Some(u),
            None => {
                let message = "выберите сотрудника, рассматривающего обращения этого органа";
                return card(&step, aid, Some(message.into())).await;
            }
        },
    };
    let url = format!("{}{}", step.state.cfg.public_url.trim_end_matches('/'), step.page(&format!("appeals/{aid}")));
    let done = workflow::assign(step.db(), &step.actor(), step.now, &sub, to, &url).await;
    after_step(&step, aid, done).await
}
