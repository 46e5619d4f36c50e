//! The public side of appeals and requests: the form (no account; attachments; consent; a
//! hidden field for robots; a per-address limit; the typed text given back on every refusal),
//! the tracking page a secret link opens (number, dates and status history, no personal data),
//! the confirmation of the applicant's address, and a body's published answers.

use std::net::SocketAddr;

use crate::intake::{self, SubmissionForm, Upload};
use crate::rules::{self, Kind};
use crate::submissions::{self, Submission};
use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, REFERRER_POLICY};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::{self, Body};

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::Field;
use shell::i18n::Lang;
use shell::public_form::{self, Limit, Refusal};
use shell::render::render;

/// Submissions one address may send in an hour (`GLASNOST_APPEALS_PER_ADDRESS_HOUR`).
fn limit(state: &AppState) -> Option<Limit> {
    (state.cfg.appeals_per_address_hour > 0).then(|| Limit {
        bucket: "appeal",
        per_address: state.cfg.appeals_per_address_hour,
        window_ms: 60 * 60 * 1000,
        field: "text",
        message: "с вашего адреса отправлено много обращений подряд: подождите час и отправьте ещё раз",
    })
}

#[derive(Template)]
#[template(path = "public/appeal_new.html")]
pub struct NewPage {
    pub c: Chrome,
    /// The kind chosen at the first step, with its words and answer term; None when the form came
    /// back without one (then the kind is a field of the form).
    pub kind: Option<KindChoice>,
    pub body: String,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    /// The form's one-time value, kept across refusals: sent twice, it is stored once.
    pub once: String,
}

/// The first step: what the visitor wants to send, and to whom.
#[derive(Template)]
#[template(path = "public/appeal_kind.html")]
pub struct KindPage {
    pub c: Chrome,
    pub kinds: Vec<KindChoice>,
    pub chosen: String,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
}

/// A kind as the first step offers it: its code, its name, what it is for and its answer term.
pub struct KindChoice {
    pub code: &'static str,
    pub name: &'static str,
    pub hint: String,
    pub term: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    body: String,
    kind: String,
}

/// "30 календарных дней", "1 рабочий день", "10 working days".
fn answer_within(lang: Lang, days: u32, unit: &str) -> String {
    let working = unit == "days_working";
    match lang {
        Lang::Ru => {
            let one = days % 10 == 1 && days % 100 != 11;
            let adjective = match (working, one) {
                (true, true) => "рабочий",
                (true, false) => "рабочих",
                (false, true) => "календарный",
                (false, false) => "календарных",
            };
            format!("{days} {adjective} {}", shell::chrome::days_ru(i64::from(days)))
        }
        Lang::En => {
            format!("{days} {} day{}", if working { "working" } else { "calendar" }, if days == 1 { "" } else { "s" })
        }
    }
}

fn kind_choices(state: &AppState, v: &Visitor) -> AppResult<Vec<KindChoice>> {
    let terms = state.part::<rules::Terms>()?;
    Ok(Kind::ALL
        .iter()
        .map(|k| {
            let (days, unit) = terms.length(rules::answer_rule(*k));
            let term = if k.may_be_anonymous() { v.t("term_unless_anonymous") } else { v.t("term_answer") };
            KindChoice {
                code: k.code(),
                name: v.label("appeal_kind", k.code()),
                hint: v.label("kind_hint", k.code()).to_string(),
                term: term.replace("{term}", &answer_within(v.lang, days, unit)),
            }
        })
        .collect())
}

fn body_field(v: &Visitor, body: &str, bodies: std::sync::Arc<[shell::forms::Prepared]>) -> Field {
    Field::select_prepared("body", "request_body", body, vec![(String::new(), v.t("choose_body").to_string())], bodies)
        .required()
}

/// The first step, again with what was wrong when it came back without a kind.
async fn kind_page(state: &AppState, v: &Visitor, q: &NewQuery, error: Option<&str>) -> AppResult<Response> {
    let bodies = state.directory().await?.body_options.clone();
    let fields = vec![body_field(v, &q.body, bodies)];
    let errors: Vec<String> = error.map(str::to_string).into_iter().collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let title = v.t("submit_appeal");
    let c = Chrome::new(state, v, title).await.crumb(title, "");
    let page = KindPage { c, kinds: kind_choices(state, v)?, chosen: q.kind.clone(), fields, errors };
    public_form::respond(&page, status)
}

/// The second step: only the chosen kind's fields (a media outlet's for a media request, whom a
/// complaint is about for a complaint). A form that came back without a kind asks it as a field.
async fn new_page(state: &AppState, v: &Visitor, f: &SubmissionForm, refusal: Option<Refusal>) -> AppResult<Response> {
    let t = |k| v.t(k).to_string();
    let bodies = state.directory().await?.body_options.clone();
    let kind = Kind::parse(f.kind.trim());
    let answer = if f.answer_by.is_empty() { "email" } else { f.answer_by.as_str() };
    let mut fields = vec![body_field(v, &f.body, bodies)];
    if kind.is_none() {
        let kinds = Kind::ALL.iter().map(|k| (k.code().to_string(), v.label("appeal_kind", k.code()).to_string()));
        let first = std::iter::once((String::new(), t("choose_kind")));
        fields.push(Field::select("kind", "submission_kind", &f.kind, first.chain(kinds).collect()).required());
    }
    if kind == Some(Kind::MediaRequest) {
        fields.push(Field::new("outlet", "outlet", &f.outlet, "text").required());
        fields.push(
            Field::new("outlet_domain", "outlet_domain", &f.outlet_domain, "text").required().hint("outlet_hint"),
        );
    }
    if kind == Some(Kind::Complaint) {
        fields.push(Field::new("respondent", "respondent", &f.respondent, "text").hint("respondent_hint"));
    }
    fields.extend([
        Field::new("topic", "submission_topic", &f.topic, "text").required(),
        Field::new("text", "submission_text", &f.text, "textarea").required().hint("submission_text_hint"),
        Field::new("files", "submission_files", ".pdf,.jpg,.jpeg,.png,.doc,.docx,.odt,.rtf,.txt", "file")
            .hint("submission_files_hint"),
    ]);
    let author = Field::new("author_name", "submission_author", &f.author_name, "text");
    fields.push(if kind.is_some_and(Kind::may_be_anonymous) {
        author.hint("author_may_be_empty")
    } else {
        author.required()
    });
    if kind != Some(Kind::MediaRequest) {
        let answer_by = vec![("email".to_string(), t("answer_by_email")), ("post".to_string(), t("answer_by_post"))];
        fields.push(Field::select("answer_by", "answer_by", answer, answer_by));
    }
    let email_hint = if kind == Some(Kind::MediaRequest) { "outlet_email_hint" } else { "submission_email_hint" };
    fields.push(Field::new("email", "comment_email", &f.email, "email").hint(email_hint));
    if kind != Some(Kind::MediaRequest) {
        fields.push(
            Field::new("postal_address", "postal_address", &f.postal_address, "text").hint("postal_address_hint"),
        );
    }
    fields.push(Field::new("phone", "phone", &f.phone, "tel"));
    let consent = Field::new("consent", "answer_consent", &f.consent, "checkbox");
    fields.push(if kind.is_some_and(Kind::may_be_anonymous) {
        consent.hint("consent_if_signed")
    } else {
        consent.required()
    });
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let title = v.t("submit_appeal");
    let c = Chrome::new(state, v, title).await.crumb(title, "");
    let kind = match kind {
        Some(k) => kind_choices(state, v)?.into_iter().find(|c| c.code == k.code()),
        None => None,
    };
    let once = if f.once.is_empty() { kernel::staff::random_token() } else { f.once.clone() };
    public_form::respond(&NewPage { c, kind, body: f.body.clone(), fields, errors, once }, status)
}

pub async fn new_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    if Kind::parse(q.kind.trim()).is_none() {
        let error = (!q.kind.is_empty()).then_some("выберите, что вы хотите отправить");
        return kind_page(&state, &v, &q, error).await;
    }
    let f = SubmissionForm { body: q.body, kind: q.kind, ..SubmissionForm::default() };
    new_page(&state, &v, &f, None).await
}

/// Reads the multipart form: its text fields and its files.
async fn read_form(mut mp: Multipart) -> AppResult<(SubmissionForm, Vec<Upload>)> {
    let unreadable = || AppError::bad("Форму не удалось получить целиком: отправьте её ещё раз.");
    let mut f = SubmissionForm::default();
    let mut files = Vec::new();
    while let Some(field) = mp.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|_| unreadable())?;
            if !file_name.is_empty() || !bytes.is_empty() {
                files.push(Upload { name: file_name, bytes });
            }
            continue;
        }
        let value = field.text().await.map_err(|_| unreadable())?;
        let slot = match name.as_str() {
            "body" => &mut f.body,
            "kind" => &mut f.kind,
            "topic" => &mut f.topic,
            "text" => &mut f.text,
            "author_name" => &mut f.author_name,
            "email" => &mut f.email,
            "phone" => &mut f.phone,
            "postal_address" => &mut f.postal_address,
            "answer_by" => &mut f.answer_by,
            "outlet" => &mut f.outlet,
            "outlet_domain" => &mut f.outlet_domain,
            "respondent" => &mut f.respondent,
            "consent" => &mut f.consent,
            "website" => &mut f.website,
            "once" => &mut f.once,
            _ => continue,
        };
        *slot = value;
    }
    Ok((f, files))
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    multipart: Multipart,
) -> AppResult<Response> {
    let (f, files) = read_form(multipart).await?;
    if !f.website.is_empty() {
        // Only robots fill in the hidden field: they are sent away and nothing is stored.
        return Ok(Redirect::to("/appeals/new?sent=1").into_response());
    }
    // Bodies as this node keeps them; one created a moment ago on another node is read directly.
    let dir = state.directory().await?;
    let body = match dir.body(f.body.trim()) {
        Some(b) => Some(b.clone()),
        None => bodies::by_slug(&state.db, f.body.trim()).await?,
    };
    let choices: Vec<(i64, String)> = body.iter().map(|b| (b.id, b.slug.clone())).collect();
    let new = match intake::validate(&f, &files, &choices) {
        Ok(n) => n,
        Err(e) => return new_page(&state, &v, &f, Some(Refusal::Invalid(e))).await,
    };
    let now = state.clock.now_ms();
    if let Some(e) = limit(&state).and_then(|l| l.check(&state, peer.ip(), now)) {
        return new_page(&state, &v, &f, Some(Refusal::TooMany(e))).await;
    }
    let (today, cal) = state.today_and_calendar().await?;
    let due = state
        .part::<rules::Terms>()?
        .due(&cal, rules::answer_rule(new.kind), today)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let body_name = body.map(|b| b.full_name).unwrap_or_default();
    let receipt = match state
        .part::<intake::Intake>()?
        .submit(&state.storage, now, (today, due.date), (&state.cfg.public_url, &body_name), new)
        .await
    {
        Ok(r) => r,
        Err(e @ kernel::Error::Internal(_)) => {
            // Nothing typed is lost: the form comes back filled in, with what happened.
            tracing::error!(error = %e, "a submission was not stored");
            return new_page(&state, &v, &f, Some(Refusal::Unavailable)).await;
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/appeals/track/{}?sent=1", receipt.token)).into_response())
}

#[derive(Template)]
#[template(path = "public/appeal_track.html")]
pub struct TrackPage {
    pub c: Chrome,
    pub s: Submission,
    pub body: Body,
    pub kind: &'static str,
    pub events: Vec<submissions::Event>,
    pub sent: bool,
    pub due_explained: String,
    pub has_email: bool,
}

impl TrackPage {
    pub fn date(&self, iso: &str) -> String {
        iso.parse::<deadlines::Date>().map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default()
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

pub async fn track(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(token): Path<String>,
    Query(q): Query<SentQuery>,
) -> AppResult<Response> {
    let s = submissions::by_token(&state.db, &token).await?.ok_or(AppError::NotFound)?;
    let body = bodies::by_id(&state.db, s.body_id).await?.ok_or(AppError::NotFound)?;
    let kind = Kind::parse(&s.kind).unwrap_or(Kind::Appeal);
    let events = submissions::events(&state.db, s.id).await?;
    let (_, cal) = state.today_and_calendar().await?;
    let terms = state.part::<rules::Terms>()?;
    let due_explained = s
        .registered_on
        .parse::<deadlines::Date>()
        .ok()
        .and_then(|d| terms.due(&cal, rules::answer_rule(kind), d).ok())
        .map(|c| if v.lang == Lang::En { c.explain_en() } else { c.explain_ru() })
        .unwrap_or_default();
    let title = format!("{} № {}", v.t("submission_word"), s.number);
    let c = Chrome::new(&state, &v, title.clone()).await.crumb(title, "");
    let has_email = !s.email.is_empty();
    let page = TrackPage {
        c,
        s,
        body,
        kind: v.label("appeal_kind", kind.code()),
        events,
        sent: q.sent == "1",
        due_explained,
        has_email,
    };
    let mut resp = render(&page)?;
    // The address is the key to the page: never cached, never sent on as a referrer.
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    resp.headers_mut().insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(resp)
}

#[derive(Template)]
#[template(path = "public/appeal_confirm.html")]
pub struct ConfirmPage {
    pub c: Chrome,
    pub number: String,
    /// `now` (this visit confirmed it), `before`, or `ask` (the button is yet to be pressed).
    pub state: &'static str,
}

async fn confirm_page(state: &AppState, v: &Visitor, number: String, done: &'static str) -> AppResult<Response> {
    let title = v.t("confirm_email");
    let c = Chrome::new(state, v, title).await.crumb(title, "");
    let mut resp = render(&ConfirmPage { c, number, state: done })?;
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    resp.headers_mut().insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(resp)
}

/// The link from the acknowledgement: a page with a button, since mail scanners open links and
/// a GET must change nothing.
pub async fn confirm_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(secret): Path<String>,
) -> AppResult<Response> {
    let s = submissions::by_confirm_secret(&state.db, &secret).await?.ok_or(AppError::NotFound)?;
    let done = if s.identified_by == "email_link" { "before" } else { "ask" };
    confirm_page(&state, &v, s.number, done).await
}

pub async fn confirm(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(secret): Path<String>,
) -> AppResult<Response> {
    let now = state.clock.now_ms();
    let (s, newly) = submissions::confirm_email(&state.db, now, &secret).await?.ok_or(AppError::NotFound)?;
    confirm_page(&state, &v, s.number, if newly { "now" } else { "before" }).await
}

/// A theme of the FAQ: its code, its name, and its questions (submission, heading).
pub type FaqTheme = (String, String, Vec<(i64, String)>);

#[derive(Template)]
#[template(path = "public/appeal_answers.html")]
pub struct AnswersPage {
    pub c: Chrome,
    pub body: Body,
    pub items: Vec<crate::publication::Publication>,
    /// What the visitor looks for, and how many of all match.
    pub q: String,
    pub topic: String,
    pub total: usize,
    /// The most frequent themes among the published answers, each with its questions as
    /// readers put them (code, title, [(submission, heading)]); and the topical themes of the
    /// last 90 days: (code, title, count).
    pub faq: Vec<FaqTheme>,
    pub topical: Vec<(String, String, i64)>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AnswersQuery {
    q: String,
    topic: String,
}

/// The body's published questions and answers, the newest first.
pub async fn public_answers(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(query): Query<AnswersQuery>,
) -> AppResult<Response> {
    let body = state.directory().await?.body(&slug).cloned().ok_or(AppError::NotFound)?;
    let all = crate::publication::list(&state.db, body.id, "published").await?;
    let codes = crate::publication::published_codes(&state.db, body.id).await?;
    let (q, topic) = (query.q.chars().take(200).collect::<String>(), query.topic.chars().take(30).collect::<String>());
    let items: Vec<_> = crate::publication::search(&all, &codes, &q, &topic).into_iter().cloned().collect();
    let (today, _) = state.today_and_calendar().await?;
    let since = today.checked_sub(jiff::Span::new().days(90)).map_err(|e| AppError::Internal(e.into()))?;
    let faq = crate::publication::frequent(&state.db, body.id, None, 10)
        .await?
        .into_iter()
        .map(|(code, title, _)| {
            let questions = crate::publication::search(&all, &codes, "", &code)
                .into_iter()
                .filter(|p| !p.summary.is_empty())
                .take(5)
                .map(|p| (p.submission_id, p.summary.clone()))
                .collect();
            (code, title, questions)
        })
        .filter(|(_, _, questions): &FaqTheme| !questions.is_empty())
        .collect();
    let topical = crate::publication::frequent(&state.db, body.id, Some(since), 10).await?;
    let title = v.t("answers_published");
    let c = Chrome::new(&state, &v, title)
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(title, "");
    render(&AnswersPage { c, body, total: all.len(), items, q, topic, faq, topical })
}

/// How many times one address may ask for tracking links in an hour: enough for typos, too few
/// to try numbers.
const LINKS_PER_ADDRESS_HOUR: u32 = 10;

#[derive(Template)]
#[template(path = "public/appeal_status.html")]
pub struct StatusPage {
    pub c: Chrome,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    /// The address the link went to, once asked for (whatever was found: the page does not say).
    pub sent_to: Option<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    number: String,
    email: String,
}

fn status_fields(f: &StatusForm) -> Vec<Field> {
    vec![
        Field::new("number", "appeal_number", &f.number, "text").required().hint("appeal_number_hint"),
        Field::new("email", "comment_email", &f.email, "email").required().hint("appeal_email_hint"),
    ]
}

async fn status_page(
    state: &AppState,
    v: &Visitor,
    f: &StatusForm,
    refusal: Option<Refusal>,
    sent_to: Option<String>,
) -> AppResult<Response> {
    let mut fields = status_fields(f);
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let title = v.t("service_status");
    let c = Chrome::new(state, v, title).await.crumb(title, "");
    public_form::respond(&StatusPage { c, fields, errors, sent_to }, status)
}

/// The form that sends the tracking link again: the number and the address.
pub async fn status_form(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    status_page(&state, &v, &StatusForm::default(), None, None).await
}

pub async fn status_submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    shell::forms::Form(f): shell::forms::Form<StatusForm>,
) -> AppResult<Response> {
    let mut problems = Vec::new();
    let number = submissions::parse_number(&f.number);
    if number.is_none() {
        problems
            .push(("number", "укажите номер так, как он написан в письме о регистрации, например 12/2026".to_string()));
    }
    let email = f.email.trim();
    if !email.contains('@') || email.chars().count() > 254 {
        problems.push(("email", "укажите адрес электронной почты, с которого отправляли обращение".to_string()));
    }
    if let (Some(number), true) = (number, problems.is_empty()) {
        let now = state.clock.now_ms();
        let limit = Limit {
            bucket: "appeal_link",
            per_address: LINKS_PER_ADDRESS_HOUR,
            window_ms: 60 * 60 * 1000,
            field: "number",
            message: "с вашего адреса было много запросов подряд: подождите час и попробуйте снова",
        };
        if let Some(e) = limit.check(&state, peer.ip(), now) {
            return status_page(&state, &v, &f, Some(Refusal::TooMany(e)), None).await;
        }
        let dir = state.directory().await?;
        let name = |id: i64| dir.body_by_id(id).map(|b| b.full_name.clone()).unwrap_or_default();
        submissions::send_link_again(&state.db, now, &state.cfg.public_url, number, email, name).await?;
        return status_page(&state, &v, &StatusForm::default(), None, Some(email.to_string())).await;
    }
    let error = kernel::Error::Form(problems);
    status_page(&state, &v, &f, Some(Refusal::Invalid(error)), None).await
}
