//! Citizens' pages: the portal's calendar of meetings and every body's councils; a body's
//! councils; a council's page (what it is, how to reach it, its composition by each member's
//! consent, its documents with the day each was published, its meetings) and its JSON twin; a
//! meeting's page (the announcement, the agenda, registration, then the minutes); the page a
//! registration's link opens; iCal feeds of the portal, a body and a council.

use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form};
use shell::public_form::{self, Limit, Refusal};
use shell::render::render;

use crate::meetings::{self, Item, Listed, Meeting};
use crate::registrations::{self, RegisterForm, Registration, Where};
use crate::store::{self, Council, Document, Member, Publication};

/// Registrations one address may send in ten minutes.
const LIMIT: Limit = Limit {
    bucket: "council-registration",
    per_address: 5,
    window_ms: 10 * 60 * 1000,
    field: "full_name",
    message: "с вашего адреса отправлено много заявок подряд: подождите 10 минут и отправьте ещё раз",
};

async fn body_of(state: &AppState, slug: &str) -> AppResult<Body> {
    state.directory().await?.body(slug).cloned().ok_or(AppError::NotFound)
}

/// A council of the body `slug`, or not found.
pub async fn council_of(state: &AppState, slug: &str, id: i64) -> AppResult<(Body, Council)> {
    let body = body_of(state, slug).await?;
    let council = store::get(&state.db, id).await?.filter(|c| c.body_id == body.id).ok_or(AppError::NotFound)?;
    Ok((body, council))
}

/// A meeting of a council of the body `slug`, or not found.
pub async fn meeting_of(state: &AppState, slug: &str, id: i64) -> AppResult<(Body, Council, Meeting)> {
    let body = body_of(state, slug).await?;
    let meeting = meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let council =
        store::get(&state.db, meeting.council_id).await?.filter(|c| c.body_id == body.id).ok_or(AppError::NotFound)?;
    Ok((body, council, meeting))
}

/// A meeting's page, full address (letters link it).
pub fn meeting_url(public_url: &str, slug: &str, id: i64) -> String {
    format!("{}/o/{slug}/councils/meetings/{id}", public_url.trim_end_matches('/'))
}

/// `?month=2026-12`: the calendar's month.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MonthQuery {
    month: String,
}

/// The first day of the month asked for (this month when none or a wrong one is asked).
fn month_of(q: &str, today: deadlines::Date) -> deadlines::Date {
    let asked = format!("{q}-01").parse::<deadlines::Date>().ok().filter(|d| (2000..=2100).contains(&d.year()));
    asked.unwrap_or_else(|| today.first_of_month())
}

fn month_ms(first: deadlines::Date, tz: &jiff::tz::TimeZone) -> (i64, i64) {
    let at = |d: deadlines::Date| d.to_zoned(tz.clone()).map(|z| z.timestamp().as_millisecond()).unwrap_or_default();
    let next = first.checked_add(jiff::Span::new().months(1)).unwrap_or(first);
    (at(first), at(next))
}

#[derive(Template)]
#[template(path = "public/calendar.html")]
pub struct CalendarPage {
    pub c: Chrome,
    pub body: Option<Body>,
    /// The month shown («2026-12»), its name, the months before and after.
    pub month: (String, String, String, String),
    /// Each meeting with its council's name and its body's slug and short name.
    pub meetings: Vec<(Listed, String, String)>,
    /// Every council with its body's slug and short name.
    pub councils: Vec<(Council, String, String)>,
}

impl CalendarPage {
    /// The page's own address: the portal's or the body's.
    pub fn base(&self) -> String {
        match &self.body {
            Some(b) => format!("/o/{}/councils/", b.slug),
            None => "/councils/".to_string(),
        }
    }
}

const MONTHS: [&str; 12] = [
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

async fn calendar_page(state: &AppState, v: &Visitor, body: Option<Body>, q: &MonthQuery) -> AppResult<Response> {
    let (today, _) = state.today_and_calendar().await?;
    let first = month_of(&q.month, today);
    let span = month_ms(first, &state.timezone);
    let dir = state.directory().await?;
    let name = |b: i64| dir.body_by_id(b).map(|b| (b.slug.clone(), b.short_name.clone()));
    let meetings = meetings::calendar(&state.db, body.as_ref().map(|b| b.id), span)
        .await?
        .into_iter()
        .filter_map(|l| {
            let (slug, short) = name(l.body_id)?;
            Some((l, slug, short))
        })
        .collect();
    let councils = store::list(&state.db, body.as_ref().map(|b| b.id))
        .await?
        .into_iter()
        .filter_map(|c| {
            let (slug, short) = name(c.body_id)?;
            Some((c, slug, short))
        })
        .collect();
    let ym = |d: deadlines::Date| d.strftime("%Y-%m").to_string();
    let before = first.checked_sub(jiff::Span::new().months(1)).unwrap_or(first);
    let after = first.checked_add(jiff::Span::new().months(1)).unwrap_or(first);
    let names = v.lang.pick(MONTHS, MONTHS_EN);
    let month_name = format!("{} {}", names[(first.month() - 1) as usize], first.year());
    let title = v.t("councils");
    let mut c = Chrome::new(state, v, title).await;
    if let Some(b) = &body {
        c = c.crumb(b.short_name.clone(), format!("/o/{}/", b.slug)).crumb(title, "");
    }
    render(&CalendarPage { c, body, month: (ym(first), month_name, ym(before), ym(after)), meetings, councils })
}

pub async fn portal_calendar(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<MonthQuery>,
) -> AppResult<Response> {
    calendar_page(&state, &v, None, &q).await
}

pub async fn body_calendar(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<MonthQuery>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    calendar_page(&state, &v, Some(body), &q).await
}

/// A council with everything its page shows.
pub struct Shown {
    pub body: Body,
    pub council: Council,
    pub members: Vec<Member>,
    pub documents: Vec<Document>,
    pub publications: Vec<Publication>,
    pub meetings: Vec<Meeting>,
    /// Draft work plans put to discussion.
    pub plans: Vec<crate::plans::Plan>,
}

impl Shown {
    /// The regulations in force (the newest) and those before it.
    pub fn regulations(&self) -> (Option<&Document>, Vec<&Document>) {
        let mut all = self.documents.iter().filter(|d| d.kind == "regulations");
        (all.next(), all.collect())
    }

    pub fn other_documents(&self) -> Vec<&Document> {
        self.documents.iter().filter(|d| d.kind != "regulations").collect()
    }

    pub fn current_members(&self) -> Vec<&Member> {
        self.members.iter().filter(|m| m.current()).collect()
    }
}

pub async fn shown(state: &AppState, body: Body, council: Council) -> AppResult<Shown> {
    let members = store::members(&state.db, council.id).await?;
    let documents = store::documents(&state.db, council.id).await?;
    let publications = store::publications(&state.db, council.id).await?;
    let meetings = meetings::of_council(&state.db, council.id).await?;
    let plans = crate::plans::of_council(&state.db, council.id).await?;
    Ok(Shown { body, council, members, documents, publications, meetings, plans })
}

#[derive(Template)]
#[template(path = "public/council.html")]
pub struct CouncilPage {
    pub c: Chrome,
    pub s: Shown,
    pub now: i64,
}

impl CouncilPage {
    pub fn held(&self, m: &Meeting) -> bool {
        m.held(self.now)
    }
}

pub async fn council(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (body, council) = council_of(&state, &slug, id).await?;
    let s = shown(&state, body, council).await?;
    let mut c = Chrome::new(&state, &v, s.council.name.clone())
        .await
        .crumb(s.body.short_name.clone(), format!("/o/{}/", s.body.slug))
        .crumb(v.t("councils"), format!("/o/{}/councils/", s.body.slug))
        .crumb(s.council.name.clone(), "");
    c.alternate_json = Some(format!("/o/{}/councils/{}/council.json", s.body.slug, s.council.id));
    render(&CouncilPage { c, s, now: state.clock.now_ms() })
}

/// The council's page as data: every field a page shows, a member's name and photo only with
/// their consent.
pub async fn council_json(State(state): State<AppState>, Path((slug, id)): Path<(String, i64)>) -> AppResult<Response> {
    let (body, council) = council_of(&state, &slug, id).await?;
    let s = shown(&state, body, council).await?;
    let base = state.cfg.public_url.trim_end_matches('/').to_string();
    let members: Vec<serde_json::Value> = s
        .members
        .iter()
        .map(|m| {
            serde_json::json!({
                "name": m.public_name(),
                "role": m.role,
                "affiliation": m.affiliation,
                "term_from": m.term_from,
                "term_until": m.term_until,
                "left_on": m.left_on,
                "photo": m.public_photo().map(|_| format!("{base}/o/{}/councils/{}/members/{}/photo.jpg", s.body.slug, s.council.id, m.id)),
            })
        })
        .collect();
    let mut meetings_json = Vec::with_capacity(s.meetings.len());
    for m in &s.meetings {
        let agenda = meetings::agenda(&state.db, m.id).await?;
        meetings_json.push(meeting_json(&base, &s.body.slug, m, &agenda, &s.members));
    }
    let value = serde_json::json!({
        "id": s.council.id,
        "body": s.body.slug,
        "kind": s.council.kind,
        "name": s.council.name,
        "about": s.council.about,
        "address": s.council.address,
        "phone": s.council.phone,
        "email": s.council.email,
        "attendance": s.council.attendance,
        "updated_at": ts(s.council.updated_at),
        "members": members,
        "documents": s.documents,
        "publications": s.publications,
        "meetings": meetings_json,
        "page": format!("{base}/o/{}/councils/{}", s.body.slug, s.council.id),
    });
    let mut resp = axum::Json(value).into_response();
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    Ok(resp)
}

fn ts(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.to_string()).unwrap_or_default()
}

fn meeting_json(base: &str, slug: &str, m: &Meeting, agenda: &[Item], members: &[Member]) -> serde_json::Value {
    let items: Vec<serde_json::Value> = agenda
        .iter()
        .map(|i| {
            serde_json::json!({ "number": i.ord, "title": i.title, "speaker": i.public_speaker(members),
                "decision": i.decision, "decision_status": i.decision_status })
        })
        .collect();
    serde_json::json!({
        "id": m.id,
        "starts_at": ts(m.starts_at),
        "ends_at": ts(m.ends_at),
        "place": m.place,
        "attendance": m.attendance,
        "documents": m.documents,
        "capacity": m.capacity,
        "stream_url": m.stream_url,
        "recording_url": m.recording_url,
        "extraordinary": m.extraordinary,
        "closed_law": m.closed_law,
        "status": m.status,
        "cancel_reason": m.cancel_reason,
        "agenda": items,
        "minutes": m.minutes,
        "attended": m.attended,
        "transcript": m.transcript,
        "minutes_published_at": m.minutes_at.map(ts),
        "page": meeting_url(base, slug, m.id),
    })
}

/// A member's photo, only when they consented to its dissemination.
pub async fn photo(
    State(state): State<AppState>,
    Path((slug, id, cid)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let (_, council) = council_of(&state, &slug, id).await?;
    let members = store::members(&state.db, council.id).await?;
    let key = members.iter().find(|m| m.id == cid).and_then(Member::public_photo).ok_or(AppError::NotFound)?;
    let bytes = state.storage.get(key).await.map_err(AppError::Internal)?;
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    Ok(resp)
}

#[derive(Template)]
#[template(path = "public/meeting.html")]
pub struct MeetingPage {
    pub c: Chrome,
    pub body: Body,
    pub council: Council,
    pub meeting: Meeting,
    pub agenda: Vec<Item>,
    pub members: Vec<Member>,
    pub now: i64,
    /// Seats taken and places on the waiting list.
    pub counts: (i64, i64),
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    /// The notice after a registration was sent, a string key or empty.
    pub sent: &'static str,
}

impl MeetingPage {
    /// The speaker in the reader's language: a member without consent as «член совета».
    pub fn speaker(&self, i: &Item) -> String {
        match self.members.iter().find(|m| m.id == i.speaker_member) {
            Some(m) if m.public_name().is_none() => self.c.t("member_no_consent").to_string(),
            _ => i.public_speaker(&self.members),
        }
    }

    pub fn registering(&self) -> bool {
        self.meeting.registering(self.now)
    }

    pub fn held(&self) -> bool {
        self.meeting.held(self.now)
    }

    pub fn refused(&self) -> bool {
        shell::forms::refused(&self.fields, &self.errors)
    }

    pub fn seats_left(&self) -> i64 {
        (self.meeting.capacity - self.counts.0).max(0)
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

fn register_fields(f: &RegisterForm) -> Vec<Field> {
    vec![
        Field::new("full_name", "f_reg_name", &f.full_name, "text").required().hint("f_reg_name_hint"),
        Field::new("email", "f_reg_email", &f.email, "email").required().hint("f_reg_email_hint"),
        Field::new("consent", "f_reg_consent", &f.consent, "checkbox").required(),
    ]
}

async fn meeting_page(
    state: &AppState,
    v: &Visitor,
    (body, council, meeting): (Body, Council, Meeting),
    f: &RegisterForm,
    (refusal, sent): (Option<Refusal>, &'static str),
) -> AppResult<Response> {
    let agenda = meetings::agenda(&state.db, meeting.id).await?;
    let members = store::members(&state.db, council.id).await?;
    let counts = registrations::counts(&registrations::of_meeting(&state.db, meeting.id).await?);
    let mut fields = register_fields(f);
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let title = format!("{}: {}", v.t("meeting"), crate::ical::when_ru(meeting.starts_at, &state.timezone));
    let c = Chrome::new(state, v, title.clone())
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(v.t("councils"), format!("/o/{}/councils/", body.slug))
        .crumb(council.name.clone(), format!("/o/{}/councils/{}", body.slug, council.id))
        .crumb(title, "");
    let page = MeetingPage {
        c,
        body,
        council,
        meeting,
        agenda,
        members,
        now: state.clock.now_ms(),
        counts,
        fields,
        errors,
        sent,
    };
    if page.meeting.registering(page.now) || status != axum::http::StatusCode::OK {
        public_form::respond(&page, status)
    } else {
        render(&page)
    }
}

pub async fn meeting(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<SentQuery>,
) -> AppResult<Response> {
    let found = meeting_of(&state, &slug, id).await?;
    let sent = if q.sent == "1" { "registration_sent" } else { "" };
    meeting_page(&state, &v, found, &RegisterForm::default(), (None, sent)).await
}

fn where_of<'a>(state: &AppState, body: &Body, council: &'a Council, meeting: &'a Meeting) -> Where<'a> {
    Where {
        meeting,
        page: meeting_url(&state.cfg.public_url, &body.slug, meeting.id),
        council: &council.name,
        when: crate::ical::when_ru(meeting.starts_at, &state.timezone),
    }
}

/// A registration sent from the meeting's page.
pub async fn register(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<RegisterForm>,
) -> AppResult<Response> {
    let (body, council, meeting) = meeting_of(&state, &slug, id).await?;
    if !f.website.is_empty() {
        return Ok(Redirect::to(&format!("/o/{slug}/councils/meetings/{id}?sent=1#register")).into_response());
    }
    let now = state.clock.now_ms();
    // Checked first, then counted against the address's limit, then stored: a refused form
    // stores nothing and a corrected one costs nothing.
    let refusal = match registrations::check(now, &meeting, &f) {
        Err(e) => Some(Refusal::Invalid(e)),
        Ok(checked) => match LIMIT.check(&state, peer.ip(), now) {
            Some(e) => Some(Refusal::TooMany(e)),
            None => {
                let w = where_of(&state, &body, &council, &meeting);
                match registrations::register(&state.db, now, &w, &checked).await {
                    Ok(_) => None,
                    Err(e) if e.about_input().is_some() => Some(Refusal::Invalid(e)),
                    Err(e) => return Err(e.into()),
                }
            }
        },
    };
    match refusal {
        None => Ok(Redirect::to(&format!("/o/{slug}/councils/meetings/{id}?sent=1#register")).into_response()),
        Some(r) => meeting_page(&state, &v, (body, council, meeting), &f, (Some(r), "")).await,
    }
}

#[derive(Template)]
#[template(path = "public/registration.html")]
pub struct RegistrationPage {
    pub c: Chrome,
    pub body: Body,
    pub council: Council,
    pub meeting: Meeting,
    pub r: Registration,
    /// The place on the waiting list (1 for the first), when on it.
    pub place: usize,
    pub action: String,
}

async fn registration_page(
    state: &AppState,
    v: &Visitor,
    (body, council, meeting): (Body, Council, Meeting),
    r: Registration,
    action: String,
) -> AppResult<Response> {
    let list = registrations::of_meeting(&state.db, meeting.id).await?;
    let place = list.iter().filter(|x| x.status == "waiting").position(|x| x.id == r.id).map_or(0, |p| p + 1);
    let title = v.t("registration");
    let c = Chrome::new(state, v, title)
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(council.name.clone(), format!("/o/{}/councils/{}", body.slug, council.id))
        .crumb(v.t("meeting"), format!("/o/{}/councils/meetings/{}", body.slug, meeting.id))
        .crumb(title, "");
    let page = RegistrationPage { c, body, council, meeting, r, place, action };
    public_form::respond(&page, axum::http::StatusCode::OK)
}

/// The link of the confirmation letter: confirms the registration, and shows where it stands
/// with the way to cancel it.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id, rid, token)): Path<(String, i64, i64, String)>,
) -> AppResult<Response> {
    let (body, council, meeting) = meeting_of(&state, &slug, id).await?;
    let r = registrations::by_link(&state.db, meeting.id, rid, &token).await?.ok_or(AppError::NotFound)?;
    let now = state.clock.now_ms();
    let r = if r.status == "unconfirmed" && meeting.registering(now) {
        let status = registrations::confirm(&state.db, now, &where_of(&state, &body, &council, &meeting), &r).await?;
        Registration { status, ..r }
    } else {
        r
    };
    let action = format!("/o/{slug}/councils/meetings/{id}/r/{rid}/{token}");
    registration_page(&state, &v, (body, council, meeting), r, action).await
}

/// Cancels a registration from its page.
pub async fn cancel(
    State(state): State<AppState>,
    Path((slug, id, rid, token)): Path<(String, i64, i64, String)>,
) -> AppResult<Response> {
    let (body, council, meeting) = meeting_of(&state, &slug, id).await?;
    let r = registrations::by_link(&state.db, meeting.id, rid, &token).await?.ok_or(AppError::NotFound)?;
    let now = state.clock.now_ms();
    registrations::cancel(&state.db, now, &where_of(&state, &body, &council, &meeting), &r).await?;
    Ok(Redirect::to(&format!("/o/{slug}/councils/meetings/{id}/r/{rid}/{token}")).into_response())
}

/// Meetings from a year back on, as iCal events; each agenda item with its speaker by consent.
async fn feed(
    state: &AppState,
    name: &str,
    listed: Vec<(Listed, String)>,
    agendas: std::collections::HashMap<i64, Vec<Item>>,
) -> AppResult<Response> {
    let base = state.cfg.public_url.trim_end_matches('/').to_string();
    let host = url::Url::parse(&base).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let mut members_of: std::collections::HashMap<i64, Vec<Member>> = std::collections::HashMap::new();
    let mut events = Vec::with_capacity(listed.len());
    for (l, slug) in listed {
        let m = &l.meeting;
        if let std::collections::hash_map::Entry::Vacant(e) = members_of.entry(m.council_id) {
            e.insert(store::members(&state.db, m.council_id).await?);
        }
        let members = members_of.get(&m.council_id).map(Vec::as_slice).unwrap_or_default();
        let mut description = String::from("Повестка:");
        for i in agendas.get(&m.id).map(Vec::as_slice).unwrap_or_default() {
            description.push_str(&format!("\n{}. {}", i.ord, i.title));
            let speaker = i.public_speaker(members);
            if !speaker.is_empty() {
                description.push_str(&format!(" — {speaker}"));
            }
        }
        if !m.stream_url.is_empty() {
            description.push_str(&format!("\nТрансляция: {}", m.stream_url));
        }
        if !m.closed_law.is_empty() {
            description.push_str(&format!("\nЗакрытое заседание: {}", m.closed_law));
        }
        if !m.cancel_reason.is_empty() {
            description.push_str(&format!("\nЗаседание отменено: {}", m.cancel_reason));
        }
        events.push(crate::ical::Event {
            uid: format!("council-meeting-{}@{host}", m.id),
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            stamp: m.updated_at,
            summary: format!("{}: заседание", l.council),
            location: m.place.clone(),
            description,
            url: meeting_url(&base, &slug, m.id),
            cancelled: m.status == "cancelled",
        });
    }
    let text = crate::ical::calendar(name, &state.timezone, &events);
    let mut resp = text.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    Ok(resp)
}

/// From a year back on: a calendar keeps what it has already shown.
fn feed_span(now: i64) -> (i64, i64) {
    (now - 366 * 86_400_000, i64::MAX)
}

pub async fn portal_ics(State(state): State<AppState>) -> AppResult<Response> {
    let dir = state.directory().await?;
    let span = feed_span(state.clock.now_ms());
    let agendas = meetings::agendas(&state.db, None, span).await?;
    let listed = meetings::calendar(&state.db, None, span)
        .await?
        .into_iter()
        .filter_map(|l| {
            let slug = dir.body_by_id(l.body_id)?.slug.clone();
            Some((l, slug))
        })
        .collect();
    let portal = dir.shown.name.clone();
    feed(&state, &format!("{portal}: заседания советов"), listed, agendas).await
}

pub async fn body_ics(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let span = feed_span(state.clock.now_ms());
    let agendas = meetings::agendas(&state.db, Some(body.id), span).await?;
    let listed =
        meetings::calendar(&state.db, Some(body.id), span).await?.into_iter().map(|l| (l, slug.clone())).collect();
    feed(&state, &format!("{}: заседания советов", body.short_name), listed, agendas).await
}

pub async fn council_ics(State(state): State<AppState>, Path((slug, id)): Path<(String, i64)>) -> AppResult<Response> {
    let (body, council) = council_of(&state, &slug, id).await?;
    let span = feed_span(state.clock.now_ms());
    let agendas = meetings::agendas(&state.db, Some(body.id), span).await?;
    let listed = meetings::calendar(&state.db, Some(body.id), span)
        .await?
        .into_iter()
        .filter(|l| l.meeting.council_id == council.id)
        .map(|l| (l, slug.clone()))
        .collect();
    feed(&state, &council.name, listed, agendas).await
}
