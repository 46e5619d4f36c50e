//! Citizens' pages of online conferences: the portal's and a body's list; a conference's page —
//! when, the stream, the vote on its topic (results shown once it closed), a topic proposal, a
//! question, then the recording and the answers; the page a vote's link opens.

use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form};
use shell::public_form::{self, Limit, Refusal};
use shell::render::render;

use crate::conferences::{self, About, AskForm, Conference, Confirmed, ProposeForm, Question, Topic, VoteForm};

/// Votes, proposals and questions one address may send in ten minutes.
const LIMIT: Limit = Limit {
    bucket: "conference-forms",
    per_address: 10,
    window_ms: 10 * 60 * 1000,
    field: "",
    message: "с вашего адреса отправлено много форм подряд: подождите 10 минут и отправьте ещё раз",
};

async fn body_of(state: &AppState, slug: &str) -> AppResult<Body> {
    state.directory().await?.body(slug).cloned().ok_or(AppError::NotFound)
}

/// A conference of the body `slug`, or not found.
pub async fn conference_of(state: &AppState, slug: &str, id: i64) -> AppResult<(Body, Conference)> {
    let body = body_of(state, slug).await?;
    let c = conferences::get(&state.db, id).await?.filter(|c| c.body_id == body.id).ok_or(AppError::NotFound)?;
    Ok((body, c))
}

/// A conference's page, full address (letters link it).
pub fn conference_url(public_url: &str, slug: &str, id: i64) -> String {
    format!("{}/o/{slug}/conferences/{id}", public_url.trim_end_matches('/'))
}

pub fn about<'a>(state: &AppState, slug: &str, c: &'a Conference) -> About<'a> {
    About {
        conference: c,
        page: conference_url(&state.cfg.public_url, slug, c.id),
        when: crate::ical::when_ru(c.starts_at, &state.timezone),
    }
}

#[derive(Template)]
#[template(path = "conferences/list.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Option<Body>,
    /// Each conference with its body's slug and short name; the coming ones, then the past.
    pub coming: Vec<(Conference, String, String)>,
    pub past: Vec<(Conference, String, String)>,
    pub now: i64,
    pub tz: jiff::tz::TimeZone,
}

impl ListPage {
    pub fn voting_open(&self, k: &Conference) -> bool {
        k.voting(self.now)
    }

    pub fn last_day(&self, k: &Conference) -> String {
        k.last_day(&self.tz)
    }
}

async fn list_page(state: &AppState, v: &Visitor, body: Option<Body>) -> AppResult<Response> {
    let dir = state.directory().await?;
    let now = state.clock.now_ms();
    let (mut coming, mut past) = (Vec::new(), Vec::new());
    for c in conferences::list(&state.db, body.as_ref().map(|b| b.id)).await? {
        let Some(b) = dir.body_by_id(c.body_id) else { continue };
        let row = (c, b.slug.clone(), b.short_name.clone());
        if row.0.held(now) { past.push(row) } else { coming.push(row) }
    }
    coming.reverse();
    let title = v.t("conferences");
    let mut c = Chrome::new(state, v, title).await;
    if let Some(b) = &body {
        c = c.crumb(b.short_name.clone(), format!("/o/{}/", b.slug)).crumb(title, "");
    }
    render(&ListPage { c, body, coming, past, now, tz: state.timezone.clone() })
}

pub async fn portal_list(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    list_page(&state, &v, None).await
}

pub async fn body_list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    list_page(&state, &v, Some(body)).await
}

/// One public form of the page: its id (the anchor), where it goes, its fields and problems.
pub struct PublicForm {
    pub id: &'static str,
    pub action: String,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub button: &'static str,
}

#[derive(Template)]
#[template(path = "conferences/conference.html")]
pub struct ConferencePage {
    pub c: Chrome,
    pub body: Body,
    pub conference: Conference,
    /// The topics on the ballot (results not shown before the close).
    pub ballot: Vec<Topic>,
    pub results: Option<Vec<Topic>>,
    /// Accepted questions with their answers; the authors are not shown.
    pub questions: Vec<Question>,
    pub forms: Vec<PublicForm>,
    pub now: i64,
    /// The notice after a form was sent, a string key or empty.
    pub sent: &'static str,
    pub refused: bool,
    pub tz: jiff::tz::TimeZone,
}

impl ConferencePage {
    pub fn form(&self, id: &str) -> Option<&PublicForm> {
        self.forms.iter().find(|f| f.id == id)
    }

    /// Whether a form is shown: while it is taken, or when it was refused (with its problems).
    pub fn shows(&self, id: &str) -> bool {
        let open = match id {
            "ask" => self.conference.asking(self.now),
            _ => self.conference.voting(self.now),
        };
        open || self.form(id).is_some_and(|f| shell::forms::refused(&f.fields, &f.errors))
    }

    pub fn held(&self) -> bool {
        self.conference.held(self.now)
    }

    pub fn last_day(&self) -> String {
        self.conference.last_day(&self.tz)
    }

    pub fn total(&self) -> i64 {
        self.results.as_ref().map(|r| r.iter().map(|t| t.votes).sum()).unwrap_or_default()
    }

    /// A topic's share of the votes, in whole per cent.
    pub fn share(&self, t: &Topic) -> i64 {
        match self.total() {
            0 => 0,
            n => (t.votes * 100 + n / 2) / n,
        }
    }
}

/// What was sent to the page: one of its forms, refused, with the text given back.
pub enum Sent {
    Nothing,
    Vote(VoteForm, Refusal),
    Topic(ProposeForm, Refusal),
    Question(AskForm, Refusal),
}

fn vote_fields(f: &VoteForm, ballot: &[Topic]) -> Vec<Field> {
    let mut options = vec![(String::new(), "—".to_string())];
    options.extend(ballot.iter().map(|t| (t.id.to_string(), t.title.clone())));
    vec![
        Field::select("topic", "f_conf_topic", &f.topic, options).required(),
        Field::new("vote_email", "f_conf_email", &f.vote_email, "email").required().hint("f_conf_vote_email_hint"),
        Field::new("vote_consent", "f_conf_consent", &f.vote_consent, "checkbox").required(),
    ]
}

fn propose_fields(f: &ProposeForm) -> Vec<Field> {
    vec![
        Field::new("proposal", "f_conf_proposal", &f.proposal, "text").required(),
        Field::new("proposal_email", "f_conf_email", &f.proposal_email, "email")
            .required()
            .hint("f_conf_proposal_email_hint"),
        Field::new("proposal_consent", "f_conf_consent", &f.proposal_consent, "checkbox").required(),
    ]
}

fn ask_fields(f: &AskForm) -> Vec<Field> {
    vec![
        Field::new("full_name", "f_conf_name", &f.full_name, "text").required().hint("f_conf_name_hint"),
        Field::new("ask_email", "f_conf_email", &f.ask_email, "email").required().hint("f_conf_ask_email_hint"),
        Field::new("question", "f_conf_question", &f.question, "textarea").required(),
        Field::new("ask_consent", "f_conf_consent", &f.ask_consent, "checkbox").required(),
    ]
}

async fn conference_page(
    state: &AppState,
    v: &Visitor,
    (body, conference): (Body, Conference),
    sent: Sent,
    notice: &'static str,
) -> AppResult<Response> {
    let now = state.clock.now_ms();
    let topics = conferences::topics(&state.db, conference.id).await?;
    let results = conferences::results(&conference, &topics, now);
    let ballot: Vec<Topic> = topics.into_iter().filter(|t| t.status == "open").collect();
    let questions = conferences::questions(&state.db, conference.id)
        .await?
        .into_iter()
        .filter(|q| q.status == "accepted")
        .collect();
    let base = format!("/o/{}/conferences/{}", body.slug, conference.id);
    let form = |id, action: &str, fields, button| PublicForm {
        id,
        action: format!("{base}/{action}#{id}"),
        fields,
        errors: Vec::new(),
        button,
    };
    let (mut vote, mut propose, mut ask) = (
        form("vote", "vote", vote_fields(&VoteForm::default(), &ballot), "conf_vote_button"),
        form("propose", "topics", propose_fields(&ProposeForm::default()), "conf_propose_button"),
        form("ask", "questions", ask_fields(&AskForm::default()), "conf_ask_button"),
    );
    let (slot, refusal) = match sent {
        Sent::Nothing => (None, None),
        Sent::Vote(f, r) => {
            vote.fields = vote_fields(&f, &ballot);
            (Some(&mut vote), Some(r))
        }
        Sent::Topic(f, r) => {
            propose.fields = propose_fields(&f);
            (Some(&mut propose), Some(r))
        }
        Sent::Question(f, r) => {
            ask.fields = ask_fields(&f);
            (Some(&mut ask), Some(r))
        }
    };
    let mut status = StatusCode::OK;
    if let Some(slot) = slot {
        let (s, errors) = public_form::show(&mut slot.fields, refusal)?;
        status = s;
        slot.errors = errors;
    }
    let title = conference.title.clone();
    let c = Chrome::new(state, v, title.clone())
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(v.t("conferences"), format!("/o/{}/conferences/", body.slug))
        .crumb(title, "");
    let page = ConferencePage {
        c,
        body,
        conference,
        ballot,
        results,
        questions,
        forms: vec![vote, propose, ask],
        now,
        sent: notice,
        refused: status != StatusCode::OK,
        tz: state.timezone.clone(),
    };
    if page.conference.voting(now) || page.conference.asking(now) || page.refused {
        public_form::respond(&page, status)
    } else {
        render(&page)
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

pub async fn conference(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<SentQuery>,
) -> AppResult<Response> {
    let found = conference_of(&state, &slug, id).await?;
    let notice = match q.sent.as_str() {
        "vote" => "conf_vote_sent",
        "topic" => "conf_topic_sent",
        "question" => "conf_question_sent",
        _ => "",
    };
    conference_page(&state, &v, found, Sent::Nothing, notice).await
}

/// Runs one public form: checked first, then counted against the address's limit, then stored,
/// so a refused form stores nothing and a corrected one costs nothing.
async fn take<C>(
    state: &AppState,
    peer: SocketAddr,
    checked: kernel::Result<C>,
    store: impl AsyncFnOnce(C) -> kernel::Result<i64>,
) -> AppResult<Option<Refusal>> {
    let now = state.clock.now_ms();
    Ok(match checked {
        Err(e) => Some(Refusal::Invalid(e)),
        Ok(c) => match LIMIT.check(state, peer.ip(), now) {
            Some(e) => Some(Refusal::TooMany(e)),
            None => match store(c).await {
                Ok(_) => None,
                Err(e) if e.about_input().is_some() => Some(Refusal::Invalid(e)),
                Err(e) => return Err(e.into()),
            },
        },
    })
}

fn sent_to(slug: &str, id: i64, what: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/o/{slug}/conferences/{id}?sent={what}#{anchor}")).into_response()
}

/// A vote for a topic: stored to be confirmed by the e-mailed link.
pub async fn vote(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<VoteForm>,
) -> AppResult<Response> {
    let (body, c) = conference_of(&state, &slug, id).await?;
    if !f.website.is_empty() {
        return Ok(sent_to(&slug, id, "vote", "vote"));
    }
    let now = state.clock.now_ms();
    let topics = conferences::topics(&state.db, c.id).await?;
    let a = about(&state, &slug, &c);
    let checked = conferences::check_vote(now, &c, &topics, &f);
    let refusal =
        take(&state, peer, checked, async |(topic, email)| conferences::vote(&state.db, now, &a, topic, &email).await)
            .await?;
    match refusal {
        None => Ok(sent_to(&slug, id, "vote", "vote")),
        Some(r) => conference_page(&state, &v, (body, c), Sent::Vote(f, r), "").await,
    }
}

/// A topic proposed for the vote: moderated before it is on the ballot.
pub async fn propose(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<ProposeForm>,
) -> AppResult<Response> {
    let (body, c) = conference_of(&state, &slug, id).await?;
    if !f.website.is_empty() {
        return Ok(sent_to(&slug, id, "topic", "propose"));
    }
    let now = state.clock.now_ms();
    let checked = conferences::check_proposal(now, &c, &f);
    let refusal = take(&state, peer, checked, async |p| conferences::propose(&state.db, now, &c, &p).await).await?;
    match refusal {
        None => Ok(sent_to(&slug, id, "topic", "propose")),
        Some(r) => conference_page(&state, &v, (body, c), Sent::Topic(f, r), "").await,
    }
}

/// A question for the conference: moderated, answered after.
pub async fn ask(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<AskForm>,
) -> AppResult<Response> {
    let (body, c) = conference_of(&state, &slug, id).await?;
    if !f.website.is_empty() {
        return Ok(sent_to(&slug, id, "question", "ask"));
    }
    let now = state.clock.now_ms();
    let checked = conferences::check_question(now, &c, &f);
    let refusal = take(&state, peer, checked, async |q| conferences::ask(&state.db, now, &c, &q).await).await?;
    match refusal {
        None => Ok(sent_to(&slug, id, "question", "ask")),
        Some(r) => conference_page(&state, &v, (body, c), Sent::Question(f, r), "").await,
    }
}

#[derive(Template)]
#[template(path = "conferences/vote.html")]
pub struct VotePage {
    pub c: Chrome,
    pub body: Body,
    pub conference: Conference,
    pub topic: String,
    /// counted, refused, closed
    pub outcome: &'static str,
}

/// The link of a vote's letter: counts the vote unless the address's vote is counted already.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id, vid, token)): Path<(String, i64, i64, String)>,
) -> AppResult<Response> {
    let (body, conference) = conference_of(&state, &slug, id).await?;
    let vote = conferences::vote_by_link(&state.db, conference.id, vid, &token).await?.ok_or(AppError::NotFound)?;
    let outcome = match conferences::confirm_vote(&state.db, state.clock.now_ms(), &conference, &vote).await? {
        Confirmed::Counted => "counted",
        Confirmed::Refused => "refused",
        Confirmed::Closed => "closed",
    };
    let topics = conferences::topics(&state.db, conference.id).await?;
    let topic = topics.into_iter().find(|t| t.id == vote.topic_id).map(|t| t.title).unwrap_or_default();
    let title = v.t("conf_your_vote");
    let c = Chrome::new(&state, &v, title)
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(conference.title.clone(), format!("/o/{}/conferences/{}", body.slug, conference.id))
        .crumb(title, "");
    let status = if outcome == "refused" { StatusCode::CONFLICT } else { StatusCode::OK };
    public_form::respond(&VotePage { c, body, conference, topic, outcome }, status)
}
