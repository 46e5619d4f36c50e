//! A body's catalogue items for its editors: what is late, missing or due first, then every
//! section; each item's page records where and when it was published (and the event its term
//! runs from), or why it does not apply — and undoes that.

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::response::Response;
use kernel::bodies::Body;
use shell::chrome::Chrome;
use shell::error::{AppError, AppResult};
use shell::forms::Field;
use shell::render::render_refused;
use shell::step::Step;

use crate::catalogue::Item;
use crate::store::{self, RecordForm, Stored};

use super::{ItemView, grouped, kind_options, views};

#[derive(Template)]
#[template(path = "staff/site.html")]
pub struct SitePage {
    pub c: Chrome,
    pub body: Body,
    pub urgent: Vec<ItemView>,
    pub sections: Vec<(String, Vec<ItemView>)>,
    pub kind: String,
    pub kinds: Vec<(String, String)>,
    pub kind_error: Option<String>,
    pub counts: [usize; 5],
}

async fn site_page(step: &Step, kind_error: Option<String>) -> AppResult<Response> {
    let items = store::catalogue(step.db()).await?;
    let kind = store::body_kind(step.db(), step.body().id).await?;
    let records = store::records(step.db(), step.body().id).await?;
    let all = views(step.v.lang, &items, &kind, &records, step.today, &step.cal);
    let mut urgent: Vec<ItemView> = all.iter().filter(|v| v.urgent()).cloned().collect();
    urgent.sort_by_key(|v| std::cmp::Reverse(v.state.urgency()));
    let count = |class: &str| all.iter().filter(|v| v.class == class).count();
    let counts = [count("late"), count("missing"), count("due"), count("fresh"), count("na")];
    let refused = kind_error.is_some();
    let kinds = kind_options(step.v.lang);
    let c = step.chrome("desk_site", "site/", step.v.t("desk_site")).await;
    let body = step.body().clone();
    let page = SitePage { c, body, urgent, sections: grouped(&all), kind, kinds, kind_error, counts };
    render_refused(&page, refused)
}

pub async fn list(step: Step) -> AppResult<Response> {
    site_page(&step, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct KindForm {
    kind: String,
}

pub async fn set_kind(step: Step, Form(f): Form<KindForm>) -> AppResult<Response> {
    let done = store::set_body_kind(step.db(), &step.actor(), step.now, step.body().id, f.kind.trim()).await;
    let to = |()| format!("{}?done=saved", step.page("site/"));
    step.answer(done, to, |message| site_page(&step, Some(message))).await
}

#[derive(Template)]
#[template(path = "staff/site_item.html")]
pub struct ItemPage {
    pub c: Chrome,
    pub body: Body,
    pub view: ItemView,
    pub history: Vec<Stored>,
    /// The publication form's fields, and the «does not apply» form's.
    pub publish: Vec<Field>,
    pub exclude: Vec<Field>,
    pub errors: Vec<String>,
}

impl ItemPage {
    pub fn when(&self, r: &Stored) -> String {
        jiff::Timestamp::from_millisecond(r.created_at)
            .map(|t| t.to_zoned(self.c.timezone.clone()).strftime("%d.%m.%Y %H:%M").to_string())
            .unwrap_or_default()
    }

    pub fn date(&self, iso: &str) -> String {
        iso.parse::<deadlines::Date>().map(super::ru_date).unwrap_or_default()
    }

    pub fn action(&self, r: &Stored) -> &'static str {
        match r.action.as_str() {
            "published" if r.published_on.is_empty() => self.c.t("site_action_event"),
            "published" => self.c.t("site_action_published"),
            "not_applicable" => self.c.t("site_action_na"),
            _ => self.c.t("site_action_applicable"),
        }
    }

    pub fn refused(&self) -> bool {
        shell::forms::refused(&self.publish, &self.errors) || self.exclude.iter().any(|f| f.error.is_some())
    }

    pub fn excluded(&self) -> bool {
        self.view.class == "na"
    }
}

async fn item_of(step: &Step, code: &str) -> AppResult<(Item, ItemView)> {
    let items = store::catalogue(step.db()).await?;
    let kind = store::body_kind(step.db(), step.body().id).await?;
    let item = items.iter().find(|i| i.code == code && i.applies(&kind)).cloned().ok_or(AppError::NotFound)?;
    let records: Vec<Stored> =
        store::records(step.db(), step.body().id).await?.into_iter().filter(|r| r.code == code).collect();
    let view = views(step.v.lang, std::slice::from_ref(&item), &kind, &records, step.today, &step.cal)
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok((item, view))
}

async fn item_page(
    step: &Step,
    code: &str,
    form: RecordForm,
    errors: Vec<(&'static str, String)>,
) -> AppResult<Response> {
    let (item, view) = item_of(step, code).await?;
    let history: Vec<Stored> =
        store::records(step.db(), step.body().id).await?.into_iter().filter(|r| r.code == code).rev().collect();
    let today = step.today.to_string();
    let published_on =
        if form.published_on.is_empty() && errors.is_empty() { today } else { form.published_on.clone() };
    let mut publish = vec![
        Field::new("url", "site_url", &form.url, "text").required().hint("site_url_hint"),
        Field::new("published_on", "site_published_on", &published_on, "date"),
        Field::new("event_on", "site_event_on", &form.event_on, "date").hint("site_event_on_hint"),
    ];
    let mut exclude = vec![Field::new("reason", "site_reason", &form.reason, "textarea").required()];
    let excluding = form.action == "not_applicable";
    let refused = !errors.is_empty();
    let errors = if excluding {
        shell::forms::attach_errors(&mut exclude, errors)
    } else {
        shell::forms::attach_errors(&mut publish, errors)
    };
    // The item's title is Russian data: an English page names the item by its code.
    let title = match step.v.lang {
        shell::i18n::Lang::Ru => item.title.clone(),
        shell::i18n::Lang::En => format!("{} {}", step.v.t("site_item_page"), item.code),
    };
    let c = step.chrome("desk_site", "site/", &title).await;
    let page = ItemPage { c, body: step.body().clone(), view, history, publish, exclude, errors };
    render_refused(&page, refused)
}

pub async fn item(step: Step, Path((_, code)): Path<(String, String)>) -> AppResult<Response> {
    item_page(&step, &code, RecordForm::default(), vec![]).await
}

pub async fn record(
    step: Step,
    Path((_, code)): Path<(String, String)>,
    Form(f): Form<RecordForm>,
) -> AppResult<Response> {
    let (item, _) = item_of(&step, &code).await?;
    let done = store::add_record(step.db(), &step.actor(), step.now, step.today, step.body().id, &item, &f).await;
    let to = |_| format!("{}?done=saved", step.page(&format!("site/items/{code}")));
    step.answer_form(done, to, |e| {
        let errors = match e {
            kernel::Error::Form(list) => list,
            kernel::Error::Invalid { field, message } => vec![(field.unwrap_or("action"), message)],
            other => vec![("action", other.to_string())],
        };
        item_page(&step, &code, f.clone(), errors)
    })
    .await
}
