//! The press service's pages of online conferences: a body's schedule against the norms of §41
//! with the form for a new conference; a conference's page — its links, the proposed topics and
//! questions to moderate, the vote (only the number of votes until it closes), the answers.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use kernel::staff::Role;
use shell::chrome::Chrome;
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form};
use shell::render::render_refused;
use shell::step::Step;

use crate::conferences::{
    self, About, Conference, ConferenceForm, LinksForm, Moderation, Norms, Question, Schedule, Topic,
};
use crate::http::staff::FormBox;

/// Who runs a body's conferences (and sees who asked what: personal data).
pub const HOSTS: &[Role] = &[Role::PressSecretary, Role::Editor];

fn conference_fields(step: &Step, f: &ConferenceForm) -> Vec<Field> {
    let kinds = conferences::KINDS.iter().map(|k| (k.to_string(), step.v.label("conference_kind", k).to_string()));
    vec![
        Field::select("kind", "f_conf_kind", &f.kind, kinds.collect()).required(),
        Field::new("title", "f_conf_title", &f.title, "text").required().hint("f_conf_title_hint"),
        Field::new("about", "f_conf_about", &f.about, "textarea"),
        Field::new("date", "f_conf_date", &f.date, "text").required().hint("f_date_hint"),
        Field::new("starts", "f_meeting_starts", &f.starts, "text").required().hint("f_time_hint"),
        Field::new("ends", "f_meeting_ends", &f.ends, "text").required().hint("f_time_hint"),
        Field::new("stream_url", "f_stream_url", &f.stream_url, "url"),
        Field::new("topics", "f_conf_topics", &f.topics, "textarea").hint("f_conf_topics_hint"),
        Field::new("voting_until", "f_conf_voting_until", &f.voting_until, "text").hint("f_conf_voting_until_hint"),
    ]
}

#[derive(Template)]
#[template(path = "conferences/staff_list.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    pub list: Vec<Conference>,
    pub schedule: Schedule,
    pub norms: Norms,
    /// The norms the schedule falls short of, as string keys.
    pub short: Vec<&'static str>,
    pub form: FormBox,
    pub now: i64,
}

async fn list_page(step: &Step, form: FormBox) -> AppResult<Response> {
    let list = conferences::list(step.db(), Some(step.body().id)).await?;
    let schedule = conferences::schedules(step.db(), step.today, &step.state.timezone)
        .await?
        .remove(&step.body().id)
        .unwrap_or_default();
    let norms = Norms::of(&step.state.cfg);
    let refused = shell::forms::refused(&form.fields, &form.errors);
    let c = step.chrome("desk_conferences", "conferences/", step.v.t("desk_conferences")).await;
    let page = ListPage {
        c,
        body: step.body().clone(),
        list,
        schedule,
        norms,
        short: schedule.short_of(&norms),
        form,
        now: step.now,
    };
    render_refused(&page, refused)
}

pub async fn list(step: Step) -> AppResult<Response> {
    let form = FormBox::new(
        "conference",
        step.page("conferences/"),
        conference_fields(&step, &ConferenceForm::default()),
        "conf_create",
    );
    list_page(&step, form).await
}

pub async fn create(step: Step, Form(f): Form<ConferenceForm>) -> AppResult<Response> {
    match conferences::check(&f, step.now, &step.state.timezone) {
        Ok(checked) => {
            let id = conferences::create(step.db(), &step.actor(), step.now, step.body().id, &checked).await?;
            Ok(Redirect::to(&format!("{}?done=created", step.page(&format!("conferences/{id}")))).into_response())
        }
        Err(kernel::Error::Form(errors)) => {
            let form =
                FormBox::new("conference", step.page("conferences/"), conference_fields(&step, &f), "conf_create")
                    .refuse(errors);
            list_page(&step, form).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn in_scope(step: &Step, id: i64) -> AppResult<Conference> {
    conferences::get(step.db(), id).await?.filter(|c| c.body_id == step.body().id).ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "conferences/staff_conference.html")]
pub struct ConferencePage {
    pub c: Chrome,
    pub body: Body,
    pub conference: Conference,
    pub topics: Vec<Topic>,
    pub results: Option<Vec<Topic>>,
    pub votes: i64,
    pub questions: Vec<Question>,
    pub links: FormBox,
    /// A problem with one topic's or question's form: (its anchor, message).
    pub problem: Option<(String, String)>,
    pub notice: String,
    pub now: i64,
    /// The vote's last day.
    pub last_day: String,
}

impl ConferencePage {
    pub fn problem_at(&self, anchor: &str) -> Option<&str> {
        self.problem.as_ref().filter(|(a, _)| a == anchor).map(|(_, m)| m.as_str())
    }

    pub fn held(&self) -> bool {
        self.conference.held(self.now)
    }

    pub fn voting(&self) -> bool {
        self.conference.voting(self.now)
    }

    pub fn refused(&self) -> bool {
        self.problem.is_some() || shell::forms::refused(&self.links.fields, &self.links.errors)
    }
}

fn links_form(step: &Step, c: &Conference, f: Option<&LinksForm>) -> FormBox {
    let stored = LinksForm { stream_url: c.stream_url.clone(), recording_url: c.recording_url.clone() };
    let f = f.unwrap_or(&stored);
    FormBox::new(
        "links",
        step.page(&format!("conferences/{}", c.id)),
        vec![
            Field::new("stream_url", "f_stream_url", &f.stream_url, "url"),
            Field::new("recording_url", "f_conf_recording", &f.recording_url, "url"),
        ],
        "save",
    )
}

async fn conference_page(
    step: &Step,
    conference: Conference,
    links: Option<FormBox>,
    problem: Option<(String, String)>,
    notice: String,
) -> AppResult<Response> {
    let topics = conferences::topics(step.db(), conference.id).await?;
    let results = conferences::results(&conference, &topics, step.now);
    let votes = conferences::votes_counted(step.db(), conference.id).await?;
    let questions = conferences::questions(step.db(), conference.id).await?;
    let links = links.unwrap_or_else(|| links_form(step, &conference, None));
    let c = step.chrome("desk_conferences", "conferences/", &conference.title.clone()).await;
    let last_day = conference.last_day(&step.state.timezone);
    let page = ConferencePage {
        last_day,
        c,
        body: step.body().clone(),
        conference,
        topics,
        results,
        votes,
        questions,
        links,
        problem,
        notice,
        now: step.now,
    };
    let refused = page.refused();
    render_refused(&page, refused)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn conference(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let c = in_scope(&step, id).await?;
    let notice = match q.done.as_str() {
        "" => String::new(),
        "created" => step.v.t("conf_created").to_string(),
        _ => step.v.t("saved").to_string(),
    };
    conference_page(&step, c, None, None, notice).await
}

fn saved(step: &Step, id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("{}?done=saved#{anchor}", step.page(&format!("conferences/{id}")))).into_response()
}

pub async fn links(step: Step, Path((_, id)): Path<(String, i64)>, Form(f): Form<LinksForm>) -> AppResult<Response> {
    let c = in_scope(&step, id).await?;
    match conferences::set_links(step.db(), &step.actor(), step.now, &c, &f).await {
        Ok(()) => Ok(saved(&step, id, "links")),
        Err(kernel::Error::Form(errors)) => {
            let form = links_form(&step, &c, Some(&f)).refuse(errors);
            conference_page(&step, c, Some(form), None, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

fn about<'a>(step: &Step, c: &'a Conference) -> About<'a> {
    crate::http::conferences::about(&step.state, &step.body().slug, c)
}

pub async fn moderate_topic(
    step: Step,
    Path((_, id, tid)): Path<(String, i64, i64)>,
    Form(m): Form<Moderation>,
) -> AppResult<Response> {
    let c = in_scope(&step, id).await?;
    let topic =
        conferences::topics(step.db(), c.id).await?.into_iter().find(|t| t.id == tid).ok_or(AppError::NotFound)?;
    let anchor = format!("topic-{tid}");
    match conferences::moderate_topic(step.db(), &step.actor(), step.now, &about(&step, &c), &topic, &m).await {
        Ok(()) => Ok(saved(&step, id, &anchor)),
        Err(e) => match e.about_input() {
            Some(message) => conference_page(&step, c, None, Some((anchor, message)), String::new()).await,
            None => Err(e.into()),
        },
    }
}

/// A question's form: moderation before the conference, the answer after.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct QuestionForm {
    decision: String,
    reason: String,
    answer: String,
}

pub async fn question(
    step: Step,
    Path((_, id, qid)): Path<(String, i64, i64)>,
    Form(f): Form<QuestionForm>,
) -> AppResult<Response> {
    let c = in_scope(&step, id).await?;
    let q =
        conferences::questions(step.db(), c.id).await?.into_iter().find(|q| q.id == qid).ok_or(AppError::NotFound)?;
    let anchor = format!("question-{qid}");
    let a = about(&step, &c);
    let done = if f.decision.is_empty() {
        conferences::answer(step.db(), &step.actor(), step.now, &a, &q, &f.answer).await
    } else {
        let m = Moderation { decision: f.decision, reason: f.reason };
        conferences::moderate_question(step.db(), &step.actor(), step.now, &a, &q, &m).await
    };
    match done {
        Ok(()) => Ok(saved(&step, id, &anchor)),
        Err(e) => match e.about_input() {
            Some(message) => conference_page(&step, c, None, Some((anchor, message)), String::new()).await,
            None => Err(e.into()),
        },
    }
}
