//! The site's pages: a body's catalogue items for its editors, most urgent first, each with its
//! own page to record a publication or why it does not apply (`staff`); the portal admin's
//! catalogue, downloaded and loaded as CSV (`admin`); the public «Информация о деятельности»
//! page of a body (`public`); content (`editor`, `published`), reception, the premises, stands and
//! social pages (`premises`).

pub mod admin;
pub mod editor;
pub mod income;
pub mod premises;
pub mod public;
pub mod published;
pub mod reception;
pub mod staff;
pub mod statements;
pub mod strings;

use std::collections::HashMap;

use deadlines::{Calendar, Date};
use kernel::bodies::Body;
use kernel::staff::Role;
use shell::AppState;
use shell::chrome::Visitor;
use shell::error::AppResult;
use shell::i18n::Lang;
use shell::mechanism::{Cell, FigureRow, Figures, Todo};
use shell::obligations::{Evidence, Obligation, Standing};

use crate::catalogue::Item;
use crate::freshness::{self, Freshness};
use crate::store::Stored;

/// The body whose public pages these are, or not found.
pub(crate) async fn body_of(state: &AppState, slug: &str) -> AppResult<Body> {
    state.directory().await?.body(slug).cloned().ok_or(shell::error::AppError::NotFound)
}

/// The form that loads a table from a file (`staff/table_upload.html`): its heading's and its
/// explanation's keys, and where it is sent.
pub struct TableUpload {
    pub heading: &'static str,
    pub columns: &'static str,
    pub action: String,
}

impl TableUpload {
    /// The form for a body's staff page `/staff/o/{slug}/site/{page}`.
    pub fn new(body: &Body, page: &str, (heading, columns): (&'static str, &'static str)) -> TableUpload {
        TableUpload { heading, columns, action: format!("/staff/o/{}/site/{page}", body.slug) }
    }
}

/// The chrome of a body's public page in one of its services: the body, the service (its name's
/// key and its folder, `/o/{slug}/{folder}/`) and, when `last` is given, the page within it.
pub(crate) async fn service_chrome(
    state: &AppState,
    v: &Visitor,
    body: &Body,
    (key, folder): (&str, &str),
    last: Option<&str>,
) -> shell::chrome::Chrome {
    let service = v.t(key);
    let c = shell::chrome::Chrome::new(state, v, format!("{} — {}", last.unwrap_or(service), body.short_name))
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug));
    match last {
        Some(l) => c.crumb(service, format!("/o/{}/{folder}/", body.slug)).crumb(l.to_string(), ""),
        None => c.crumb(service, ""),
    }
}

/// Now on the portal's clock in its time zone, and as `YYYY-MM-DDTHH:MM` (how reception times
/// are stored).
pub(crate) fn now_local(state: &AppState) -> (jiff::civil::DateTime, String) {
    let now = jiff::Timestamp::from_millisecond(state.clock.now_ms())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(state.timezone.clone())
        .datetime();
    (now, now.strftime("%Y-%m-%dT%H:%M").to_string())
}

/// Who may record a body's publications and say an item does not apply.
pub const EDITORS: &[Role] = &[Role::Editor, Role::OpennessCoordinator, Role::PressSecretary];

/// One catalogue item as a body's pages show it.
#[derive(Clone)]
pub struct ItemView {
    pub item: Item,
    pub state: Freshness,
    /// A class for its style: fresh, due, late, missing, na.
    pub class: &'static str,
    pub text: String,
    /// Where the body published it last, if it said.
    pub url: String,
}

impl ItemView {
    pub fn published(&self) -> String {
        self.state.published_on().map(ru_date).unwrap_or_default()
    }

    /// The badge style of its state.
    pub fn badge(&self) -> &'static str {
        match self.class {
            "fresh" => "badge-ok",
            "due" => "badge-soon",
            "na" => "badge-done",
            _ => "badge-overdue",
        }
    }

    pub fn urgent(&self) -> bool {
        self.state.urgency() >= 3
    }
}

pub fn ru_date(d: Date) -> String {
    d.strftime("%d.%m.%Y").to_string()
}

/// The state in words, in the visitor's language, with its style class.
pub fn describe(lang: Lang, state: &Freshness) -> (&'static str, String) {
    let ru = lang == Lang::Ru;
    match state {
        Freshness::NotApplicable { reason } => (
            "na",
            if ru {
                format!("не относится к органу: {reason}")
            } else {
                format!("does not apply: {reason}")
            },
        ),
        Freshness::Missing => ("missing", if ru { "не размещено".into() } else { "not published".into() }),
        Freshness::Fresh { published_on } => (
            "fresh",
            if ru {
                format!("актуально, размещено {}", ru_date(*published_on))
            } else {
                format!("up to date, published {}", ru_date(*published_on))
            },
        ),
        Freshness::Due { due } => (
            "due",
            if ru {
                format!("обновить до {}", ru_date(*due))
            } else {
                format!("update by {}", ru_date(*due))
            },
        ),
        Freshness::Late { due, published_on: None, working_days, days } => (
            "late",
            if ru {
                format!("просрочено с {}: {working_days} раб. дн. ({days} дн.)", ru_date(*due))
            } else {
                format!("late since {}: {working_days} working days ({days} days)", ru_date(*due))
            },
        ),
        Freshness::Late { due, published_on: Some(p), working_days, .. } => (
            "late",
            if ru {
                format!("размещено {} с опозданием на {working_days} раб. дн. (срок — {})", ru_date(*p), ru_date(*due))
            } else {
                format!("published {} — {working_days} working days late (due {})", ru_date(*p), ru_date(*due))
            },
        ),
    }
}

/// The items that apply to a body of `kind`, each with its state from the body's records.
pub fn views(lang: Lang, items: &[Item], kind: &str, records: &[Stored], today: Date, cal: &Calendar) -> Vec<ItemView> {
    let mut by_code: HashMap<&str, Vec<&Stored>> = HashMap::new();
    for r in records {
        by_code.entry(r.code.as_str()).or_default().push(r);
    }
    items
        .iter()
        .filter(|i| i.applies(kind))
        .map(|i| {
            let mine = by_code.get(i.code.as_str()).cloned().unwrap_or_default();
            let recs: Vec<freshness::Record> = mine.iter().map(|r| r.record()).collect();
            let state = match i.schedule() {
                Some(s) => freshness::check(&s, &recs, today, cal),
                None => Freshness::Missing,
            };
            let (class, text) = describe(lang, &state);
            let url = mine.iter().rev().find(|r| r.action == "published").map(|r| r.url.clone()).unwrap_or_default();
            ItemView { item: i.clone(), state, class, text, url }
        })
        .collect()
}

/// Items grouped by section in the catalogue's order.
pub fn grouped(views: &[ItemView]) -> Vec<(String, Vec<ItemView>)> {
    let mut out: Vec<(String, Vec<ItemView>)> = Vec::new();
    for v in views {
        match out.iter_mut().find(|(s, _)| *s == v.item.section) {
            Some((_, list)) => list.push(v.clone()),
            None => out.push((v.item.section.clone(), vec![v.clone()])),
        }
    }
    out
}

/// The body kinds with their names, for a select.
pub fn kind_options(lang: Lang) -> Vec<(String, String)> {
    let names: [(&str, &str, &str); 3] = [
        ("executive", "исполнительный орган государственной власти", "executive body of state power"),
        ("local", "орган местного самоуправления", "body of local self-government"),
        ("subordinate", "подведомственная организация", "subordinate organisation"),
    ];
    names
        .iter()
        .map(|(k, ru, en)| (k.to_string(), if lang == Lang::Ru { ru.to_string() } else { en.to_string() }))
        .collect()
}

/// How many of a body's items are in each state.
#[derive(Default)]
pub struct Tally {
    pub late: usize,
    pub missing: usize,
    pub due: usize,
    pub fresh: usize,
    /// The most working days an item is (or was published) late.
    pub worst: i64,
}

pub fn tally(views: &[ItemView]) -> Tally {
    let mut t = Tally::default();
    for v in views {
        match &v.state {
            Freshness::Late { working_days, .. } => {
                t.late += 1;
                t.worst = t.worst.max(*working_days);
            }
            Freshness::Missing => t.missing += 1,
            Freshness::Due { .. } => t.due += 1,
            Freshness::Fresh { .. } => t.fresh += 1,
            Freshness::NotApplicable { .. } => {}
        }
    }
    t
}

/// A body's items with their states, as its pages show them.
pub async fn body_views(
    state: &AppState,
    lang: Lang,
    items: &[Item],
    body: &Body,
    today: Date,
    cal: &Calendar,
) -> AppResult<Vec<ItemView>> {
    let kind = crate::store::body_kind(&state.db, body.id).await?;
    let records = crate::store::records(&state.db, body.id).await?;
    Ok(views(lang, items, &kind, &records, today, cal))
}

/// The regional view's columns: per body, the items late (and by most how many working days),
/// missing and up to date.
pub fn region_figures<'a>(
    state: &'a AppState,
    v: &'a Visitor,
    bodies: &'a [Body],
    today: Date,
    cal: &'a std::sync::Arc<Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Figures>> {
    Box::pin(async move {
        let items = crate::store::catalogue(&state.db).await?;
        let columns = ["site_count_late", "site_worst", "site_count_missing", "site_count_fresh"]
            .iter()
            .map(|k| v.t(k).to_string())
            .collect();
        let mut rows = HashMap::new();
        for body in bodies {
            let t = tally(&body_views(state, v.lang, &items, body, today, cal).await?);
            let page = format!("/staff/o/{}/site/", body.slug);
            let late = Cell::link(t.late.to_string(), page);
            let worst =
                if t.worst > 0 { v.t("site_worst_days").replace("{n}", &t.worst.to_string()) } else { String::new() };
            let cells =
                vec![late, Cell::text(worst), Cell::text(t.missing.to_string()), Cell::text(t.fresh.to_string())];
            rows.insert(body.id, FigureRow { cells, urgency: t.late as u64 * 1_000 + t.missing as u64 });
        }
        Ok(Figures { heading: v.t("desk_site").to_string(), columns, rows })
    })
}

/// The compliance engine's obligations: each catalogue item that applies to a body, standing as
/// its freshness does; the evidence is the item's latest publication.
pub fn obligations<'a>(
    state: &'a AppState,
    bodies: &'a [Body],
    today: Date,
    cal: &'a std::sync::Arc<Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Vec<Obligation>>> {
    Box::pin(async move {
        let items = crate::store::catalogue(&state.db).await?;
        let mut out = Vec::new();
        for body in bodies {
            let page = format!("/staff/o/{}/site/", body.slug);
            for v in body_views(state, Lang::Ru, &items, body, today, cal).await? {
                let href = if v.url.is_empty() { page.clone() } else { v.url.clone() };
                let evidence = |on| Evidence { label: href.clone(), href: href.clone(), on };
                let standing = match v.state {
                    Freshness::NotApplicable { reason } => Standing::NotApplicable { reason },
                    Freshness::Missing => Standing::Missing,
                    Freshness::Fresh { published_on } => {
                        Standing::Met { evidence: evidence(published_on), late_for: None }
                    }
                    Freshness::Due { due } => Standing::Due { due },
                    Freshness::Late { due, published_on: Some(p), .. } => {
                        Standing::Met { evidence: evidence(p), late_for: Some(due) }
                    }
                    Freshness::Late { due, published_on: None, .. } => Standing::Late { due },
                };
                out.push(Obligation {
                    body_id: body.id,
                    key: format!("site/item/{}", v.item.code),
                    indicator: "site_item",
                    title: v.item.title.clone(),
                    source: v.item.basis.clone(),
                    href: format!("{page}items/{}", v.item.code),
                    standing,
                });
            }
        }
        Ok(out)
    })
}

/// The staff home's lines: for each body whose site the member keeps, its items late or missing.
pub fn todo<'a>(
    state: &'a AppState,
    v: &'a Visitor,
    user: &'a kernel::staff::StaffUser,
    bodies: &'a [Body],
    today: Date,
    cal: &'a std::sync::Arc<Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Vec<Todo>>> {
    Box::pin(async move {
        let mut out = Vec::new();
        let dir = state.directory().await?;
        // Read once, and only for someone who keeps a site (not, say, the portal admin).
        let mut items = None;
        for body in bodies {
            // Only the members of the body who record its publications; not everyone above it.
            let keeps = user
                .grants
                .iter()
                .any(|g| EDITORS.contains(&g.role) && g.body_id.is_some_and(|b| dir.chain(body.id).contains(&b)));
            if !keeps {
                continue;
            }
            let items = match &items {
                Some(i) => i,
                None => items.insert(crate::store::catalogue(&state.db).await?),
            };
            let t = tally(&body_views(state, v.lang, items, body, today, cal).await?);
            if t.late + t.missing + t.due > 0 {
                out.push(Todo {
                    text: format!(
                        "{}: {}",
                        body.short_name,
                        v.t("todo_site")
                            .replace("{late}", &t.late.to_string())
                            .replace("{missing}", &t.missing.to_string())
                            .replace("{due}", &t.due.to_string())
                    ),
                    href: format!("/staff/o/{}/site/", body.slug),
                    urgent: t.late > 0,
                });
            }
        }
        Ok(out)
    })
}
