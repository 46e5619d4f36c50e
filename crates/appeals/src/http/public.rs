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
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, REFERRER_POLICY};
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
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub answer_days: Vec<(&'static str, String)>,
    /// The form's one-time value, kept across refusals: sent twice, it is stored once.
    pub once: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    body: String,
    kind: String,
}

async fn new_page(state: &AppState, v: &Visitor, f: &SubmissionForm, refusal: Option<Refusal>) -> AppResult<Response> {
    let t = |k| v.t(k).to_string();
    let choose = vec![(String::new(), t("choose_body"))];
    let bodies = state.directory().await?.body_options.clone();
    let kinds =
        Kind::ALL.iter().map(|k| (k.code().to_string(), v.label("appeal_kind", k.code()).to_string())).collect();
    let answer_by = vec![("email".to_string(), t("answer_by_email")), ("post".to_string(), t("answer_by_post"))];
    let kind = if f.kind.is_empty() { "appeal" } else { f.kind.as_str() };
    let answer = if f.answer_by.is_empty() { "email" } else { f.answer_by.as_str() };
    let mut fields = vec![
        Field::select_prepared("body", "request_body", &f.body, choose, bodies).required(),
        Field::select("kind", "submission_kind", kind, kinds).required().hint("submission_kind_hint"),
        Field::new("outlet", "outlet", &f.outlet, "text").hint("outlet_hint"),
        Field::new("outlet_domain", "outlet_domain", &f.outlet_domain, "text").hint("outlet_hint"),
        Field::new("respondent", "respondent", &f.respondent, "text").hint("respondent_hint"),
        Field::new("topic", "submission_topic", &f.topic, "text").required(),
        Field::new("text", "submission_text", &f.text, "textarea").required().hint("submission_text_hint"),
        Field::new("files", "submission_files", ".pdf,.jpg,.jpeg,.png,.doc,.docx,.odt,.rtf,.txt", "file")
            .hint("submission_files_hint"),
        Field::new("author_name", "submission_author", &f.author_name, "text").required(),
        Field::select("answer_by", "answer_by", answer, answer_by),
        Field::new("email", "comment_email", &f.email, "email").hint("submission_email_hint"),
        Field::new("postal_address", "postal_address", &f.postal_address, "text").hint("postal_address_hint"),
        Field::new("phone", "phone", &f.phone, "tel"),
        Field::new("consent", "answer_consent", &f.consent, "checkbox").required(),
    ];
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let title = v.t("submit_appeal");
    let c = Chrome::new(state, v, title).await.crumb(title, "");
    let terms = state.part::<rules::Terms>()?;
    let answer_days = Kind::ALL
        .iter()
        .map(|k| {
            let (days, unit) = terms.length(rules::answer_rule(*k));
            (v.label("appeal_kind", k.code()), format!("{days} {}", v.t(unit)))
        })
        .collect();
    let once = if f.once.is_empty() { kernel::staff::random_token() } else { f.once.clone() };
    public_form::respond(&NewPage { c, fields, errors, answer_days, once }, status)
}

pub async fn new_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
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
    /// The most frequent questions among the published answers, and the topical themes of the
    /// last 90 days: (code, title, count).
    pub faq: Vec<(String, String, i64)>,
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
    let faq = crate::publication::frequent(&state.db, body.id, None, 10).await?;
    let topical = crate::publication::frequent(&state.db, body.id, Some(since), 10).await?;
    let title = v.t("answers_published");
    let c = Chrome::new(&state, &v, title)
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(title, "");
    render(&AnswersPage { c, body, total: all.len(), items, q, topic, faq, topical })
}
