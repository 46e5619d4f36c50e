//! The secretary's pages: a body's councils with what is late (publications past the freshness
//! term, minutes not yet published) and the form for a new council; a council's page — its
//! card, the composition (a member added with the day the change was approved, consent and
//! leaving recorded), its documents, the announcement form checked against the minimum notice,
//! every publication with its freshness; a meeting's page — who registered (the only place their
//! addresses are seen), their list as CSV for the entrance, and the minutes with a decision per
//! agenda item.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use kernel::staff::Role;
use shell::chrome::Chrome;
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form, attach_errors};
use shell::render::{attachment, render_refused};
use shell::step::Step;

use crate::meetings::{self, AnnounceForm, Item, Meeting, MinutesForm};
use crate::registrations::{self, Registration};
use crate::store::{self, Council, CouncilForm, DocumentForm, Member, MemberForm, Publication, Published};

/// Who keeps a body's councils.
pub const SECRETARIES: &[Role] = &[Role::CouncilSecretary, Role::Editor];

/// One form of a page: where it goes, its fields with their problems, the problems about no field.
pub struct FormBox {
    pub id: &'static str,
    pub action: String,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub button: &'static str,
    pub multipart: bool,
}

impl FormBox {
    pub(crate) fn new(id: &'static str, action: String, fields: Vec<Field>, button: &'static str) -> FormBox {
        FormBox { id, action, fields, errors: Vec::new(), button, multipart: false }
    }

    pub(crate) fn refuse(mut self, errors: Vec<(&'static str, String)>) -> FormBox {
        self.errors = attach_errors(&mut self.fields, errors);
        self
    }
}

fn options(kind: &str, codes: &[&str], c: &shell::chrome::Visitor) -> Vec<(String, String)> {
    codes.iter().map(|code| (code.to_string(), c.label(kind, code).to_string())).collect()
}

fn published(step: &Step) -> Published {
    Published { now: step.now, today: step.today, freshness_days: step.state.cfg.council_freshness_days }
}

fn card_fields(step: &Step, f: &CouncilForm) -> Vec<Field> {
    vec![
        Field::select("kind", "f_council_kind", &f.kind, options("council_kind", store::KINDS, &step.v)).required(),
        Field::new("name", "f_council_name", &f.name, "text").required(),
        Field::new("about", "f_council_about", &f.about, "textarea"),
        Field::new("address", "f_council_address", &f.address, "text"),
        Field::new("phone", "f_council_phone", &f.phone, "tel"),
        Field::new("email", "f_council_email", &f.email, "email").required().hint("f_council_email_hint"),
        Field::new("attendance", "f_attendance", &f.attendance, "textarea").required().hint("f_attendance_hint"),
    ]
}

#[derive(Template)]
#[template(path = "staff/councils.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    pub councils: Vec<Council>,
    /// Publications made late, with their council's name.
    pub late: Vec<(Publication, String)>,
    /// Meetings held without minutes: the meeting, its council, the day they are due.
    pub unpublished: Vec<meetings::Unpublished>,
    pub today: String,
    pub forms: Vec<FormBox>,
}

impl ListPage {
    pub fn form(&self, id: &str) -> Option<&FormBox> {
        self.forms.iter().find(|f| f.id == id)
    }
}

async fn list_page(step: &Step, form: FormBox) -> AppResult<Response> {
    let councils = store::list(step.db(), Some(step.body().id)).await?;
    let late = store::late_of_body(step.db(), step.body().id).await?;
    let unpublished = meetings::without_minutes(step.db(), &step.state.cfg, &step.cal, step.now)
        .await?
        .into_iter()
        .filter(|u| u.body_id == step.body().id)
        .collect();
    let refused = !form.errors.is_empty() || form.fields.iter().any(|f| f.error.is_some());
    let c = step.chrome("desk_councils", "councils/", step.v.t("desk_councils")).await;
    let page = ListPage {
        c,
        body: step.body().clone(),
        councils,
        late,
        unpublished,
        today: step.today.to_string(),
        forms: vec![form],
    };
    render_refused(&page, refused)
}

fn new_council_form(step: &Step, f: &CouncilForm) -> FormBox {
    FormBox::new("council", step.page("councils/"), card_fields(step, f), "create_council")
}

pub async fn list(step: Step) -> AppResult<Response> {
    let form = new_council_form(&step, &CouncilForm::default());
    list_page(&step, form).await
}

pub async fn create(step: Step, Form(f): Form<CouncilForm>) -> AppResult<Response> {
    let checked = match store::check_council(&f) {
        Ok(c) => c,
        Err(kernel::Error::Form(errors)) => return list_page(&step, new_council_form(&step, &f).refuse(errors)).await,
        Err(e) => return Err(e.into()),
    };
    let id = store::create(step.db(), &step.actor(), step.now, step.body().id, &checked).await?;
    Ok(Redirect::to(&format!("{}?done=created", step.page(&format!("councils/{id}")))).into_response())
}

async fn council_in_scope(step: &Step, id: i64) -> AppResult<Council> {
    store::get(step.db(), id).await?.filter(|c| c.body_id == step.body().id).ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "staff/council.html")]
pub struct CouncilPage {
    pub c: Chrome,
    pub body: Body,
    pub council: Council,
    pub members: Vec<Member>,
    pub publications: Vec<Publication>,
    pub meetings: Vec<Meeting>,
    /// Draft work plans put to discussion.
    pub plans: Vec<crate::plans::Plan>,
    pub forms: Vec<FormBox>,
    /// A problem with one member's form: (member id, message).
    pub member_error: Option<(i64, String)>,
    pub notice: String,
    /// The earliest day a meeting announced today may be held without being extraordinary.
    pub earliest: String,
    pub freshness_days: i64,
    pub notice_days: i64,
}

impl CouncilPage {
    pub fn form(&self, id: &str) -> Option<&FormBox> {
        self.forms.iter().find(|f| f.id == id)
    }

    pub fn refused(&self) -> bool {
        self.member_error.is_some() || self.forms.iter().any(|f| shell::forms::refused(&f.fields, &f.errors))
    }

    pub fn member_error(&self, id: &i64) -> Option<&str> {
        self.member_error.as_ref().filter(|(m, _)| m == id).map(|(_, e)| e.as_str())
    }
}

/// The forms of a council's page, with `failed` (one of them, refused) in place of its empty one.
fn council_forms(step: &Step, council: &Council, failed: Option<FormBox>) -> Vec<FormBox> {
    let base = step.page(&format!("councils/{}", council.id));
    let card = CouncilForm {
        kind: council.kind.clone(),
        name: council.name.clone(),
        about: council.about.clone(),
        address: council.address.clone(),
        phone: council.phone.clone(),
        email: council.email.clone(),
        attendance: council.attendance.clone(),
    };
    let mut member =
        FormBox::new("member", format!("{base}/members"), member_fields(step, &MemberForm::default()), "add_member");
    member.multipart = true;
    let mut forms = vec![
        FormBox::new("meeting", format!("{base}/meetings"), meeting_fields(step, &AnnounceForm::default()), "announce"),
        member,
        FormBox::new(
            "document",
            format!("{base}/documents"),
            document_fields(step, &DocumentForm::default()),
            "publish_document",
        ),
        FormBox::new("plan", format!("{base}/plans"), plan_fields(&crate::plans::PlanForm::default()), "plan_put_up"),
        FormBox::new("card", base.clone(), card_fields(step, &card), "save"),
    ];
    if let Some(f) = failed
        && let Some(slot) = forms.iter_mut().find(|x| x.id == f.id)
    {
        *slot = f;
    }
    forms
}

fn plan_fields(f: &crate::plans::PlanForm) -> Vec<Field> {
    vec![
        Field::new("plan_title", "f_plan_title", &f.plan_title, "text").required(),
        Field::new("plan_items", "f_plan_items", &f.plan_items, "textarea").required().hint("f_plan_items_hint"),
        Field::new("plan_until", "f_plan_until", &f.plan_until, "text").required().hint("f_plan_until_hint"),
    ]
}

/// The council's page with the draft plan's form refused.
pub(crate) async fn plan_refused(
    step: &Step,
    council: Council,
    f: &crate::plans::PlanForm,
    errors: Vec<(&'static str, String)>,
) -> AppResult<Response> {
    let action = step.page(&format!("councils/{}/plans", council.id));
    let failed = FormBox::new("plan", action, plan_fields(f), "plan_put_up").refuse(errors);
    council_page(step, council, Some(failed), (None, String::new())).await
}

fn member_fields(step: &Step, f: &MemberForm) -> Vec<Field> {
    vec![
        Field::new("full_name", "f_member_name", &f.full_name, "text").required(),
        Field::select("role", "f_member_role", &f.role, options("member_role", store::ROLES, &step.v)).required(),
        Field::new("affiliation", "f_member_affiliation", &f.affiliation, "text"),
        Field::new("term_from", "f_term_from", &f.term_from, "text").hint("f_date_hint"),
        Field::new("term_until", "f_term_until", &f.term_until, "text").hint("f_date_hint"),
        Field::new("consent", "f_member_consent", &f.consent, "checkbox").hint("f_member_consent_hint"),
        Field::new("photo", "f_member_photo", "image/jpeg,image/png", "onefile").hint("f_member_photo_hint"),
        Field::new("approved_on", "f_approved_on", &f.approved_on, "text").required().hint("f_approved_on_hint"),
        Field::new("approved_by", "f_approved_by", &f.approved_by, "text").hint("f_approved_by_hint"),
    ]
}

fn document_fields(step: &Step, f: &DocumentForm) -> Vec<Field> {
    let kinds = options("council_document", store::DOCUMENTS, &step.v);
    vec![
        Field::select("doc_kind", "f_document_kind", &f.kind, kinds).required(),
        Field::new("doc_title", "f_document_title", &f.title, "text").required(),
        Field::new("doc_text", "f_document_text", &f.text, "textarea").required(),
        Field::new("doc_approved_on", "f_approved_on", &f.approved_on, "text").required().hint("f_approved_on_hint"),
        Field::new("doc_approved_by", "f_approved_by", &f.approved_by, "text").hint("f_approved_by_hint"),
    ]
}

fn meeting_fields(_step: &Step, f: &AnnounceForm) -> Vec<Field> {
    vec![
        Field::new("date", "f_meeting_date", &f.date, "text").required().hint("f_date_hint"),
        Field::new("starts", "f_meeting_starts", &f.starts, "text").required().hint("f_time_hint"),
        Field::new("ends", "f_meeting_ends", &f.ends, "text").required().hint("f_time_hint"),
        Field::new("place", "f_meeting_place", &f.place, "text").required(),
        Field::new("agenda", "f_agenda", &f.agenda, "textarea").required().hint("f_agenda_hint"),
        Field::new("documents", "f_meeting_documents", &f.documents, "textarea").hint("f_meeting_documents_hint"),
        Field::new("meeting_attendance", "f_attendance", &f.attendance, "textarea").hint("f_meeting_attendance_hint"),
        Field::new("capacity", "f_capacity", &f.capacity, "text").hint("f_capacity_hint"),
        Field::new("stream_url", "f_stream_url", &f.stream_url, "url"),
        Field::new("extraordinary", "f_extraordinary", &f.extraordinary, "textarea").hint("f_extraordinary_hint"),
        Field::new("closed", "f_closed", &f.closed, "checkbox"),
        Field::new("closed_law", "f_closed_law", &f.closed_law, "text").hint("f_closed_law_hint"),
    ]
}

async fn council_page(
    step: &Step,
    council: Council,
    failed: Option<FormBox>,
    (member_error, notice): (Option<(i64, String)>, String),
) -> AppResult<Response> {
    let members = store::members(step.db(), council.id).await?;
    let publications = store::publications(step.db(), council.id).await?;
    let meetings = meetings::of_council(step.db(), council.id).await?;
    let plans = crate::plans::of_council(step.db(), council.id).await?;
    let refused = failed.is_some() || member_error.is_some();
    let forms = council_forms(step, &council, failed);
    let rules = rules(step);
    let c = step.chrome("desk_councils", "councils/", &council.name.clone()).await;
    let page = CouncilPage {
        c,
        body: step.body().clone(),
        council,
        members,
        publications,
        meetings,
        plans,
        forms,
        member_error,
        notice,
        earliest: rules.earliest().strftime("%d.%m.%Y").to_string(),
        freshness_days: step.state.cfg.council_freshness_days,
        notice_days: step.state.cfg.council_notice_days,
    };
    render_refused(&page, refused)
}

fn rules(step: &Step) -> meetings::Rules<'_> {
    meetings::Rules {
        now: step.now,
        today: step.today,
        tz: &step.state.timezone,
        notice_days: step.state.cfg.council_notice_days,
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn detail(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> AppResult<Response> {
    let council = council_in_scope(&step, id).await?;
    let notice = match q.done.as_str() {
        "late" => step.v.t("published_late").replace("{n}", &step.state.cfg.council_freshness_days.to_string()),
        "" => String::new(),
        _ => step.v.t("saved").to_string(),
    };
    council_page(&step, council, None, (None, notice)).await
}

fn done(step: &Step, id: i64, late: bool, anchor: &str) -> Response {
    let done = if late { "late" } else { "saved" };
    Redirect::to(&format!("{}?done={done}#{anchor}", step.page(&format!("councils/{id}")))).into_response()
}

pub async fn update(step: Step, Path((_, id)): Path<(String, i64)>, Form(f): Form<CouncilForm>) -> AppResult<Response> {
    let council = council_in_scope(&step, id).await?;
    match store::check_council(&f) {
        Ok(checked) => {
            store::update(step.db(), &step.actor(), step.now, &council, &checked).await?;
            Ok(done(&step, id, false, "card"))
        }
        Err(kernel::Error::Form(errors)) => {
            let base = step.page(&format!("councils/{id}"));
            let failed = FormBox::new("card", base, card_fields(&step, &f), "save").refuse(errors);
            council_page(&step, council, Some(failed), (None, String::new())).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_member(step: Step, Path((_, id)): Path<(String, i64)>, mp: Multipart) -> AppResult<Response> {
    let council = council_in_scope(&step, id).await?;
    let (fields, mut files) = shell::forms::multipart(mp, &["photo"]).await?;
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let f = MemberForm {
        full_name: get("full_name"),
        role: get("role"),
        affiliation: get("affiliation"),
        term_from: get("term_from"),
        term_until: get("term_until"),
        consent: get("consent"),
        approved_on: get("approved_on"),
        approved_by: get("approved_by"),
    };
    let refuse = |errors: Vec<(&'static str, String)>| {
        let mut b = FormBox::new(
            "member",
            step.page(&format!("councils/{id}/members")),
            member_fields(&step, &f),
            "add_member",
        );
        b.multipart = true;
        b.refuse(errors)
    };
    let mut checked = match store::check_member(&f, step.today) {
        Ok(m) => Ok(m),
        Err(kernel::Error::Form(errors)) => Err(errors),
        Err(e) => return Err(e.into()),
    };
    let photo = match files.remove("photo") {
        None => None,
        Some(upload) => {
            let prepared = tokio::task::spawn_blocking(move || office::picture::prepare(&upload.bytes))
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            match prepared {
                Ok(p) => Some(p.jpeg),
                Err(e) => {
                    let problem = ("photo", format!("фотография не принята: {e}"));
                    checked = Err(match checked {
                        Ok(_) => vec![problem],
                        Err(mut list) => {
                            list.push(problem);
                            list
                        }
                    });
                    None
                }
            }
        }
    };
    let m = match checked {
        Ok(m) => m,
        Err(errors) => return council_page(&step, council, Some(refuse(errors)), (None, String::new())).await,
    };
    let key = match photo {
        Some(jpeg) => {
            let key = format!("councils/{}/member-{}.jpg", council.id, &kernel::staff::sha256_hex_bytes(&jpeg)[..16]);
            step.state.storage.put(&key, jpeg.into()).await.map_err(AppError::Internal)?;
            key
        }
        None => String::new(),
    };
    let late = store::add_member(step.db(), &step.actor(), published(&step), &council, &m, &key).await?;
    Ok(done(&step, id, late, "members"))
}

/// A member's change: consent given or withdrawn, or leaving the council (with the approval).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MemberChange {
    consent: String,
    leave: String,
    approved_on: String,
    approved_by: String,
}

pub async fn change_member(
    step: Step,
    Path((_, id, cid)): Path<(String, i64, i64)>,
    Form(f): Form<MemberChange>,
) -> AppResult<Response> {
    let council = council_in_scope(&step, id).await?;
    let members = store::members(step.db(), council.id).await?;
    let member = members.into_iter().find(|m| m.id == cid).ok_or(AppError::NotFound)?;
    let left = if f.leave == "1" && member.current() {
        let mut errors = Vec::new();
        match store::check_approval(&f.approved_on, &f.approved_by, step.today, &mut errors) {
            Some(a) if errors.is_empty() => Some(a),
            _ => {
                let message = errors.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ");
                return council_page(&step, council, None, (Some((cid, message)), String::new())).await;
            }
        }
    } else {
        None
    };
    let late = store::change_member(
        step.db(),
        &step.actor(),
        published(&step),
        &council,
        &member,
        (f.consent == "1", left.as_ref()),
    )
    .await?;
    Ok(done(&step, id, late, "members"))
}

pub async fn add_document(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<DocumentForm>,
) -> AppResult<Response> {
    let council = council_in_scope(&step, id).await?;
    match store::add_document(step.db(), &step.actor(), published(&step), &council, &f).await {
        Ok(late) => Ok(done(&step, id, late, "documents")),
        Err(kernel::Error::Form(errors)) => {
            let action = step.page(&format!("councils/{id}/documents"));
            let failed =
                FormBox::new("document", action, document_fields(&step, &f), "publish_document").refuse(errors);
            council_page(&step, council, Some(failed), (None, String::new())).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn announce(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<AnnounceForm>,
) -> AppResult<Response> {
    let council = council_in_scope(&step, id).await?;
    let members = store::members(step.db(), council.id).await?;
    match meetings::check(&f, &council, &members, &rules(&step)) {
        Ok(a) => {
            let mid = meetings::announce(step.db(), &step.actor(), step.now, &council, &a).await?;
            Ok(Redirect::to(&format!("{}?done=announced", step.page(&format!("councils/meetings/{mid}"))))
                .into_response())
        }
        Err(kernel::Error::Form(errors)) => {
            let action = step.page(&format!("councils/{id}/meetings"));
            let failed = FormBox::new("meeting", action, meeting_fields(&step, &f), "announce").refuse(errors);
            council_page(&step, council, Some(failed), (None, String::new())).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "staff/meeting.html")]
pub struct MeetingPage {
    pub c: Chrome,
    pub body: Body,
    pub council: Council,
    pub meeting: Meeting,
    pub agenda: Vec<Item>,
    pub members: Vec<Member>,
    pub registrations: Vec<Registration>,
    pub now: i64,
    pub minutes_due: String,
    pub notice: String,
    pub errors: Vec<String>,
    /// The minutes form as sent, when it was refused.
    pub sent: HashMap<String, String>,
}

impl MeetingPage {
    /// The speaker in the reader's language: a member without consent as «член совета».
    pub fn speaker(&self, i: &Item) -> String {
        match self.members.iter().find(|m| m.id == i.speaker_member) {
            Some(m) if m.public_name().is_none() => self.c.t("member_no_consent").to_string(),
            _ => i.public_speaker(&self.members),
        }
    }

    pub fn held(&self) -> bool {
        self.meeting.held(self.now)
    }

    /// A field of the minutes form: as sent when refused, else as stored.
    pub fn typed(&self, field: &str, stored: &str) -> String {
        self.sent.get(field).cloned().unwrap_or_else(|| stored.to_string())
    }

    pub fn decision(&self, i: &Item) -> String {
        self.typed(&format!("decision_{}", i.ord), &i.decision)
    }

    pub fn status_of(&self, i: &Item) -> String {
        self.typed(&format!("status_{}", i.ord), &i.decision_status)
    }

    pub fn statuses(&self) -> &'static [&'static str] {
        meetings::DECISION_STATUSES
    }
}

async fn meeting_in_scope(step: &Step, mid: i64) -> AppResult<(Council, Meeting)> {
    let meeting = meetings::get(step.db(), mid).await?.ok_or(AppError::NotFound)?;
    let council = council_in_scope(step, meeting.council_id).await?;
    Ok((council, meeting))
}

async fn meeting_page(
    step: &Step,
    mid: i64,
    errors: Vec<String>,
    sent: HashMap<String, String>,
    notice: String,
) -> AppResult<Response> {
    let (council, meeting) = meeting_in_scope(step, mid).await?;
    let agenda = meetings::agenda(step.db(), mid).await?;
    let members = store::members(step.db(), council.id).await?;
    let registrations = registrations::of_meeting(step.db(), mid).await?;
    let minutes_due =
        meetings::minutes_due(&step.cal, &meeting, &step.state.timezone, step.state.cfg.council_minutes_working_days)
            .map(|d| d.strftime("%d.%m.%Y").to_string())
            .unwrap_or_default();
    let title = format!("{}: {}", step.v.t("meeting"), crate::ical::when_ru(meeting.starts_at, &step.state.timezone));
    let c = step.chrome("desk_councils", "councils/", &title).await;
    let refused = !errors.is_empty();
    let page = MeetingPage {
        c,
        body: step.body().clone(),
        council,
        meeting,
        agenda,
        members,
        registrations,
        now: step.now,
        minutes_due,
        notice,
        errors,
        sent,
    };
    render_refused(&page, refused)
}

pub async fn meeting(
    step: Step,
    Path((_, mid)): Path<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> AppResult<Response> {
    let notice = match q.done.as_str() {
        "" => String::new(),
        "announced" => step.v.t("meeting_announced").to_string(),
        "cancelled" => step.v.t("meeting_cancelled").to_string(),
        _ => step.v.t("saved").to_string(),
    };
    meeting_page(&step, mid, Vec::new(), HashMap::new(), notice).await
}

pub async fn minutes(
    step: Step,
    Path((_, mid)): Path<(String, i64)>,
    Form(sent): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let (council, meeting) = meeting_in_scope(&step, mid).await?;
    let agenda = meetings::agenda(step.db(), mid).await?;
    let get = |k: &str| sent.get(k).cloned().unwrap_or_default();
    let f = MinutesForm {
        minutes: get("minutes"),
        attended: get("attended"),
        transcript: get("transcript"),
        recording_url: get("recording_url"),
        decisions: agenda
            .iter()
            .map(|i| (i.ord, get(&format!("decision_{}", i.ord)), get(&format!("status_{}", i.ord))))
            .collect(),
    };
    match meetings::publish_minutes(step.db(), &step.actor(), step.now, (&council, &meeting), &f).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}?done=minutes", step.page(&format!("councils/meetings/{mid}"))))
                .into_response())
        }
        Err(kernel::Error::Form(errors)) => {
            let errors = errors.into_iter().map(|(_, m)| m).collect();
            meeting_page(&step, mid, errors, sent, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CancelForm {
    reason: String,
}

/// Cancels a meeting that has not begun; everyone registered is written to.
pub async fn cancel(step: Step, Path((_, mid)): Path<(String, i64)>, Form(f): Form<CancelForm>) -> AppResult<Response> {
    let (council, meeting) = meeting_in_scope(&step, mid).await?;
    let w = registrations::Where {
        meeting: &meeting,
        page: crate::http::public::meeting_url(&step.state.cfg.public_url, &step.body().slug, mid),
        council: &council.name,
        when: crate::ical::when_ru(meeting.starts_at, &step.state.timezone),
    };
    match registrations::cancel_meeting(step.db(), &step.actor(), step.now, &w, council.body_id, &f.reason).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}?done=cancelled", step.page(&format!("councils/meetings/{mid}"))))
                .into_response())
        }
        Err(e) => match e.about_input() {
            Some(message) => meeting_page(&step, mid, vec![message], HashMap::new(), String::new()).await,
            None => Err(e.into()),
        },
    }
}

/// Who registered, for the entrance: names and statuses (addresses stay on the page).
pub async fn registrations_csv(step: Step, Path((_, mid)): Path<(String, i64)>) -> AppResult<Response> {
    let (_, meeting) = meeting_in_scope(&step, mid).await?;
    let list = registrations::of_meeting(step.db(), meeting.id).await?;
    let mut out = kernel::csv::row(&["№".to_string(), "ФИО".into(), "Запись".into(), "Дата записи".into()]);
    for (n, r) in list.iter().filter(|r| r.status == "seat" || r.status == "waiting").enumerate() {
        out.push_str(&kernel::csv::row(&[
            (n + 1).to_string(),
            r.full_name.clone(),
            step.v.label("registration_status", &r.status).to_string(),
            shell::chrome::day(
                step.v.lang,
                &jiff::Timestamp::from_millisecond(r.created_at)
                    .map(|t| t.to_zoned(step.state.timezone.clone()).date().to_string())
                    .unwrap_or_default(),
            ),
        ]));
    }
    Ok(attachment(out.into(), &format!("registrations-{mid}.csv"), "text/csv; charset=utf-8", "private, no-store"))
}
