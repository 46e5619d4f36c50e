//! The premises (seed 000 §16) and social pages (§39): the page of where and when a body's
//! information may be read on its premises; the stand — what a body posts on its information
//! stands, each block with the date it was last updated, for printing and for a kiosk screen;
//! the body's official pages in social networks with the rules of interaction; the editors' form
//! for all of it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::AppResult;
use shell::forms::Field;
use shell::render::{render, render_refused};
use shell::step::Step;

use super::{body_of, now_local};
use crate::content::Kind;
use crate::content_store::{self, Content, Listing};
use crate::premises::{self, Profile};
use crate::reception::{self, Slot};
use crate::structure::{self, Tag, Unit};

/// A body's profile (empty when never saved) and when it was last changed.
async fn profile(state: &AppState, body: &Body) -> AppResult<(Profile, Option<i64>)> {
    Ok(match premises::get(&state.db, body.id).await? {
        Some((p, at)) => (p, Some(at)),
        None => (Profile::default(), None),
    })
}

/// The premises page or (`social`) the social pages: the body's profile either way.
#[derive(Template)]
#[template(path = "public/profile.html")]
pub struct ProfilePage {
    pub c: Chrome,
    pub body: Body,
    pub profile: Profile,
    pub changed_at: Option<i64>,
    pub social: bool,
}

async fn profile_page(state: &AppState, v: &Visitor, slug: &str, social: bool) -> AppResult<Response> {
    let body = body_of(state, slug).await?;
    let (profile, changed_at) = profile(state, &body).await?;
    let title = if social { "service_social" } else { "service_premises" };
    let c = super::service_chrome(state, v, &body, (title, ""), None).await;
    render(&ProfilePage { c, body, profile, changed_at, social })
}

pub async fn premises_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    profile_page(&state, &v, &slug, false).await
}

pub async fn social_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    profile_page(&state, &v, &slug, true).await
}

/// The body's structure drawn as a chart.
#[derive(Template)]
#[template(path = "public/structure.html")]
pub struct StructurePage {
    pub c: Chrome,
    pub body: Body,
    pub units: Vec<Unit>,
    pub changed_at: Option<i64>,
}

impl StructurePage {
    pub fn tags(&self) -> Vec<Tag<'_>> {
        structure::tags(&self.units)
    }
}

pub async fn structure_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let (profile, changed_at) = profile(&state, &body).await?;
    // Checked when saved; an outline that no longer reads (a limit lowered) shows nothing.
    let units = structure::parse(&profile.structure).unwrap_or_default();
    let c = super::service_chrome(&state, &v, &body, ("service_structure", ""), None).await;
    render(&StructurePage { c, body, units, changed_at })
}

/// How many announcements and reception times a stand carries.
const STAND_ANNOUNCEMENTS: i64 = 5;
const STAND_SLOTS: usize = 6;

#[derive(Template)]
#[template(path = "public/stand.html")]
pub struct StandPage {
    pub c: Chrome,
    pub body: Body,
    pub profile: Profile,
    pub profile_at: Option<i64>,
    pub slots: Vec<Slot>,
    pub announcements: Vec<Content>,
    /// When the stand was printed or shown (ms).
    pub now: i64,
    /// The portal's address, for the addresses printed on paper.
    pub public_url: String,
}

impl StandPage {
    /// The latest change of anything on the stand (ms).
    pub fn updated(&self) -> i64 {
        let latest = self.announcements.iter().map(|a| a.changed_at).max().unwrap_or(0);
        self.body.updated_at.max(self.profile_at.unwrap_or(0)).max(latest)
    }
}

/// The stand: what a body posts on its information stands (§16), each block with the date it
/// was updated, the date of the whole and the line for the signature of whoever answers for it.
pub async fn stand_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let (profile, profile_at) = profile(&state, &body).await?;
    let (_, from) = now_local(&state);
    let mut slots = reception::upcoming(&state.db, body.id, &from).await?;
    slots.truncate(STAND_SLOTS);
    let listing = Listing { kind: Some(Kind::Announcement), withdrawn: false, offset: 0, limit: STAND_ANNOUNCEMENTS };
    let (announcements, _) = content_store::list(&state.db, body.id, listing).await?;
    let c = super::service_chrome(&state, &v, &body, ("stand_title", ""), None).await;
    let public_url = state.cfg.public_url.clone();
    render(&StandPage { c, body, profile, profile_at, slots, announcements, now: state.clock.now_ms(), public_url })
}

#[derive(Template)]
#[template(path = "staff/profile.html")]
pub struct ProfileForm {
    pub c: Chrome,
    pub body: Body,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub changed_at: Option<i64>,
}

async fn form_page(
    step: &Step,
    p: &Profile,
    changed_at: Option<i64>,
    errors: Vec<(&'static str, String)>,
) -> AppResult<Response> {
    let mut fields = vec![
        Field::new("reading_place", "profile_reading_place", &p.reading_place, "text")
            .hint("profile_reading_place_hint"),
        Field::new("reading_hours", "profile_reading_hours", &p.reading_hours, "text")
            .hint("profile_reading_hours_hint"),
        Field::new("reading_rules", "profile_reading_rules", &p.reading_rules, "textarea")
            .hint("profile_reading_rules_hint"),
        Field::new("stand_responsible", "profile_stand_responsible", &p.stand_responsible, "text")
            .hint("profile_stand_responsible_hint"),
        Field::new("vk", "profile_vk", &p.vk, "url"),
        Field::new("ok", "profile_ok", &p.ok, "url"),
        Field::new("telegram", "profile_telegram", &p.telegram, "url"),
        Field::new("social_rules", "profile_social_rules", &p.social_rules, "textarea")
            .hint("profile_social_rules_hint"),
        Field::new("structure", "service_structure", &p.structure, "textarea").hint("profile_structure_hint"),
    ];
    let refused = !errors.is_empty();
    let errors = shell::forms::attach_errors(&mut fields, errors);
    let c = step.chrome("desk_site", "site/", step.v.t("profile_title")).await;
    render_refused(&ProfileForm { c, body: step.body().clone(), fields, errors, changed_at }, refused)
}

pub async fn edit(step: Step) -> AppResult<Response> {
    let (p, at) = profile(&step.state, step.body()).await?;
    form_page(&step, &p, at, vec![]).await
}

pub async fn save(step: Step, Form(sent): Form<Profile>) -> AppResult<Response> {
    let place = crate::content_store::Place { slug: &step.body().slug, today: step.today };
    let done = premises::save(step.db(), &step.actor(), step.now, step.body().id, &sent, &place).await;
    let to = |_| format!("{}?done=saved", step.page("site/profile"));
    step.answer_form(done, to, |e| {
        let errors = match e {
            kernel::Error::Form(list) => list,
            other => vec![("reading_place", other.to_string())],
        };
        form_page(&step, &sent, None, errors)
    })
    .await
}
