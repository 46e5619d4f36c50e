//! Personal reception: the public list of a body's reception times with a booking form for each,
//! and the staff page to publish times and read who booked them (personal data: the reception
//! staff only).

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kernel::bodies::Body;
use kernel::staff::Role;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::Field;
use shell::public_form::{self, Limit, Refusal};
use shell::render::render_refused;
use shell::step::Step;

use super::{body_of, now_local};
use crate::reception::{self, Booked, Booking, BookingForm, Slot, SlotForm};

/// Who receives citizens' bookings and reads them.
/// The reception's service name and folder.
const RECEPTION_SERVICE: (&str, &str) = ("service_reception", "reception");

pub const RECEPTION: &[Role] = &[Role::Editor, Role::AppealsOfficer];

/// Bookings one address may make in an hour.
const LIMIT: Limit = Limit {
    bucket: "reception",
    per_address: 10,
    window_ms: 3_600_000,
    field: "topic",
    message: "с этого адреса уже было много записей за час: попробуйте позже, введённое не потеряно",
};

/// Now in the portal's time zone, as the slots write it.

#[derive(Template)]
#[template(path = "public/reception.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    pub slots: Vec<Slot>,
}

pub async fn list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let (_, from) = now_local(&state);
    let slots = reception::upcoming(&state.db, body.id, &from).await?;
    let c = super::service_chrome(&state, &v, &body, RECEPTION_SERVICE, None).await;
    shell::render::render(&ListPage { c, body, slots })
}

#[derive(Template)]
#[template(path = "public/reception_book.html")]
pub struct BookPage {
    pub c: Chrome,
    pub body: Body,
    pub slot: Slot,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub booked: bool,
    /// When the time was full: the next one of the same official with a place.
    pub next: Option<Slot>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct BookedQuery {
    booked: String,
}

async fn book_page(
    state: &AppState,
    v: &Visitor,
    (body, slot): (Body, Slot),
    f: &BookingForm,
    refusal: Option<Refusal>,
    (booked, next): (bool, Option<Slot>),
) -> AppResult<Response> {
    let mut fields = vec![
        Field::new("name", "reception_name", &f.name, "text").required(),
        Field::new("email", "reception_email", &f.email, "email").required().hint("reception_email_hint"),
        Field::new("phone", "reception_phone", &f.phone, "tel"),
        Field::new("topic", "reception_topic", &f.topic, "textarea").required(),
        Field::new("consent", "reception_consent", &f.consent, "checkbox").required(),
    ];
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let title = format!("{}: {}", v.t("reception_book"), slot.when_in(v.lang));
    let c = super::service_chrome(state, v, &body, RECEPTION_SERVICE, Some(&title)).await;
    public_form::respond(&BookPage { c, body, slot, fields, errors, booked, next }, status)
}

async fn slot_of(state: &AppState, slug: &str, id: i64) -> AppResult<(Body, Slot)> {
    let body = body_of(state, slug).await?;
    let slot = reception::slot(&state.db, body.id, id).await?.ok_or(AppError::NotFound)?;
    Ok((body, slot))
}

pub async fn form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<BookedQuery>,
) -> AppResult<Response> {
    let found = slot_of(&state, &slug, id).await?;
    book_page(&state, &v, found, &BookingForm::default(), None, (q.booked == "1", None)).await
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<BookingForm>,
) -> AppResult<Response> {
    let (body, slot) = slot_of(&state, &slug, id).await?;
    let thanks = format!("/o/{slug}/reception/{id}?booked=1");
    if !f.website.is_empty() {
        // Only robots fill in the hidden field: they are thanked and nothing is stored.
        return Ok(Redirect::to(&thanks).into_response());
    }
    let now = state.clock.now_ms();
    let (_, from) = now_local(&state);
    if let Some(e) = LIMIT.check(&state, peer.ip(), now) {
        return book_page(&state, &v, (body, slot), &f, Some(Refusal::TooMany(e)), (false, None)).await;
    }
    let cancel_base = format!("{}/o/{slug}/reception/cancel/", state.cfg.public_url);
    match reception::book(&state.db, now, &from, (&body.full_name, &slot, &cancel_base), &f).await {
        Ok(Booked::Done(_)) => Ok(Redirect::to(&thanks).into_response()),
        Ok(Booked::Full(next)) => {
            let message = match &next {
                Some(n) => format!("на это время все места заняты; ближайшее время с местами — {}", n.when()),
                None => "на это время все места заняты, а других времён с местами пока нет".into(),
            };
            let refusal = Refusal::Invalid(kernel::Error::invalid("topic", message));
            book_page(&state, &v, (body, slot), &f, Some(refusal), (false, next)).await
        }
        Err(e) => book_page(&state, &v, (body, slot), &f, Some(Refusal::Invalid(e)), (false, None)).await,
    }
}

#[derive(Template)]
#[template(path = "staff/reception.html")]
pub struct StaffPage {
    pub c: Chrome,
    pub body: Body,
    pub slots: Vec<Slot>,
    pub bookings: Vec<Booking>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
}

impl StaffPage {
    pub fn of(&self, slot: &Slot) -> Vec<&Booking> {
        self.bookings.iter().filter(|b| b.slot_id == slot.id).collect()
    }
}

async fn staff_page(step: &Step, f: &SlotForm, errors: Vec<(&'static str, String)>) -> AppResult<Response> {
    let (_, from) = now_local(&step.state);
    let slots = reception::upcoming(step.db(), step.body().id, &from).await?;
    let bookings = reception::bookings(step.db(), step.body().id, &from).await?;
    let mut fields = vec![
        Field::new("official", "reception_official", &f.official, "text").required().hint("reception_official_hint"),
        Field::new("starts_at", "reception_starts_at", &f.starts_at, "datetime-local").required(),
        Field::new("minutes", "reception_minutes", if f.minutes.is_empty() { "60" } else { &f.minutes }, "number")
            .required(),
        Field::new("place", "reception_place", &f.place, "text").required(),
        Field::new("capacity", "reception_capacity", if f.capacity.is_empty() { "5" } else { &f.capacity }, "number")
            .required()
            .hint("reception_capacity_hint"),
    ];
    let refused = !errors.is_empty();
    let errors = shell::forms::attach_errors(&mut fields, errors);
    let c = step.chrome("desk_reception", "site/reception/", step.v.t("desk_reception")).await;
    let page = StaffPage { c, body: step.body().clone(), slots, bookings, fields, errors };
    let mut resp = render_refused(&page, refused)?;
    // Names and addresses of people: never kept by a cache.
    resp.headers_mut()
        .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("private, no-store"));
    Ok(resp)
}

pub async fn staff_list(step: Step) -> AppResult<Response> {
    staff_page(&step, &SlotForm::default(), vec![]).await
}

pub async fn add_slot(step: Step, Form(f): Form<SlotForm>) -> AppResult<Response> {
    let (now_local, _) = now_local(&step.state);
    let done = reception::add_slot(step.db(), &step.actor(), step.now, now_local, step.body().id, &f).await;
    let to = |_| format!("{}?done=created", step.page("site/reception/"));
    step.answer_form(done, to, |e| {
        let errors = match e {
            kernel::Error::Form(list) => list,
            kernel::Error::Invalid { field, message } => vec![(field.unwrap_or("official"), message)],
            other => vec![("official", other.to_string())],
        };
        staff_page(&step, &f, errors)
    })
    .await
}

#[derive(Template)]
#[template(path = "public/reception_cancel.html")]
pub struct CancelPage {
    pub c: Chrome,
    pub body: Body,
    /// The time booked; None once the booking is cancelled (or the link is unknown).
    pub slot: Option<Slot>,
    pub cancelled: bool,
}

async fn cancel_page(
    state: &AppState,
    v: &Visitor,
    body: Body,
    (slot, cancelled): (Option<Slot>, bool),
) -> AppResult<Response> {
    let title = v.t("reception_cancel_title");
    let c = super::service_chrome(state, v, &body, RECEPTION_SERVICE, Some(title)).await;
    let status = if slot.is_none() && !cancelled { StatusCode::NOT_FOUND } else { StatusCode::OK };
    public_form::respond(&CancelPage { c, body, slot, cancelled }, status)
}

/// The page the letter's link opens: which time, and the button that cancels.
pub async fn cancel_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, token)): Path<(String, String)>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let slot = reception::booked_slot(&state.db, &token).await?.filter(|s| s.body_id == body.id);
    cancel_page(&state, &v, body, (slot, false)).await
}

pub async fn cancel(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, token)): Path<(String, String)>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let ours = reception::booked_slot(&state.db, &token).await?.is_some_and(|s| s.body_id == body.id);
    let cancelled = ours && reception::cancel_booking(&state.db, state.clock.now_ms(), &token).await?.is_some();
    cancel_page(&state, &v, body, (None, cancelled)).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CancelSlotForm {
    reason: String,
}

pub async fn cancel_slot(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<CancelSlotForm>,
) -> AppResult<Response> {
    let place = (step.body().id, step.body().full_name.as_str());
    let done = reception::cancel_slot(step.db(), &step.actor(), step.now, place, id, &f.reason).await;
    let to = |_| format!("{}?done=saved", step.page("site/reception/"));
    let empty = SlotForm::default();
    step.answer_form(done, to, |e| {
        let errors = match e {
            kernel::Error::Invalid { field, message } => vec![(field.unwrap_or("reason"), message)],
            other => vec![("reason", other.to_string())],
        };
        staff_page(&step, &empty, errors)
    })
    .await
}
