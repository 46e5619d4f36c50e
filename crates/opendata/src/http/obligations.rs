//! The lists of what bodies must publish as open data: the regional coordinator's page (the
//! lists, loading their items from CSV, each list's items as CSV, every body's coverage and
//! overdue datasets) and a body's page (each item with the dataset that covers it or why it
//! does not apply, and the dataset's freshness).

use std::collections::HashMap;

use crate::obligations::{self, Cover, Coverage, Freshness, Item, Link, List};
use crate::store::{self, Dataset};
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use kernel::bodies::Body;
use kernel::staff::{Access, StaffUser};

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::Form;
use shell::mechanism::{Cell, FigureRow, Figures};
use shell::obligations::{Evidence, Obligation, Standing};
use shell::render::render_refused;
use shell::staff::Scoped;
use shell::step::{ItemError, Step};

/// One body's line of the coverage table: per list, in the lists' order.
pub struct BodyLine {
    pub body: Body,
    pub lists: Vec<Coverage>,
}

#[derive(Template)]
#[template(path = "staff/obligations.html")]
pub struct RegionPage {
    pub c: Chrome,
    pub lists: Vec<(List, Vec<Item>)>,
    pub lines: Vec<BodyLine>,
    pub may_load: bool,
    pub notice: Option<String>,
    pub error: ItemError,
}

/// Open data's column in the regional view: each body's coverage of the lists (items covered or
/// not applicable of all items), linked to its obligations page, and its overdue datasets.
pub fn region_figures<'a>(
    state: &'a AppState,
    v: &'a Visitor,
    bodies: &'a [Body],
    today: deadlines::Date,
    cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Figures>> {
    Box::pin(async move {
        let lists = obligations::lists(&state.db).await?;
        let items = obligations::items(&state.db).await?;
        let (coverage, _) = obligations::coverage(&state.db, &state.cfg, cal, today, None).await?;
        let mut rows = HashMap::new();
        for body in bodies {
            let (mut covered, mut all, mut overdue) = (0, 0, 0);
            for l in &lists {
                match coverage.get(&(body.id, l.id)) {
                    Some(c) => {
                        covered += c.covered + c.not_applicable;
                        all += c.items;
                        overdue += c.overdue;
                    }
                    None => all += items.iter().filter(|i| i.list_id == l.id).count(),
                }
            }
            let mut cell = if all == 0 {
                Cell::text("—")
            } else {
                Cell::link(format!("{covered} / {all}"), format!("/staff/o/{}/opendata/obligations", body.slug))
            };
            if all > 0 && overdue > 0 {
                cell.alert = Some(format!("{}: {overdue}", v.t("overdue_word")));
            }
            rows.insert(body.id, FigureRow { cells: vec![cell], urgency: overdue as u64 });
        }
        Ok(Figures { heading: v.t("region_opendata").to_string(), columns: Vec::new(), rows })
    })
}

/// The compliance engine's obligations: every item of every list for each body — not linked
/// yet: missing; linked to no dataset: not applicable, with the body's reason; linked to a
/// dataset: met by its newest version while that answers the list's last due day, late when it
/// does not, missing while the dataset is not published.
pub fn obligations<'a>(
    state: &'a AppState,
    bodies: &'a [Body],
    today: deadlines::Date,
    cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Vec<Obligation>>> {
    Box::pin(async move {
        let lists = obligations::lists(&state.db).await?;
        let items = obligations::items(&state.db).await?;
        let links: HashMap<(i64, i64), Link> =
            obligations::links(&state.db, None).await?.into_iter().map(|l| ((l.body_id, l.item_id), l)).collect();
        let latest = obligations::latest_versions(&state.db, &state.cfg).await?;
        let mut out = Vec::new();
        for body in bodies {
            let page = format!("/staff/o/{}/opendata/obligations", body.slug);
            for item in &items {
                let Some(list) = lists.iter().find(|l| l.id == item.list_id) else { continue };
                let standing = match links.get(&(body.id, item.id)) {
                    None => Standing::Missing,
                    Some(Link { dataset_id: None, reason, .. }) => Standing::NotApplicable { reason: reason.clone() },
                    Some(Link { dataset_id: Some(d), .. }) => {
                        let on = latest.get(d).copied();
                        let href = format!("/staff/o/{}/opendata/{d}", body.slug);
                        let evidence = |on| Evidence { label: href.clone(), href: href.clone(), on };
                        match (obligations::freshness(cal, &list.period, today, on), on) {
                            (Some(Freshness::Overdue(due)), _) => Standing::Late { due },
                            (Some(Freshness::NotPublished), _) | (_, None) => Standing::Missing,
                            (_, Some(on)) => Standing::Met { evidence: evidence(on), late_for: None },
                        }
                    }
                };
                out.push(Obligation {
                    body_id: body.id,
                    key: format!("opendata/item/{}", item.id),
                    indicator: "opendata_item",
                    title: format!("{} {}. {}", list.code, item.number, item.title),
                    source: list.act.clone(),
                    href: format!("{page}/{}", item.id),
                    standing,
                });
            }
        }
        Ok(out)
    })
}

/// The staff home's lines: for each body whose datasets the member publishes, the mandatory
/// datasets whose update is overdue — read from the kept regional figures, whose urgency for open
/// data is that number (`region_figures`), not worked out again per view.
pub fn todo<'a>(
    state: &'a AppState,
    v: &'a Visitor,
    user: &'a StaffUser,
    bodies: &'a [Body],
    // The kept figures were worked out for today on the portal's calendar.
    _today: deadlines::Date,
    _cal: &'a std::sync::Arc<deadlines::Calendar>,
) -> futures::future::BoxFuture<'a, AppResult<Vec<shell::mechanism::Todo>>> {
    Box::pin(async move {
        let dir = state.directory().await?;
        let mine: Vec<&Body> = bodies
            .iter()
            .filter(|b| user.allows(kernel::staff::Access::BodyWrite(super::datasets::PUBLISHERS), &dir.chain(b.id)))
            .collect();
        if mine.is_empty() {
            return Ok(Vec::new());
        }
        // The regional figures' urgency of open data is each body's overdue datasets (kept).
        let overdue_of = shell::figures::urgency_of(state, v, "opendata").await?;
        let mut out = Vec::new();
        for body in mine {
            let overdue = overdue_of.get(&body.id).copied().unwrap_or(0);
            if overdue > 0 {
                out.push(shell::mechanism::Todo {
                    text: format!(
                        "{}: {}",
                        body.short_name,
                        v.t("todo_datasets_overdue").replace("{n}", &overdue.to_string())
                    ),
                    href: format!("/staff/o/{}/opendata/obligations", body.slug),
                    urgent: true,
                });
            }
        }
        Ok(out)
    })
}

async fn region_page(
    state: &AppState,
    v: &Visitor,
    user: &StaffUser,
    notice: Option<String>,
    error: Option<(i64, String)>,
) -> AppResult<Response> {
    let (today, cal) = state.today_and_calendar().await?;
    let lists = obligations::lists(&state.db).await?;
    let items = obligations::items(&state.db).await?;
    let (coverage, _) = obligations::coverage(&state.db, &state.cfg, &cal, today, None).await?;
    let mut lines = Vec::new();
    for body in state.directory().await?.bodies.iter().cloned() {
        let per_list: Vec<Coverage> = lists
            .iter()
            .map(|l| {
                coverage.get(&(body.id, l.id)).cloned().unwrap_or(Coverage {
                    items: items.iter().filter(|i| i.list_id == l.id).count(),
                    ..Coverage::default()
                })
            })
            .collect();
        lines.push(BodyLine { body, lists: per_list });
    }
    // Bodies with overdue datasets first, then the least covered.
    lines.sort_by_key(|l| {
        let overdue: usize = l.lists.iter().map(|c| c.overdue).sum();
        let done: usize = l.lists.iter().map(|c| c.covered + c.not_applicable).sum();
        (std::cmp::Reverse(overdue), done)
    });
    let lists = lists
        .into_iter()
        .map(|l| {
            let own = items.iter().filter(|i| i.list_id == l.id).cloned().collect();
            (l, own)
        })
        .collect();
    let title = v.t("obligations");
    let c = Chrome::new(state, v, title).await;
    let home = c.t("staff_home");
    let c = c.crumb(home, "/staff/").crumb(title, "");
    let may_load = user.allows(Access::Coordinate, &[]);
    let failed = error.is_some();
    render_refused(&RegionPage { c, lists, lines, may_load, notice, error: ItemError(error) }, failed)
}

pub async fn region(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
) -> AppResult<Response> {
    region_page(&state, &v, &user, None, None).await
}

async fn list_by_id(state: &AppState, id: i64) -> AppResult<List> {
    obligations::lists(&state.db).await?.into_iter().find(|l| l.id == id).ok_or(AppError::NotFound)
}

/// A list's items as CSV, in the layout the load form takes.
pub async fn items_csv(State(state): State<AppState>, Path(lid): Path<i64>) -> AppResult<Response> {
    let list = list_by_id(&state, lid).await?;
    let mut out = kernel::csv::row(&["number", "title", "applies_to"]);
    for i in obligations::items(&state.db).await?.iter().filter(|i| i.list_id == list.id) {
        out.push_str(&kernel::csv::row(&[&i.number, &i.title, &i.applies_to]));
    }
    let mut resp = out.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let name = format!("attachment; filename=\"obligations-{}.csv\"", list.code);
    if let Ok(h) = HeaderValue::from_str(&name) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, h);
    }
    Ok(resp)
}

/// Loads a list's items from a CSV file (new numbers added, known ones updated, none removed).
pub async fn load(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Path(lid): Path<i64>,
    mut form: Multipart,
) -> AppResult<Response> {
    let list = list_by_id(&state, lid).await?;
    let mut file = None;
    while let Some(field) =
        form.next_field().await.map_err(|_| AppError::bad("Файл не удалось получить: отправьте форму ещё раз."))?
    {
        if field.name() == Some("file") {
            file = Some(field.bytes().await.map_err(|_| AppError::bad("Файл не удалось получить целиком."))?);
        }
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        let error = Some((lid, "Выберите файл перечня (CSV: number,title,applies_to).".to_string()));
        return region_page(&state, &v, &user, None, error).await;
    };
    let new = match obligations::read_items(&bytes) {
        Ok(n) => n,
        Err(e) => {
            let message = e.field_errors().into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ");
            return region_page(&state, &v, &user, None, Some((lid, format!("Файл не принят: {message}")))).await;
        }
    };
    let loaded = obligations::load(&state.db, &user.actor(), state.clock.now_ms(), &list, &new).await?;
    let notice = format!(
        "Перечень «{}»: добавлено пунктов {}, изменено {}, без изменений {}; не упомянуты в файле и сохранены {}.",
        list.title, loaded.added, loaded.changed, loaded.unchanged, loaded.kept
    );
    region_page(&state, &v, &user, Some(notice), None).await
}

/// One item on a body's page.
pub struct Row {
    pub item: Item,
    pub link: Option<Link>,
    pub dataset: Option<Dataset>,
    pub freshness: Option<Freshness>,
}

#[derive(Template)]
#[template(path = "staff/body_obligations.html")]
pub struct BodyPage {
    pub c: Chrome,
    pub body: Body,
    pub lists: Vec<(List, Vec<Row>)>,
    pub datasets: Vec<Dataset>,
    pub may_edit: bool,
    pub error: ItemError,
}

impl BodyPage {
    pub fn not_applicable(&self, row: &Row) -> bool {
        row.link.as_ref().is_some_and(|l| l.dataset_id.is_none())
    }
    pub fn chosen(&self, row: &Row, dataset: &i64) -> bool {
        row.link.as_ref().and_then(|l| l.dataset_id) == Some(*dataset)
    }
}

async fn body_page(
    state: &AppState,
    v: &Visitor,
    user: &StaffUser,
    s: &Scoped,
    error: Option<(i64, String)>,
) -> AppResult<Response> {
    let (today, cal) = state.today_and_calendar().await?;
    let lists = obligations::lists(&state.db).await?;
    let items = obligations::items(&state.db).await?;
    let links = obligations::links(&state.db, Some(s.body.id)).await?;
    let datasets = store::for_body(&state.db, s.body.id).await?;
    let (_, fresh) = obligations::coverage(&state.db, &state.cfg, &cal, today, Some(s.body.id)).await?;
    let by_item: HashMap<i64, &Link> = links.iter().map(|l| (l.item_id, l)).collect();
    let lists = lists
        .into_iter()
        .map(|l| {
            let rows = items
                .iter()
                .filter(|i| i.list_id == l.id)
                .map(|i| {
                    let link = by_item.get(&i.id).map(|l| (*l).clone());
                    let dataset = link
                        .as_ref()
                        .and_then(|l| l.dataset_id)
                        .and_then(|d| datasets.iter().find(|x| x.id == d).cloned());
                    let freshness = fresh.get(&(i.id, s.body.id)).cloned();
                    Row { item: i.clone(), link, dataset, freshness }
                })
                .collect();
            (l, rows)
        })
        .collect();
    let title = v.t("obligations");
    let c = super::datasets::staff_chrome(state, v, s, title).await;
    let may_edit = super::datasets::may_publish(user, s);
    let failed = error.is_some();
    render_refused(&BodyPage { c, body: s.body.clone(), lists, datasets, may_edit, error: ItemError(error) }, failed)
}

pub async fn body(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
    Extension(s): Extension<Scoped>,
) -> AppResult<Response> {
    body_page(&state, &v, &user, &s, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CoverForm {
    /// "" (nothing), "na" (does not apply) or a dataset's id.
    cover: String,
    reason: String,
}

pub async fn set_cover(
    step: Step,
    Path((_, iid)): Path<(String, i64)>,
    Form(f): Form<CoverForm>,
) -> AppResult<Response> {
    let Step { state, v, user, s, .. } = &step;
    let item = obligations::items(&state.db).await?.into_iter().find(|i| i.id == iid).ok_or(AppError::NotFound)?;
    let datasets = store::for_body(&state.db, s.body.id).await?;
    let cover = match f.cover.as_str() {
        "" => Cover::Nothing,
        "na" => Cover::NotApplicable(&f.reason),
        id => match id.parse::<i64>().ok().filter(|id| datasets.iter().any(|d| d.id == *id)) {
            Some(id) => Cover::Dataset(id),
            None => {
                let error = Some((iid, "Выберите набор данных органа из списка.".to_string()));
                return body_page(state, v, user, s, error).await;
            }
        },
    };
    let done = obligations::link(step.db(), &step.actor(), step.now, s.body.id, &item, cover).await;
    let to = |()| format!("{}?done=saved#i{iid}", step.page("opendata/obligations"));
    step.answer(done, to, |message| body_page(state, v, user, s, Some((iid, message)))).await
}
