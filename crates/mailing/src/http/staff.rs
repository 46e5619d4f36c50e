//! The press secretary's pages (§40): the body's campaigns with a new one's form and the number
//! of subscribers; a campaign with its preview, test letter, schedule, cancel and its delivery
//! ledger per recipient; the subscriber list, seen only by the mailing's operators (§40 з), whose
//! export asks for a reason that goes into the audit log.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::audit::{self, Change};
use kernel::bodies::Body;
use kernel::staff::Role;
use shell::chrome::Chrome;
use shell::error::{AppError, AppResult};
use shell::forms::{Field, attach_errors};
use shell::render::{attachment, render_refused};
use shell::step::Step;
use sqlx::Row;

use crate::campaigns::{self, Campaign, CampaignForm, Delivery, STATES};
use crate::http::public::Choice;
use crate::letters::{self, Piece, Recipient};
use crate::subscribers::Wish;

/// The mailing's operators: who writes campaigns and sees subscribers (§40 з).
pub const OPERATORS: &[Role] = &[Role::PressSecretary];

/// Ledger lines shown on a campaign's page at a time.
const LEDGER_PAGE: i64 = 200;

/// The bodies a campaign of this body may reach: itself and those below it.
fn reachable(step: &Step, dir: &shell::directory::Directory) -> Vec<Body> {
    let mut out = vec![step.body().clone()];
    let mut i = 0;
    while i < out.len() && out.len() < 10_000 {
        let id = out[i].id;
        out.extend(dir.children(id).cloned());
        i += 1;
    }
    out
}

fn campaign_fields(f: &CampaignForm) -> Vec<Field> {
    vec![
        Field::new("subject", "f_mail_subject", &f.subject, "text").required(),
        Field::new("text", "f_mail_text", &f.text, "textarea").required().hint("f_mail_text_hint"),
        Field::new("topic", "f_mail_audience_topics", "", "group").required(),
        Field::new("body", "f_mail_audience_bodies", "", "group").required(),
    ]
}

pub struct Editor {
    pub action: String,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub choice: Choice,
}

impl Editor {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn value(&self, name: &str) -> &str {
        self.field(name).map(|f| f.value.as_str()).unwrap_or_default()
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.field(name).and_then(|f| f.error.as_deref())
    }
}

async fn editor(
    step: &Step,
    action: String,
    f: &CampaignForm,
    errors: Vec<(&'static str, String)>,
) -> AppResult<Editor> {
    let dir = step.state.directory().await?;
    let bodies = reachable(step, &dir);
    let ids: Vec<i64> = f.bodies.iter().filter_map(|s| bodies.iter().find(|b| b.slug == *s)).map(|b| b.id).collect();
    let wish = Wish { topics: f.topics.clone(), bodies: ids, ..Wish::default() };
    let mut choice = Choice::new(&bodies, &wish);
    choice.frequencies.clear();
    let mut fields = campaign_fields(f);
    let errors = attach_errors(&mut fields, errors);
    Ok(Editor { action, fields, errors, choice })
}

#[derive(Template)]
#[template(path = "mailing/staff.html")]
pub struct DeskPage {
    pub c: Chrome,
    pub body: Body,
    pub campaigns: Vec<Campaign>,
    pub subscribers: i64,
    pub editor: Editor,
}

impl DeskPage {
    pub fn refused(&self) -> bool {
        shell::forms::refused(&self.editor.fields, &self.editor.errors)
    }
}

async fn desk_page(step: &Step, f: &CampaignForm, errors: Vec<(&'static str, String)>) -> AppResult<Response> {
    let campaigns = campaigns::of_body(step.db(), step.body().id).await?;
    let subscribers = crate::stats::active(step.db(), step.body().id).await?;
    let mut f = f.clone();
    if f.bodies.is_empty() && errors.is_empty() {
        f.bodies.push(step.body().slug.clone());
    }
    let editor = editor(step, step.page("mailing/"), &f, errors).await?;
    let c = step.chrome("desk_mailing", "mailing/", step.v.t("desk_mailing")).await;
    let page = DeskPage { c, body: step.body().clone(), campaigns, subscribers, editor };
    let refused = page.refused();
    render_refused(&page, refused)
}

pub async fn desk(step: Step) -> AppResult<Response> {
    desk_page(&step, &CampaignForm::default(), Vec::new()).await
}

async fn checked(step: &Step, f: &CampaignForm) -> AppResult<kernel::Result<campaigns::Checked>> {
    let dir = step.state.directory().await?;
    let bodies = reachable(step, &dir);
    Ok(campaigns::check(f, &|slug| bodies.iter().find(|b| b.slug == slug).map(|b| b.id)))
}

pub async fn create(step: Step, body: Bytes) -> AppResult<Response> {
    let f = CampaignForm::parse(&body);
    match checked(&step, &f).await? {
        Ok(c) => {
            let id = campaigns::create(step.db(), &step.actor(), step.now, step.body().id, &c).await?;
            Ok(Redirect::to(&format!("{}?done=created", step.page(&format!("mailing/{id}")))).into_response())
        }
        Err(kernel::Error::Form(errors)) => desk_page(&step, &f, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "mailing/campaign.html")]
pub struct CampaignPage {
    pub c: Chrome,
    pub body: Body,
    pub campaign: Campaign,
    pub editor: Editor,
    pub audience: i64,
    pub preview: Vec<Vec<Piece>>,
    pub preview_text: String,
    pub tally: Vec<(&'static str, i64)>,
    pub ledger: Vec<Delivery>,
    pub state: String,
    pub problem: Option<(&'static str, String)>,
    pub send_at: String,
    pub more: bool,
}

impl CampaignPage {
    pub fn refused(&self) -> bool {
        self.problem.is_some() || shell::forms::refused(&self.editor.fields, &self.editor.errors)
    }

    fn problem_at(&self, what: &str) -> Option<&str> {
        self.problem.as_ref().filter(|(w, _)| *w == what).map(|(_, m)| m.as_str())
    }

    /// What was wrong with scheduling or cancelling.
    pub fn send_problem(&self) -> Option<&str> {
        self.problem_at("send")
    }

    /// What was wrong with saving the letter.
    pub fn edit_problem(&self) -> Option<&str> {
        self.problem_at("edit")
    }
}

async fn campaign_of(step: &Step, id: i64) -> AppResult<Campaign> {
    campaigns::get(step.db(), step.body().id, id).await?.ok_or(AppError::NotFound)
}

fn form_of(c: &Campaign, dir: &shell::directory::Directory) -> CampaignForm {
    CampaignForm {
        subject: c.subject.clone(),
        text: c.text.clone(),
        topics: c.topics.clone(),
        bodies: c.bodies.iter().filter_map(|id| dir.body_by_id(*id)).map(|b| b.slug.clone()).collect(),
        send_at: String::new(),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LedgerQuery {
    state: String,
    page: i64,
}

async fn campaign_page(
    step: &Step,
    c: Campaign,
    edit: Option<(CampaignForm, Vec<(&'static str, String)>)>,
    problem: Option<(&'static str, String)>,
    q: &LedgerQuery,
) -> AppResult<Response> {
    let dir = step.state.directory().await?;
    let (f, errors) = edit.unwrap_or_else(|| (form_of(&c, &dir), Vec::new()));
    let send_at = f.send_at.clone();
    let editor = editor(step, step.page(&format!("mailing/{}", c.id)), &f, errors).await?;
    let audience = if c.editable() || c.status == "scheduled" {
        campaigns::audience_size(step.db(), &c.topics, &c.bodies).await?
    } else {
        c.recipients
    };
    let counts: HashMap<String, i64> = campaigns::tally(step.db(), c.id).await?;
    let tally = STATES.iter().map(|s| (*s, counts.get(*s).copied().unwrap_or(0))).collect();
    let state = STATES.iter().find(|s| **s == q.state).map(|s| s.to_string()).unwrap_or_default();
    let offset = q.page.clamp(0, 1_000_000) * LEDGER_PAGE;
    let mut ledger =
        campaigns::ledger(step.db(), c.id, (!state.is_empty()).then_some(state.as_str()), offset, LEDGER_PAGE + 1)
            .await?;
    let more = ledger.len() as i64 > LEDGER_PAGE;
    ledger.truncate(LEDGER_PAGE as usize);
    let sample = Recipient { id: 0, email: String::new(), lang: "ru".into(), manage_token: String::new() };
    let sender = campaigns::Sender {
        base: step.state.cfg.public_url.trim_end_matches('/').to_string(),
        operator: dir.shown.name.clone(),
        body: step.body().full_name.clone(),
    };
    let preview_text = letters::campaign(&sender, &c, &sample)?.text;
    let preview = letters::paragraphs(&c.text);
    let title = c.subject.clone();
    let chrome = step.chrome("desk_mailing", "mailing/", &title).await;
    let page = CampaignPage {
        c: chrome,
        body: step.body().clone(),
        campaign: c,
        editor,
        audience,
        preview,
        preview_text,
        tally,
        ledger,
        state,
        problem,
        send_at,
        more,
    };
    let refused = page.refused();
    render_refused(&page, refused)
}

pub async fn campaign(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<LedgerQuery>,
) -> AppResult<Response> {
    let c = campaign_of(&step, id).await?;
    campaign_page(&step, c, None, None, &q).await
}

fn back(step: &Step, id: i64, done: &str, anchor: &str) -> Response {
    Redirect::to(&format!("{}?done={done}#{anchor}", step.page(&format!("mailing/{id}")))).into_response()
}

pub async fn update(step: Step, Path((_, id)): Path<(String, i64)>, body: Bytes) -> AppResult<Response> {
    let c = campaign_of(&step, id).await?;
    let f = CampaignForm::parse(&body);
    let outcome = match checked(&step, &f).await? {
        Ok(checked) => campaigns::update(step.db(), &step.actor(), step.now, &c, &checked).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(back(&step, id, "saved", "letter")),
        Err(kernel::Error::Form(errors)) => {
            campaign_page(&step, c, Some((f, errors)), None, &LedgerQuery::default()).await
        }
        Err(e) => match e.about_input() {
            Some(m) => campaign_page(&step, c, None, Some(("edit", m)), &LedgerQuery::default()).await,
            None => Err(e.into()),
        },
    }
}

pub async fn test(step: Step, Path((_, id)): Path<(String, i64)>) -> AppResult<Response> {
    let c = campaign_of(&step, id).await?;
    campaigns::test_send(step.db(), &step.state.cfg, step.now, &c, &step.user.email).await?;
    Ok(back(&step, id, "saved", "test"))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ScheduleForm {
    send_at: String,
}

pub async fn schedule(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    shell::forms::Form(f): shell::forms::Form<ScheduleForm>,
) -> AppResult<Response> {
    let c = campaign_of(&step, id).await?;
    match campaigns::schedule(step.db(), &step.actor(), step.now, &step.state.timezone, &c, &f.send_at).await {
        Ok(()) => Ok(back(&step, id, "saved", "send")),
        Err(e) => match e.about_input() {
            Some(m) => {
                // The moment as typed comes back beside its message.
                let mut form = form_of(&c, &*step.state.directory().await?);
                form.send_at = f.send_at.chars().take(40).collect();
                campaign_page(&step, c, Some((form, Vec::new())), Some(("send", m)), &LedgerQuery::default()).await
            }
            None => Err(e.into()),
        },
    }
}

pub async fn cancel(step: Step, Path((_, id)): Path<(String, i64)>) -> AppResult<Response> {
    let c = campaign_of(&step, id).await?;
    match campaigns::cancel(step.db(), &step.actor(), step.now, &c).await {
        Ok(()) => Ok(back(&step, id, "saved", "send")),
        Err(e) => match e.about_input() {
            Some(m) => campaign_page(&step, c, None, Some(("send", m)), &LedgerQuery::default()).await,
            None => Err(e.into()),
        },
    }
}

/// The whole ledger of a campaign as CSV (addresses: personal data, operators only).
pub async fn ledger_csv(step: Step, Path((_, id)): Path<(String, i64)>) -> AppResult<Response> {
    let c = campaign_of(&step, id).await?;
    let mut out = kernel::csv::row(&["Адрес", "Состояние", "Попыток", "Ответ сервера", "Когда", "Message-ID"]);
    let mut offset = 0;
    loop {
        let page = campaigns::ledger(step.db(), c.id, None, offset, 1000).await?;
        for d in &page {
            out.push_str(&kernel::csv::row(&[
                d.email.clone(),
                step.v.label("delivery", &d.state).to_string(),
                d.attempts.to_string(),
                d.reply.clone(),
                d.at.map(|t| moment(t, &step.state.timezone)).unwrap_or_default(),
                d.message_id.clone(),
            ]));
        }
        if page.len() < 1000 {
            break;
        }
        offset += 1000;
    }
    Ok(attachment(out.into(), &format!("mailing-{id}-ledger.csv"), "text/csv; charset=utf-8", "private, no-store"))
}

/// A moment as people read it: `22.11.2026 14:05` in the portal's zone.
fn moment(ms: i64, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(tz.clone()).strftime("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// One subscriber as the operators' list shows them.
pub struct Listed {
    pub email: String,
    pub status: String,
    pub topics: Vec<String>,
    pub confirmed_at: Option<i64>,
}

/// The subscribers who get this body's mailings (of it, or of every body), in order of address.
async fn subscribers_of(step: &Step) -> AppResult<Vec<Listed>> {
    let rows = sqlx::query(
        "SELECT s.id, s.email, s.status, s.confirmed_at, i.topic FROM mailing_subscribers s \
         JOIN mailing_interests i ON i.subscriber_id = s.id WHERE (i.body_id = 0 OR i.body_id = $1) \
         AND s.status = 'active' ORDER BY s.email, i.topic",
    )
    .bind(step.body().id)
    .fetch_all(&step.db().pool)
    .await
    .map_err(kernel::Error::from)?;
    let mut out: Vec<Listed> = Vec::new();
    for r in &rows {
        let email: String = r.try_get("email").map_err(kernel::Error::from)?;
        let topic: String = r.try_get("topic").map_err(kernel::Error::from)?;
        match out.last_mut() {
            Some(l) if l.email == email => {
                if !l.topics.contains(&topic) {
                    l.topics.push(topic)
                }
            }
            _ => out.push(Listed {
                email,
                status: r.try_get("status").map_err(kernel::Error::from)?,
                topics: vec![topic],
                confirmed_at: r.try_get("confirmed_at").map_err(kernel::Error::from)?,
            }),
        }
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "mailing/subscribers.html")]
pub struct SubscribersPage {
    pub c: Chrome,
    pub body: Body,
    pub list: Vec<Listed>,
    pub reason_error: Option<String>,
    pub reason: String,
}

impl SubscribersPage {
    pub fn refused(&self) -> bool {
        self.reason_error.is_some()
    }
}

async fn subscribers_page(step: &Step, reason: String, reason_error: Option<String>) -> AppResult<Response> {
    let list = subscribers_of(step).await?;
    let title = step.v.t("mailing_subscribers");
    let c = step.chrome("desk_mailing", "mailing/", title).await;
    let page = SubscribersPage { c, body: step.body().clone(), list, reason_error, reason };
    let refused = page.refused();
    render_refused(&page, refused)
}

pub async fn subscribers(step: Step) -> AppResult<Response> {
    subscribers_page(&step, String::new(), None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ExportForm {
    reason: String,
}

/// The subscriber list as CSV: only with a reason, which is audited with the count exported.
pub async fn export(step: Step, shell::forms::Form(f): shell::forms::Form<ExportForm>) -> AppResult<Response> {
    let reason = f.reason.trim().to_string();
    if reason.chars().count() < 5 || reason.chars().count() > 500 {
        let m = "укажите, зачем нужна выгрузка (от 5 до 500 символов): причина записывается в журнал".to_string();
        return subscribers_page(&step, f.reason.chars().take(500).collect(), Some(m)).await;
    }
    let list = subscribers_of(&step).await?;
    let mut tx = step.db().begin().await.map_err(kernel::Error::from)?;
    let change = Change {
        action: "export",
        object_type: "mailing_subscribers",
        object_id: step.body().id.to_string(),
        body_id: Some(step.body().id),
        before: None,
        after: Some(serde_json::json!({ "reason": reason, "count": list.len() })),
    };
    audit::record(&mut tx, &step.actor(), step.now, change).await?;
    tx.commit().await.map_err(kernel::Error::from)?;
    let mut out = kernel::csv::row(&["Адрес", "Темы", "Подтверждена"]);
    for l in &list {
        out.push_str(&kernel::csv::row(&[
            l.email.clone(),
            l.topics.iter().map(|t| step.v.label("topic", t)).collect::<Vec<_>>().join("; "),
            l.confirmed_at.map(|t| moment(t, &step.state.timezone)).unwrap_or_default(),
        ]));
    }
    Ok(attachment(out.into(), "subscribers.csv", "text/csv; charset=utf-8", "private, no-store"))
}

/// The chart's drawing height for the largest month.
const CHART_H: i64 = 160;

/// One month of the chart: its bar and its figures.
pub struct Bar {
    pub m: crate::stats::Month,
    /// `11.26`
    pub label: String,
    pub x: i64,
    pub h: i64,
}

#[derive(Template)]
#[template(path = "mailing/stats.html")]
pub struct StatsPage {
    pub c: Chrome,
    pub body: Body,
    pub bars: Vec<Bar>,
    pub chart_h: i64,
    pub topics: Vec<(&'static str, i64)>,
    pub deliveries: Vec<(&'static str, i64)>,
}

/// Subscribers over the year, by topic now, and the campaigns' letters by how they ended.
pub async fn stats(step: Step) -> AppResult<Response> {
    let body = step.body().clone();
    let months = crate::stats::months(step.db(), body.id, step.now, &step.state.timezone).await?;
    let max = months.iter().map(|m| m.active).max().unwrap_or(0).max(1);
    let bars = months
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let label = m
                .label
                .get(5..7)
                .map(|mm| format!("{mm}.{}", m.label.get(2..4).unwrap_or_default()))
                .unwrap_or_default();
            Bar { h: m.active * CHART_H / max, x: i as i64 * 50 + 40, label, m }
        })
        .collect();
    let topics = crate::stats::topics(step.db(), body.id).await?;
    let counts = crate::stats::deliveries(step.db(), body.id).await?;
    let deliveries = STATES.iter().map(|s| (*s, counts.get(*s).copied().unwrap_or(0))).collect();
    let c = step.chrome("desk_mailing", "mailing/", step.v.t("mailing_stats")).await;
    render_refused(&StatsPage { c, body, bars, chart_h: CHART_H, topics, deliveries }, false)
}
