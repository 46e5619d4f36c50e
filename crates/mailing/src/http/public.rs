//! Public pages: the subscription form with the mailing's rules (§40 б), the confirmation page a
//! letter's link opens (a button confirms, so a mail scanner opening links confirms nothing), the
//! preferences page and the unsubscribe page. The unsubscribe address also takes the one-click
//! POST of RFC 8058 from mail programs, which carries no CSRF token: the address's secret is
//! the proof (the CSRF layer exempts it).

use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use kernel::mail::OutgoingEmail;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::Field;
use shell::i18n::Lang;
use shell::letter::Letter;
use shell::public_form::{self, Limit, Refusal};

use crate::letters::{Already, Confirm, preferences_url};
use crate::subscribers::{self, Asked, Link, SubscribeForm, Subscriber, Wish};
use crate::topics::{FREQUENCIES, TOPICS};

/// Requests one address may send in an hour.
const LIMIT: Limit = Limit {
    bucket: "mailing-subscribe",
    per_address: 10,
    window_ms: 60 * 60 * 1000,
    field: "email",
    message: "с вашего адреса отправлено много запросов подряд: подождите час и отправьте ещё раз",
};

/// The form's inputs: the email and consent as fields; topics, bodies and frequency as groups
/// whose first input carries the field's id (the error summary links to it).
fn fields(email: &str, consent: &str) -> Vec<Field> {
    vec![
        Field::new("email", "f_mail_email", email, "email").required().hint("f_mail_email_hint"),
        Field::new("topic", "f_mail_topics", "", "group").required(),
        Field::new("body", "f_mail_bodies", "", "group"),
        Field::new("frequency", "f_mail_frequency", "", "group").required(),
        Field::new("consent", "f_mail_consent", consent, "checkbox").required(),
    ]
}

/// What the choice of topics, bodies and frequency shows: the options and which are chosen.
pub struct Choice {
    pub topics: Vec<(&'static str, bool)>,
    pub bodies: Vec<(Body, bool)>,
    pub frequencies: Vec<(&'static str, bool)>,
}

impl Choice {
    pub fn new(all: &[Body], wish: &Wish) -> Choice {
        let freq = if wish.frequency.is_empty() { "weekly" } else { wish.frequency.as_str() };
        Choice {
            topics: TOPICS.iter().map(|t| (*t, wish.topics.iter().any(|w| w == t))).collect(),
            bodies: all.iter().map(|b| (b.clone(), wish.bodies.contains(&b.id))).collect(),
            frequencies: FREQUENCIES.iter().map(|f| (*f, *f == freq)).collect(),
        }
    }

    pub fn bodies_chosen(&self) -> usize {
        self.bodies.iter().filter(|(_, on)| *on).count()
    }
}

#[derive(Template)]
#[template(path = "mailing/subscribe.html")]
pub struct SubscribePage {
    pub c: Chrome,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub choice: Choice,
    pub consent: String,
    pub sent: bool,
}

impl SubscribePage {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.field(name).and_then(|f| f.error.as_deref())
    }

    pub fn refused(&self) -> bool {
        shell::forms::refused(&self.fields, &self.errors)
    }
}

async fn operator(state: &AppState) -> AppResult<String> {
    Ok(state.directory().await?.shown.name.clone())
}

async fn subscribe_page(
    state: &AppState,
    v: &Visitor,
    f: &SubscribeForm,
    wish: Wish,
    (refusal, sent): (Option<Refusal>, bool),
) -> AppResult<Response> {
    let dir = state.directory().await?;
    let mut fields = fields(&f.email, &f.consent);
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let title = v.t("mailing");
    let c = Chrome::new(state, v, title).await.crumb(title, "");
    let choice = Choice::new(&dir.bodies, &wish);
    let consent = subscribers::consent_text(&dir.shown.name, lang_code(v));
    public_form::respond(&SubscribePage { c, fields, errors, choice, consent, sent }, status)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    sent: String,
    body: String,
    topic: String,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let dir = state.directory().await?;
    let wish = Wish {
        topics: if subscribers_topic(&q.topic) { vec![q.topic.clone()] } else { Vec::new() },
        bodies: dir.body(&q.body).map(|b| vec![b.id]).unwrap_or_default(),
        ..Wish::default()
    };
    subscribe_page(&state, &v, &SubscribeForm::default(), wish, (None, q.sent == "1")).await
}

fn subscribers_topic(t: &str) -> bool {
    crate::topics::known(t)
}

fn lang_code(v: &Visitor) -> &'static str {
    if v.lang == Lang::En { "en" } else { "ru" }
}

/// A request to subscribe: checked, counted against the address's limit, stored as pending, and
/// the confirmation letter queued with it.
pub async fn subscribe(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> AppResult<Response> {
    let f = SubscribeForm::parse(&body);
    let sent = Redirect::to("/mailing/?sent=1#subscribe").into_response();
    if !f.website.is_empty() {
        return Ok(sent);
    }
    let dir = state.directory().await?;
    let ids = |slug: &str| dir.body(slug).map(|b| b.id);
    let now = state.clock.now_ms();
    let refusal = match subscribers::check(&f, lang_code(&v), &ids) {
        Err(e) => Some(Refusal::Invalid(e)),
        Ok(checked) => match LIMIT.check(&state, peer.ip(), now) {
            Some(e) => Some(Refusal::TooMany(e)),
            None => {
                let hours = state.cfg.mailing_confirm_hours;
                let letter = |asked: &Asked| {
                    letter_for(&state, now, &dir.shown.name, checked.email.as_str(), &checked.wish, asked)
                };
                match subscribers::ask(&state.db, now, hours, &checked, &peer.ip().to_string(), &letter).await {
                    Ok(_) => None,
                    Err(e) if e.about_input().is_some() => Some(Refusal::Invalid(e)),
                    Err(_) => Some(Refusal::Unavailable),
                }
            }
        },
    };
    match refusal {
        None => Ok(sent),
        Some(r) => {
            let mut errors = Vec::new();
            let wish = subscribers::check_wish(&f.topics, &f.bodies, &f.frequency, "ru", &ids, &mut errors);
            subscribe_page(&state, &v, &f, wish, (Some(r), false)).await
        }
    }
}

/// The letter a request to subscribe sends: the link that confirms it, or (an address already
/// subscribed) the way to its preferences.
fn letter_for(
    state: &AppState,
    now: i64,
    operator: &str,
    to: &str,
    wish: &Wish,
    asked: &Asked,
) -> kernel::Result<(String, OutgoingEmail)> {
    let base = state.cfg.public_url.trim_end_matches('/');
    Ok(match asked {
        Asked::Confirm { token } => {
            let topics = wish.topics.iter().map(|t| state.strings.label(Lang::Ru, "topic", t)).collect();
            let letter = Confirm {
                operator,
                link: format!("{base}/mailing/confirm/{token}"),
                hours: state.cfg.mailing_confirm_hours,
                topics,
            };
            (format!("mailing-confirm:{}", &kernel::staff::sha256_hex(token)[..32]), letter.to(to)?)
        }
        Asked::Already { manage_token } => {
            let letter = Already { operator, preferences: preferences_url(base, manage_token) };
            (format!("mailing-already:{to}:{now}"), letter.to(to)?)
        }
    })
}

#[derive(Template)]
#[template(path = "mailing/confirm.html")]
pub struct ConfirmPage {
    pub c: Chrome,
    /// valid, used, expired, unknown, done
    pub state: &'static str,
    pub email: String,
    pub topics: Vec<&'static str>,
    pub action: String,
    pub message: String,
    pub preferences: String,
}

async fn confirm_page(
    state: &AppState,
    v: &Visitor,
    page: (&'static str, String, Vec<&'static str>),
    token: &str,
    message: String,
    status: StatusCode,
) -> AppResult<Response> {
    let title = v.t("mailing_confirm");
    let c = Chrome::new(state, v, title).await.crumb(v.t("mailing"), "/mailing/").crumb(title, "");
    let (st, email, topics) = page;
    let action = format!("/mailing/confirm/{token}");
    let p = ConfirmPage { c, state: st, email, topics, action, message, preferences: String::new() };
    public_form::respond(&p, status)
}

pub async fn confirm_view(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let now = state.clock.now_ms();
    let (st, email, topics, status) = match subscribers::link(&state.db, now, &token).await? {
        Link::Valid { wish, email } => {
            ("valid", email, wish.topics.iter().map(|t| v.label("topic", t)).collect(), StatusCode::OK)
        }
        Link::Used => ("used", String::new(), Vec::new(), StatusCode::GONE),
        Link::Expired => ("expired", String::new(), Vec::new(), StatusCode::GONE),
        Link::Unknown => ("unknown", String::new(), Vec::new(), StatusCode::NOT_FOUND),
    };
    confirm_page(&state, &v, (st, email, topics), &token, String::new(), status).await
}

pub async fn confirm(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let now = state.clock.now_ms();
    match subscribers::confirm(&state.db, now, &token, &operator(&state).await?).await {
        Ok(manage) => Ok(Redirect::to(&format!("/mailing/preferences/{manage}?done=confirmed")).into_response()),
        Err(e) => match e.about_input() {
            Some(m) => {
                confirm_page(
                    &state,
                    &v,
                    ("refused", String::new(), Vec::new()),
                    &token,
                    m,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "mailing/preferences.html")]
pub struct PreferencesPage {
    pub c: Chrome,
    pub s: Subscriber,
    pub choice: Choice,
    pub errors: Vec<String>,
    pub fields: Vec<Field>,
    pub done: String,
    pub token: String,
}

impl PreferencesPage {
    pub fn error(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.name == name).and_then(|f| f.error.as_deref())
    }

    pub fn refused(&self) -> bool {
        shell::forms::refused(&self.fields, &self.errors)
    }
}

async fn subscriber(state: &AppState, token: &str) -> AppResult<Subscriber> {
    subscribers::by_token(&state.db, token).await?.ok_or(AppError::NotFound)
}

async fn preferences_page(
    state: &AppState,
    v: &Visitor,
    s: Subscriber,
    wish: Option<Wish>,
    refusal: Option<Refusal>,
    done: String,
) -> AppResult<Response> {
    let dir = state.directory().await?;
    let wish = match wish {
        Some(w) => w,
        None => subscribers::wish_of(&s, &subscribers::interests(&state.db, s.id).await?),
    };
    let mut fields = fields("", "");
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let title = v.t("mailing_preferences");
    let c = Chrome::new(state, v, title).await.crumb(v.t("mailing"), "/mailing/").crumb(title, "");
    let token = s.manage_token.clone();
    let page = PreferencesPage { c, s, choice: Choice::new(&dir.bodies, &wish), errors, fields, done, token };
    public_form::respond(&page, status)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn preferences(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(token): Path<String>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let s = subscriber(&state, &token).await?;
    let done = if matches!(q.done.as_str(), "confirmed" | "saved") { q.done } else { String::new() };
    preferences_page(&state, &v, s, None, None, done).await
}

pub async fn save_preferences(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(token): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let s = subscriber(&state, &token).await?;
    let f = SubscribeForm::parse(&body);
    let dir = state.directory().await?;
    let ids = |slug: &str| dir.body(slug).map(|b| b.id);
    let mut errors = Vec::new();
    let wish = subscribers::check_wish(&f.topics, &f.bodies, &f.frequency, lang_code(&v), &ids, &mut errors);
    let outcome = if errors.is_empty() {
        subscribers::change(&state.db, state.clock.now_ms(), &s, &wish).await
    } else {
        Err(kernel::Error::Form(errors))
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/mailing/preferences/{token}?done=saved")).into_response()),
        Err(e) if e.about_input().is_some() => {
            preferences_page(&state, &v, s, Some(wish), Some(Refusal::Invalid(e)), String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "mailing/unsubscribe.html")]
pub struct UnsubscribePage {
    pub c: Chrome,
    pub s: Subscriber,
    pub token: String,
}

pub async fn unsubscribe_view(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let s = subscriber(&state, &token).await?;
    let title = v.t("mailing_unsubscribe");
    let c = Chrome::new(&state, &v, title).await.crumb(v.t("mailing"), "/mailing/").crumb(title, "");
    public_form::respond(&UnsubscribePage { c, s, token }, StatusCode::OK)
}

/// Unsubscribes: from the page's button, or the one-click POST of a mail program (RFC 8058: its
/// body is `List-Unsubscribe=One-Click`; it answers 200 with no page to show).
pub async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>, body: Bytes) -> AppResult<Response> {
    let s = subscriber(&state, &token).await?;
    let one_click = url::form_urlencoded::parse(&body).any(|(k, v)| k == "List-Unsubscribe" && v == "One-Click");
    subscribers::unsubscribe(&state.db, state.clock.now_ms(), &s, if one_click { "one-click" } else { "link" }).await?;
    if one_click {
        return Ok((StatusCode::OK, "unsubscribed\n").into_response());
    }
    Ok(Redirect::to(&format!("/mailing/unsubscribe/{token}")).into_response())
}
