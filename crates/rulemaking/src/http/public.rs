//! Citizens' pages: every body's drafts and one body's; a draft's page — its timeline, the
//! notice, the plain-language summary, the text unit by unit with the comments on each, the
//! window and why it ends when it does, the comment form; the link that confirms a comment; the
//! summary of proposals as a page, .docx and .csv; each version's file.

use std::net::SocketAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use discussion::comments::{self as engine, Comment, CommentForm};
use kernel::bodies::Body;
use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::error::{AppError, AppResult};
use shell::forms::{Field, Form};
use shell::public_form::{self, Limit, Refusal};
use shell::render::{attachment, render};

use crate::store::{self, Draft, Event, UnitRow, Version};
use crate::{COMMENTS, comments};

/// Comments one address may send in ten minutes.
const LIMIT: Limit = Limit {
    bucket: "draft-comment",
    per_address: 5,
    window_ms: 10 * 60 * 1000,
    field: "text",
    message: "с вашего адреса отправлено много комментариев подряд: подождите 10 минут и отправьте ещё раз",
};

/// A draft with what its pages show of it.
pub struct Loaded {
    pub body: Body,
    pub d: Draft,
    pub kind: Option<store::Kind>,
    pub versions: Vec<Version>,
    pub units: Vec<UnitRow>,
    /// Every anchor the draft had: (id, key, label, place).
    pub anchors: Vec<(i64, String, String, i64)>,
    pub events: Vec<Event>,
}

impl Loaded {
    pub fn current(&self) -> Option<&Version> {
        self.versions.last()
    }

    /// «, статья 2 (к редакции 1)» for a comment on a unit; the version only when it is not the
    /// current one.
    pub fn comment_on(&self, k: &Comment) -> String {
        let mut out = String::new();
        if let Some((_, _, label, _)) = k.unit.and_then(|id| self.anchors.iter().find(|a| a.0 == id)) {
            out.push_str(&format!(", {}", label.to_lowercase()));
        }
        if self.current().is_some_and(|v| v.number != k.version) && k.version > 0 {
            out.push_str(&format!(" (к редакции {})", k.version));
        }
        out
    }

    /// A unit's place and name for the summary (comments on the whole draft first).
    pub fn place(&self, unit: Option<i64>) -> (usize, String) {
        match unit.and_then(|id| self.anchors.iter().find(|a| a.0 == id)) {
            Some((_, _, label, ord)) => (*ord as usize + 1, label.clone()),
            None => (0, "Проект в целом".to_string()),
        }
    }
}

pub async fn load(state: &AppState, body: Body, id: i64) -> AppResult<Loaded> {
    let d = store::get(&state.db, id).await?.filter(|d| d.body_id == body.id).ok_or(AppError::NotFound)?;
    let kind = store::kinds(&state.db).await?.into_iter().find(|k| k.code == d.kind);
    let versions = store::versions(&state.db, id).await?;
    let units = match versions.last() {
        Some(v) => store::units(&state.db, v.id).await?,
        None => Vec::new(),
    };
    let anchors = store::anchors(&state.db, id).await?;
    let events = store::events(&state.db, id).await?;
    Ok(Loaded { body, d, kind, versions, units, anchors, events })
}

async fn body_of(state: &AppState, slug: &str) -> AppResult<Body> {
    state.directory().await?.body(slug).cloned().ok_or(AppError::NotFound)
}

/// The chrome of a page about a draft (its summary, a conclusion, a comparison): the trail runs
/// through the body and its drafts to the draft, and ends at `title`.
async fn page_of_draft(state: &AppState, v: &Visitor, l: &Loaded, title: &str) -> Chrome {
    Chrome::new(state, v, format!("{title}: {}", l.d.title))
        .await
        .crumb(l.body.short_name.clone(), format!("/o/{}/", l.body.slug))
        .crumb(v.t("drafts"), format!("/o/{}/drafts/", l.body.slug))
        .crumb(l.d.title.clone(), format!("/o/{}/drafts/{}", l.body.slug, l.d.id))
        .crumb(title.to_string(), "")
}

/// The page of a draft's public discussion, full address (letters link it).
pub fn page_url(public_url: &str, slug: &str, id: i64) -> String {
    format!("{}/o/{slug}/drafts/{id}", public_url.trim_end_matches('/'))
}

#[derive(Template)]
#[template(path = "public/drafts.html")]
pub struct ListPage {
    pub c: Chrome,
    /// The body, when the list is one body's.
    pub body: Option<Body>,
    /// Each draft with its body's slug and short name, and its stage today.
    pub drafts: Vec<(Draft, String, String, &'static str)>,
}

async fn list_page(state: &AppState, v: &Visitor, body: Option<Body>) -> AppResult<Response> {
    let (today, _) = state.today_and_calendar().await?;
    let dir = state.directory().await?;
    let drafts = store::list(&state.db, body.as_ref().map(|b| b.id))
        .await?
        .into_iter()
        .filter_map(|d| {
            let b = dir.body_by_id(d.body_id)?;
            let stage = d.stage_on(today);
            Some((d, b.slug.clone(), b.short_name.clone(), stage))
        })
        .collect();
    let title = v.t("drafts");
    let mut c = Chrome::new(state, v, title).await;
    if let Some(b) = &body {
        c = c.crumb(b.short_name.clone(), format!("/o/{}/", b.slug)).crumb(title, "");
    }
    render(&ListPage { c, body, drafts })
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

#[derive(Template)]
#[template(path = "public/draft.html")]
pub struct DraftPage {
    pub c: Chrome,
    pub l: Loaded,
    pub stage: &'static str,
    pub accepting: bool,
    /// Published comments, oldest first.
    pub comments: Vec<Comment>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    /// The notice after a send or a confirmation (a string key), if any.
    pub sent: &'static str,
    pub form_action: String,
    pub window: String,
    pub conclusions: Vec<crate::expertise::Conclusion>,
}

impl DraftPage {
    pub fn comment_on(&self, k: &Comment) -> String {
        self.l.comment_on(k)
    }

    /// How many published comments a unit has.
    pub fn count_on(&self, anchor: &i64) -> usize {
        self.comments.iter().filter(|k| k.unit == Some(*anchor)).count()
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    sent: String,
    unit: String,
}

enum Shown<'a> {
    Fresh { sent: &'static str, unit: &'a str },
    Refused(&'a CommentForm, Refusal),
}

async fn draft_page(state: &AppState, v: &Visitor, l: Loaded, shown: Shown<'_>) -> AppResult<Response> {
    let (today, _) = state.today_and_calendar().await?;
    let comments: Vec<Comment> = engine::for_subject(&state.db, &COMMENTS, l.d.id)
        .await?
        .into_iter()
        .filter(|k| k.status == "published")
        .collect();
    let fresh = CommentForm::default();
    let (f, refusal, sent, unit) = match shown {
        Shown::Fresh { sent, unit } => (&fresh, None, sent, unit),
        Shown::Refused(f, r) => (f, Some(r), "", f.unit.as_str()),
    };
    let mut units = vec![(String::new(), v.t("whole_draft").to_string())];
    units.extend(l.units.iter().map(|u| {
        let text: String = u.text.chars().take(60).collect();
        let more = if u.text.chars().count() > 60 { "…" } else { "" };
        (u.anchor_id.to_string(), format!("{} — {text}{more}", u.label))
    }));
    let mut fields = vec![
        Field::select("unit", "comment_on", unit, units),
        Field::new("text", "comment_text", &f.text, "textarea").required(),
        Field::new("author_name", "comment_author", &f.author_name, "text").hint("comment_author_hint"),
        Field::new("email", "draft_comment_email", &f.email, "email").required().hint("draft_comment_email_hint"),
        Field::new("consent", "comment_consent", &f.consent, "checkbox").required(),
    ];
    let (status, errors) = public_form::show(&mut fields, refusal)?;
    let accepting = l.d.accepting(today);
    let stage = l.d.stage_on(today);
    let window = match (l.d.opens.parse::<deadlines::Date>(), l.d.closes.parse::<deadlines::Date>()) {
        (Ok(opens), Ok(closes)) => {
            let w = discussion::window::Window { opens, closes, steps: Vec::new() };
            v.lang.pick(w.span_ru(), w.span_en())
        }
        _ => String::new(),
    };
    let form_action = format!("/o/{}/drafts/{}", l.body.slug, l.d.id);
    let c = Chrome::new(state, v, l.d.title.clone())
        .await
        .crumb(l.body.short_name.clone(), format!("/o/{}/", l.body.slug))
        .crumb(v.t("drafts"), format!("/o/{}/drafts/", l.body.slug))
        .crumb(l.d.title.clone(), "");
    let conclusions = crate::expertise::for_draft(&state.db, l.d.id).await?;
    let page = DraftPage { c, l, stage, accepting, comments, fields, errors, sent, form_action, window, conclusions };
    public_form::respond(&page, status)
}

pub async fn page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let l = load(&state, body, id).await?;
    let sent = match q.sent.as_str() {
        "1" => "comment_confirm_sent",
        "confirmed" => "comment_confirmed",
        "unconfirmed" => "comment_confirm_failed",
        _ => "",
    };
    draft_page(&state, &v, l, Shown::Fresh { sent, unit: &q.unit }).await
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<CommentForm>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let l = load(&state, body, id).await?;
    let thanks = format!("/o/{slug}/drafts/{id}?sent=1#comment-form");
    let (today, _) = state.today_and_calendar().await?;
    let closed = (!l.d.accepting(today)).then(|| comments::closed_message(&l.d, today));
    let units: Vec<i64> = l.units.iter().map(|u| u.anchor_id).collect();
    let subject = comments::subject(&l, &state.cfg.public_url);
    let refused =
        discussion::receive::receive(&state, peer.ip(), (&COMMENTS, &LIMIT), &subject, (&units, closed), &f).await?;
    if let Some(refusal) = refused {
        return draft_page(&state, &v, l, Shown::Refused(&f, refusal)).await;
    }
    Ok(Redirect::to(&thanks).into_response())
}

/// The link of a confirmation letter.
pub async fn confirm(
    State(state): State<AppState>,
    Path((slug, id, cid, token)): Path<(String, i64, i64, String)>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    store::get(&state.db, id).await?.filter(|d| d.body_id == body.id).ok_or(AppError::NotFound)?;
    let done = engine::confirm(&state.db, &COMMENTS, id, cid, &token).await?;
    let to = if done { "confirmed" } else { "unconfirmed" };
    Ok(Redirect::to(&format!("/o/{slug}/drafts/{id}?sent={to}#comment-form")).into_response())
}

#[derive(Template)]
#[template(path = "public/summary.html")]
pub struct SummaryPage {
    pub c: Chrome,
    pub l: Loaded,
    pub s: discussion::summary::Summary,
    pub window: String,
}

async fn summary_of(state: &AppState, slug: &str, id: i64) -> AppResult<(Loaded, discussion::summary::Summary)> {
    let body = body_of(state, slug).await?;
    let l = load(state, body, id).await?;
    if !l.d.discussed() {
        return Err(AppError::NotFound);
    }
    let list = engine::for_subject(&state.db, &COMMENTS, id).await?;
    let s = discussion::summary::build(&list, |u| l.place(u));
    Ok((l, s))
}

pub async fn summary(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (l, s) = summary_of(&state, &slug, id).await?;
    let window = comments::window_line(&l.d);
    let c = page_of_draft(&state, &v, &l, v.t("summary_h")).await;
    render(&SummaryPage { c, l, s, window })
}

pub async fn summary_docx(State(state): State<AppState>, Path((slug, id)): Path<(String, i64)>) -> AppResult<Response> {
    let (l, s) = summary_of(&state, &slug, id).await?;
    let about = vec![
        format!("Проект: {}", l.d.title),
        format!("Разработчик: {}", l.body.full_name),
        comments::window_line(&l.d),
    ];
    let bytes = tokio::task::spawn_blocking(move || discussion::summary::docx(&s, &about))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    Ok(attachment(bytes.into(), &format!("summary-{slug}-{id}.docx"), media, "no-cache"))
}

pub async fn summary_csv(State(state): State<AppState>, Path((slug, id)): Path<(String, i64)>) -> AppResult<Response> {
    let (_, s) = summary_of(&state, &slug, id).await?;
    let text = discussion::summary::csv(&s);
    Ok(attachment(text.into(), &format!("summary-{slug}-{id}.csv"), "text/csv; charset=utf-8", "no-cache"))
}

/// A version's file as it was uploaded.
pub async fn version_file(
    State(state): State<AppState>,
    Path((slug, id, number)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    store::get(&state.db, id).await?.filter(|d| d.body_id == body.id).ok_or(AppError::NotFound)?;
    let v = store::versions(&state.db, id).await?.into_iter().find(|v| v.number == number).ok_or(AppError::NotFound)?;
    let bytes = state.storage.get(&v.file_key).await.map_err(AppError::Internal)?;
    let media = office::Format::of_name(&v.file_name).map_or("application/octet-stream", |f| f.media_type());
    let ext = office::Format::of_name(&v.file_name).map_or("bin", |f| f.extension());
    Ok(attachment(bytes, &format!("draft-{slug}-{id}-v{number}.{ext}"), media, "public, max-age=60"))
}

#[derive(Template)]
#[template(path = "public/conclusion.html")]
pub struct ConclusionPage {
    pub c: Chrome,
    pub l: Loaded,
    pub k: crate::expertise::Conclusion,
}

impl ConclusionPage {
    pub fn factor_name(&self, code: &str) -> String {
        crate::expertise::factor_name(code)
    }
}

/// A conclusion of independent anti-corruption expertise, as the Ministry of Justice's form has
/// it, with the body's reasoned answer once given.
pub async fn conclusion(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id, cid)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let l = load(&state, body, id).await?;
    let k = crate::expertise::for_draft(&state.db, id)
        .await?
        .into_iter()
        .find(|k| k.id == cid)
        .ok_or(AppError::NotFound)?;
    let c = page_of_draft(&state, &v, &l, v.t("conclusion_h")).await;
    render(&ConclusionPage { c, l, k })
}

#[derive(Template)]
#[template(path = "public/expertise_report.html")]
pub struct ReportPage {
    pub c: Chrome,
    pub body: Body,
    pub r: crate::expertise::Report,
    pub years: Vec<i16>,
}

impl ReportPage {
    pub fn factor_name(&self, code: &str) -> String {
        crate::expertise::factor_name(code)
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

/// The yearly report of a body's independent anti-corruption expertise.
pub async fn expertise_report(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let (today, _) = state.today_and_calendar().await?;
    let year = match q.year.trim() {
        "" => today.year(),
        y => y
            .parse::<i16>()
            .ok()
            .filter(|y| (2000..=today.year()).contains(y))
            .ok_or_else(|| AppError::bad("Год отчёта — число от 2000 до текущего года."))?,
    };
    let r = crate::expertise::report(&state.db, body.id, year, today, &state.timezone).await?;
    let years: Vec<i16> = (today.year() - 4..=today.year()).rev().collect();
    let title = v.t("expertise_report");
    let c = Chrome::new(&state, &v, format!("{title} — {}", body.short_name))
        .await
        .crumb(body.short_name.clone(), format!("/o/{}/", body.slug))
        .crumb(v.t("drafts"), format!("/o/{}/drafts/", body.slug))
        .crumb(title, "");
    render(&ReportPage { c, body, r, years })
}

#[derive(Template)]
#[template(path = "public/diff.html")]
pub struct DiffPage {
    pub c: Chrome,
    pub l: Loaded,
    pub from: i64,
    pub to: i64,
    pub lines: Vec<kernel::diff::Line>,
    /// One of the two versions is a PDF, kept as it is: there is no text to compare.
    pub unreadable: bool,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DiffQuery {
    from: String,
    to: String,
}

/// A version's text as the comparison reads it: its preamble, each unit, its closing.
async fn version_text(state: &AppState, v: &Version) -> AppResult<String> {
    let units = store::units(&state.db, v.id).await?;
    let mut parts = vec![v.preamble.clone()];
    parts.extend(units.into_iter().map(|u| u.text));
    parts.push(v.closing.clone());
    Ok(parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n"))
}

/// What changed between two versions of a draft, line by line (by default the last two).
pub async fn diff(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<DiffQuery>,
) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    let l = load(&state, body, id).await?;
    let last = l.versions.last().map_or(0, |v| v.number);
    let number = |s: &str, default: i64| match s.trim() {
        "" => Ok(default),
        s => s.parse::<i64>().map_err(|_| AppError::bad("Редакции для сравнения — номера из списка редакций.")),
    };
    let (from, to) = (number(&q.from, last - 1)?, number(&q.to, last)?);
    let find = |n: i64| l.versions.iter().find(|v| v.number == n).cloned();
    let (Some(a), Some(b)) = (find(from), find(to)) else {
        return Err(AppError::bad("Такой редакции у проекта нет: выберите номера из списка редакций."));
    };
    let pdf = |v: &Version| office::Format::of_name(&v.file_name) == Some(office::Format::Pdf);
    let unreadable = pdf(&a) || pdf(&b);
    let lines = if unreadable {
        Vec::new()
    } else {
        kernel::diff::diff(&version_text(&state, &a).await?, &version_text(&state, &b).await?)
    };
    let c = page_of_draft(&state, &v, &l, v.t("diff_h")).await;
    render(&DiffPage { c, l, from, to, lines, unreadable })
}

/// Days ahead the feed of discussions about to close looks.
const CLOSING_DAYS: i64 = 7;

/// An Atom feed of the discussions that close within a week, soonest first: portal-wide, or one
/// body's.
async fn closing(state: &AppState, body: Option<&Body>) -> AppResult<Response> {
    let (today, _) = state.today_and_calendar().await?;
    let until = today.checked_add(jiff::Span::new().days(CLOSING_DAYS)).unwrap_or(today);
    let dir = state.directory().await?;
    let mut drafts: Vec<Draft> = store::list(&state.db, body.map(|b| b.id))
        .await?
        .into_iter()
        .filter(|d| d.accepting(today) && d.closes.parse::<deadlines::Date>().is_ok_and(|c| c <= until))
        .collect();
    drafts.sort_by(|a, b| a.closes.cmp(&b.closes).then(a.id.cmp(&b.id)));
    let day =
        |iso: &str| iso.parse::<deadlines::Date>().map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default();
    let entries = drafts
        .iter()
        .filter_map(|d| {
            let b = dir.body_by_id(d.body_id)?;
            Some(shell::mechanism::FeedEntry {
                key: format!("draft/{}/closing/{}", d.id, d.closes),
                path: format!("/o/{}/drafts/{}", b.slug, d.id),
                title: format!("Обсуждение завершается {}: {}", day(&d.closes), d.title),
                summary: format!("{} — {}", b.short_name, crate::comments::window_line(d)),
                updated: d.updated_at,
            })
        })
        .collect();
    let base = state.cfg.public_url.trim_end_matches('/').to_string();
    let portal = dir.portal.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    let (title, own, page) = match body {
        Some(b) => (
            format!("Обсуждения проектов, которые скоро завершатся — {}", b.short_name),
            format!("{base}/o/{}/drafts/closing.atom", b.slug),
            format!("{base}/o/{}/drafts/", b.slug),
        ),
        None => (
            format!("Обсуждения проектов, которые скоро завершатся — {portal}"),
            format!("{base}/drafts/closing.atom"),
            format!("{base}/drafts/"),
        ),
    };
    Ok(shell::feeds::atom(&shell::feeds::Feed { title, own, page, base, entries }))
}

pub async fn portal_closing(State(state): State<AppState>) -> AppResult<Response> {
    closing(&state, None).await
}

pub async fn body_closing(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let body = body_of(&state, &slug).await?;
    closing(&state, Some(&body)).await
}

/// The picture leading a draft (an infographic, a chart); its address names what it is.
pub async fn picture(State(state): State<AppState>, Path((slug, id)): Path<(String, i64)>) -> AppResult<Response> {
    use axum::http::HeaderValue;
    use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
    let body = body_of(&state, &slug).await?;
    let d = store::get(&state.db, id).await?.filter(|d| d.body_id == body.id).ok_or(AppError::NotFound)?;
    if d.picture_key.is_empty() {
        return Err(AppError::NotFound);
    }
    let bytes = state.storage.get(&d.picture_key).await.map_err(AppError::Internal)?;
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    Ok(resp)
}
