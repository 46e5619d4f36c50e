//! What a body's editors publish: the list of the body's content by kind, a form to publish a new
//! thing, and each thing's page to change it (a new version each time), withdraw it with a
//! reason or return it — with its versions and their differences.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query};
use axum::response::Response;
use kernel::bodies::Body;
use shell::chrome::Chrome;
use shell::error::{AppError, AppResult};
use shell::forms::Field;
use shell::render::render_refused;
use shell::step::Step;

use crate::content::{ACT_KINDS, Fields, KINDS, Kind};
use crate::content_store::{self, Content, Listing, Place, Sent, Upload, Version};

/// A page of the staff list.
const PAGE: i64 = 50;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    kind: String,
    page: i64,
}

#[derive(Template)]
#[template(path = "staff/content.html")]
pub struct ListPage {
    pub c: Chrome,
    pub body: Body,
    pub kind: Option<Kind>,
    pub kinds: Vec<(Kind, &'static str)>,
    pub rows: Vec<Content>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

pub async fn list(step: Step, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let kind = Kind::parse(&q.kind);
    let page = q.page.max(1);
    let listing = Listing { kind, withdrawn: true, offset: (page - 1) * PAGE, limit: PAGE };
    let (rows, total) = content_store::list(step.db(), step.body().id, listing).await?;
    let c = step.chrome("desk_content", "site/content/", step.v.t("desk_content")).await;
    let kinds = KINDS.iter().map(|k| (*k, k.plural_key())).collect();
    let pages = (total + PAGE - 1) / PAGE;
    render_refused(&ListPage { c, body: step.body().clone(), kind, kinds, rows, total, page, pages }, false)
}

#[derive(Template)]
#[template(path = "staff/content_edit.html")]
pub struct EditPage {
    pub c: Chrome,
    pub body: Body,
    pub kind: Kind,
    /// The thing changed, None for a new one.
    pub content: Option<Content>,
    pub versions: Vec<Version>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub reason: Field,
    pub action: String,
}

impl EditPage {
    pub fn public(&self) -> String {
        self.content.as_ref().map(|c| c.path(&self.body.slug)).unwrap_or_default()
    }
}

/// The form's fields for a thing of `kind`, filled with `f`.
async fn fields(step: &Step, kind: Kind, f: &Fields, editing: bool) -> AppResult<Vec<Field>> {
    let leader = kind == Kind::Leader;
    let title = if leader { "content_leader_name" } else { "content_title" };
    let mut out = vec![Field::new("title", title, &f.title, "text").required()];
    if kind == Kind::Document {
        let mut kinds = vec![(String::new(), step.v.t("choose_body").to_string())];
        kinds.extend(ACT_KINDS.iter().map(|(k, key)| (k.to_string(), step.v.t(key).to_string())));
        out.push(Field::select("act_kind", "content_act_kind", &f.act_kind, kinds).required());
        out.push(Field::new("act_number", "content_act_number", &f.act_number, "text"));
        out.push(Field::new("act_date", "content_act_date", &f.act_date, "date").required());
    }
    if kind == Kind::Document {
        let accept = office::FORMATS.iter().map(|f| format!(".{}", f.extension())).collect::<Vec<_>>().join(",");
        let hint = if editing { "content_file_keep_hint" } else { "content_file_hint" };
        out.push(Field::new("file", "content_file", &accept, "onefile").hint(hint));
    }
    out.push(if leader {
        Field::new("lead", "content_leader_position", &f.lead, "text").required()
    } else {
        Field::new("lead", "content_lead", &f.lead, "textarea").hint("content_lead_hint")
    });
    if kind.has_picture() {
        let hint = if editing { "content_image_keep_hint" } else { "content_image_hint" };
        let label = if kind == Kind::Document { "content_infographic" } else { "content_image" };
        out.push(Field::new("image", label, ".jpg,.jpeg,.png,.webp", "onefile").hint(hint));
        out.push(Field::new("image_alt", "content_image_alt", &f.image_alt, "text").hint("content_image_alt_hint"));
    }
    if kind == Kind::Document {
        out.push(Field::new("video", "content_video", &f.video, "url").hint("content_video_hint"));
    }
    let text = Field::new("text", "content_text", &f.text, "textarea").hint("content_text_hint");
    out.push(if kind == Kind::Document { text } else { text.required() });
    // The catalogue items that apply to the body: publishing one records it.
    let items = crate::store::catalogue(step.db()).await?;
    let body_kind = crate::store::body_kind(step.db(), step.body().id).await?;
    let mut options = vec![(String::new(), step.v.t("content_item_none").to_string())];
    let ru = step.v.lang == shell::i18n::Lang::Ru;
    options.extend(
        items
            .iter()
            .filter(|i| i.applies(&body_kind))
            .map(|i| (i.code.clone(), if ru { format!("{} — {}", i.code, i.title) } else { i.code.clone() })),
    );
    out.push(Field::select("item", "content_item", &f.item, options).hint("content_item_hint"));
    if editing {
        out.push(Field::new("note", "content_note", &f.note, "text").hint("content_note_hint"));
    }
    Ok(out)
}

async fn edit_page(
    step: &Step,
    kind: Kind,
    content: Option<Content>,
    f: &Fields,
    errors: Vec<(&'static str, String)>,
    reason_error: Option<String>,
) -> AppResult<Response> {
    let mut fields = fields(step, kind, f, content.is_some()).await?;
    let refused = !errors.is_empty() || reason_error.is_some();
    let errors = shell::forms::attach_errors(&mut fields, errors);
    let versions = match &content {
        Some(c) => content_store::versions(step.db(), c.id).await?.into_iter().rev().collect(),
        None => vec![],
    };
    let (title, action) = match &content {
        Some(c) => (c.current.fields.title.clone(), step.page(&format!("site/content/{}", c.id))),
        None => (
            format!("{}: {}", step.v.t("content_new"), step.v.t(kind.one_key())),
            step.page(&format!("site/content/new/{}", kind.code())),
        ),
    };
    let c = step.chrome("desk_content", "site/content/", &title).await;
    let mut reason = Field::new("reason", "content_withdraw_reason", "", "textarea").required();
    reason.error = reason_error;
    let page = EditPage { c, body: step.body().clone(), kind, content, versions, fields, errors, reason, action };
    render_refused(&page, refused)
}

fn form_errors(e: kernel::Error) -> Vec<(&'static str, String)> {
    match e {
        kernel::Error::Form(list) => list,
        kernel::Error::Invalid { field, message } => vec![(field.unwrap_or("title"), message)],
        kernel::Error::Conflict { field, message } => vec![(field, message)],
        other => vec![("title", other.to_string())],
    }
}

pub async fn new(step: Step, Path((_, kind)): Path<(String, String)>) -> AppResult<Response> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    edit_page(&step, kind, None, &Fields::default(), vec![], None).await
}

/// The form as sent: its fields and the file and photo, if chosen.
async fn read_sent(mp: Multipart) -> AppResult<(Fields, Option<Upload>, Option<Upload>)> {
    let (mut sent, mut files) = shell::forms::multipart(mp, &["file", "image"]).await?;
    let mut take = |name: &str| sent.remove(name).unwrap_or_default();
    let f = Fields {
        title: take("title"),
        lead: take("lead"),
        text: take("text"),
        act_kind: take("act_kind"),
        act_number: take("act_number"),
        act_date: take("act_date"),
        image_alt: take("image_alt"),
        item: take("item"),
        note: take("note"),
        video: take("video"),
    };
    Ok((f, files.remove("file"), files.remove("image")))
}

pub async fn create(step: Step, Path((_, kind)): Path<(String, String)>, mp: Multipart) -> AppResult<Response> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    let (f, upload, picture) = read_sent(mp).await?;
    let place = Place { slug: &step.body().slug, today: step.today };
    let sent = Sent { fields: &f, upload, picture };
    let (storage, body_id) = (&step.state.storage, step.body().id);
    let done = content_store::create(step.db(), storage, &step.actor(), step.now, &place, body_id, kind, sent).await;
    let to = |id| format!("{}?done=created", step.page(&format!("site/content/{id}")));
    step.answer_form(done, to, |e| edit_page(&step, kind, None, &f, form_errors(e), None)).await
}

async fn found(step: &Step, id: i64) -> AppResult<Content> {
    content_store::get(step.db(), step.body().id, id).await?.ok_or(AppError::NotFound)
}

pub async fn show(step: Step, Path((_, id)): Path<(String, i64)>) -> AppResult<Response> {
    let content = found(&step, id).await?;
    let f = content.current.fields.clone();
    let f = Fields { note: String::new(), ..f };
    edit_page(&step, content.kind, Some(content), &f, vec![], None).await
}

pub async fn update(step: Step, Path((_, id)): Path<(String, i64)>, mp: Multipart) -> AppResult<Response> {
    let content = found(&step, id).await?;
    let (f, upload, picture) = read_sent(mp).await?;
    let place = Place { slug: &step.body().slug, today: step.today };
    let sent = Sent { fields: &f, upload, picture };
    let (storage, body_id) = (&step.state.storage, step.body().id);
    let done = content_store::update(step.db(), storage, &step.actor(), step.now, &place, body_id, id, sent).await;
    let to = |_| format!("{}?done=saved", step.page(&format!("site/content/{id}")));
    step.answer_form(done, to, |e| edit_page(&step, content.kind, Some(content.clone()), &f, form_errors(e), None))
        .await
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct WithdrawForm {
    action: String,
    reason: String,
}

pub async fn withdraw(
    step: Step,
    Path((_, id)): Path<(String, i64)>,
    Form(w): Form<WithdrawForm>,
) -> AppResult<Response> {
    let content = found(&step, id).await?;
    let reason = (w.action != "restore").then_some(w.reason.as_str());
    let done = content_store::withdraw(step.db(), &step.actor(), step.now, step.body().id, id, reason).await;
    let to = |()| format!("{}?done=saved", step.page(&format!("site/content/{id}")));
    let f = Fields { note: String::new(), ..content.current.fields.clone() };
    step.answer(done, to, |message| edit_page(&step, content.kind, Some(content.clone()), &f, vec![], Some(message)))
        .await
}
