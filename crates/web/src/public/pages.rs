//! Handlers and templates of the public pages.

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::bodies::Body;
use serde::{Deserialize, Serialize};

use shell::AppState;
use shell::chrome::{A11y, Chrome, Visitor};
use shell::cookies;
use shell::error::{AppError, AppResult};
use shell::render::render;

pub struct Node<'a> {
    pub body: &'a Body,
    pub children: Vec<&'a Body>,
}

#[derive(Template)]
#[template(path = "public/home.html")]
pub struct HomePage<'a> {
    pub c: Chrome,
    /// What people come for, portal-wide: (name key, hint key, address), in rank order.
    pub services: Vec<(&'static str, &'static str, &'static str)>,
    pub tree: Vec<Node<'a>>,
}

pub async fn home(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let dir = state.directory().await?;
    let tree = dir.top().map(|b| Node { body: b, children: dir.children(b.id).collect() }).collect();
    let mut c = Chrome::new(&state, &v, "").await;
    c.title = c.portal.name.clone();
    c.alternate_json = Some("/bodies.json".into());
    c.feed = Some("/".into());
    let services = shell::mechanism::services(state.mechanisms, &state.cfg)
        .into_iter()
        .filter_map(|s| s.portal.map(|p| (s.name, s.hint, p)))
        .collect();
    render(&HomePage { c, services, tree })
}

#[derive(Template)]
#[template(path = "public/design.html")]
pub struct DesignPage {
    pub c: Chrome,
}

/// The design system's components on one page (docs/design.md describes them).
pub async fn design(State(state): State<AppState>, Extension(v): Extension<Visitor>) -> AppResult<Response> {
    let c = Chrome::new(&state, &v, "Компоненты оформления").await.crumb("Компоненты оформления", "");
    render(&DesignPage { c })
}

/// The machine-readable twin of a body page.
#[derive(Serialize)]
pub struct BodyJson {
    pub url: String,
    pub slug: String,
    pub parent: Option<String>,
    pub full_name: String,
    pub short_name: String,
    pub inn: String,
    pub ogrn: String,
    pub head_name: String,
    pub head_position: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub address: String,
    pub reception_hours: String,
    pub powers: String,
    pub subordinates: Vec<String>,
    pub created: String,
    pub modified: String,
}

fn body_json_of(state: &AppState, b: &Body, all: &[Body]) -> BodyJson {
    let iso = |ms: i64| jiff::Timestamp::from_millisecond(ms).map(|t| t.to_string()).unwrap_or_default();
    BodyJson {
        url: format!("{}/o/{}/", state.cfg.public_url, b.slug),
        slug: b.slug.clone(),
        parent: b.parent_id.and_then(|p| all.iter().find(|x| x.id == p)).map(|p| p.slug.clone()),
        full_name: b.full_name.clone(),
        short_name: b.short_name.clone(),
        inn: b.inn.clone(),
        ogrn: b.ogrn.clone(),
        head_name: b.head_name.clone(),
        head_position: b.head_position.clone(),
        phone: b.phone.clone(),
        email: b.email.clone(),
        website: b.website.clone(),
        address: b.address.clone(),
        reception_hours: b.reception_hours.clone(),
        powers: b.powers.clone(),
        subordinates: all.iter().filter(|c| c.parent_id == Some(b.id)).map(|c| c.slug.clone()).collect(),
        created: iso(b.created_at),
        modified: iso(b.updated_at),
    }
}

pub async fn bodies_json(State(state): State<AppState>) -> AppResult<Response> {
    let dir = state.directory().await?;
    let list: Vec<BodyJson> = dir.bodies.iter().map(|b| body_json_of(&state, b, &dir.bodies)).collect();
    Ok(axum::Json(serde_json::json!({ "portal": dir.portal, "bodies": list })).into_response())
}

pub async fn body_json(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let dir = state.directory().await?;
    let b = dir.body(&slug).ok_or(AppError::NotFound)?;
    Ok(axum::Json(body_json_of(&state, b, &dir.bodies)).into_response())
}

#[derive(Template)]
#[template(path = "public/body.html")]
pub struct BodyPage {
    pub c: Chrome,
    pub body: Body,
    /// The body's services: (name key, hint key, address), in rank order.
    pub services: Vec<(&'static str, &'static str, String)>,
    pub parent: Option<Body>,
    pub children: Vec<Body>,
    /// The body as schema.org's `GovernmentOrganization`, JSON safe inside a script block.
    pub ld: String,
}

/// The body as schema.org describes a government organisation, for search engines.
fn government_organization(base: &str, body: &Body, parent: Option<&Body>, children: &[Body]) -> String {
    let page = |b: &Body| format!("{base}/o/{}/", b.slug);
    let mut ld = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "GovernmentOrganization",
        "name": body.full_name,
        "alternateName": body.short_name,
        "url": page(body),
    });
    for (key, value) in [
        ("address", &body.address),
        ("telephone", &body.phone),
        ("email", &body.email),
        ("taxID", &body.inn),
        ("description", &body.powers),
    ] {
        if !value.is_empty() {
            ld[key] = serde_json::json!(value);
        }
    }
    if !body.website.is_empty() {
        ld["sameAs"] = serde_json::json!([body.website]);
    }
    if let Some(p) = parent {
        ld["parentOrganization"] =
            serde_json::json!({ "@type": "GovernmentOrganization", "name": p.full_name, "url": page(p) });
    }
    if !children.is_empty() {
        ld["subOrganization"] = children
            .iter()
            .map(|c| serde_json::json!({ "@type": "GovernmentOrganization", "name": c.full_name, "url": page(c) }))
            .collect();
    }
    shell::render::json_for_script(&ld)
}

pub async fn body_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let dir = state.directory().await?;
    let body = dir.body(&slug).cloned().ok_or(AppError::NotFound)?;
    let chain = dir.ancestors(body.id);
    let children: Vec<Body> = dir.children(body.id).cloned().collect();
    let mut c = Chrome::new(&state, &v, body.short_name.clone()).await;
    for a in chain.iter().skip(1).rev() {
        c = c.crumb(a.short_name.clone(), format!("/o/{}/", a.slug));
    }
    c = c.crumb(body.short_name.clone(), String::new());
    c.alternate_json = Some(format!("/o/{}/body.json", body.slug));
    c.feed = Some(format!("/o/{}/", body.slug));
    let parent = chain.get(1).map(|b| (*b).clone());
    let services = shell::mechanism::services(state.mechanisms, &state.cfg)
        .into_iter()
        .filter_map(|s| s.for_body(&body.slug).map(|href| (s.name, s.hint, href)))
        .collect();
    let ld = government_organization(state.cfg.public_url.trim_end_matches('/'), &body, parent.as_ref(), &children);
    render(&BodyPage { c, body, services, parent, children, ld })
}

pub async fn body_redirect(Path(slug): Path<String>) -> Redirect {
    let slug: String = url::form_urlencoded::byte_serialize(slug.as_bytes()).collect();
    Redirect::permanent(&format!("/o/{slug}/"))
}

#[derive(Deserialize)]
pub struct Prefs {
    lang: Option<String>,
    a11y: Option<String>,
    size: Option<u8>,
    scheme: Option<String>,
    img: Option<u8>,
    back: Option<String>,
}

/// Sets a display preference (language, the version for the visually impaired) in a cookie
/// and returns to the page the visitor came from. Plain links, so no JavaScript is needed.
pub async fn prefs(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(p): Query<Prefs>,
) -> AppResult<Response> {
    let secure = state.cfg.secure_cookies();
    let year = Some(365 * 24 * 3600);
    let mut set = Vec::new();
    match p.lang.as_deref() {
        Some("en") => set.push(cookies::set(cookies::LANG, "en", year, secure)),
        Some("ru") => set.push(cookies::clear(cookies::LANG, secure)),
        Some(_) => return Err(AppError::bad("Неизвестный язык: доступны ru и en.")),
        None => {}
    }
    let mut a11y = v.a11y.clone();
    match p.a11y.as_deref() {
        Some("on") => a11y = Some(a11y.unwrap_or_else(A11y::default_on)),
        Some("off") => a11y = None,
        Some(_) => return Err(AppError::bad("Параметр a11y принимает значения on и off.")),
        None => {}
    }
    if p.size.is_some() || p.scheme.is_some() || p.img.is_some() {
        let mut a = a11y.unwrap_or_else(A11y::default_on);
        if let Some(s) = p.size {
            if !(1..=3).contains(&s) {
                return Err(AppError::bad("Размер шрифта — от 1 до 3."));
            }
            a.size = s;
        }
        if let Some(s) = p.scheme.as_deref() {
            a.scheme = A11y::SCHEMES
                .into_iter()
                .find(|x| *x == s)
                .ok_or_else(|| AppError::bad("Неизвестная цветовая схема."))?;
        }
        if let Some(i) = p.img {
            a.images = i == 1;
        }
        a11y = Some(a);
    }
    if p.a11y.is_some() || p.size.is_some() || p.scheme.is_some() || p.img.is_some() {
        set.push(match &a11y {
            Some(a) => cookies::set(cookies::A11Y, &a.encode(), year, secure),
            None => cookies::clear(cookies::A11Y, secure),
        });
    }
    // Only a path on this portal: never an open redirect.
    let back = p.back.as_deref().and_then(|b| shell::redirect::local(b, "/")).unwrap_or("/");
    let mut resp = StatusCode::SEE_OTHER.into_response();
    resp.headers_mut()
        .insert(LOCATION, HeaderValue::from_str(back).map_err(|_| AppError::bad("Неверный адрес возврата."))?);
    for c in set {
        if let Ok(h) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(SET_COOKIE, h);
        }
    }
    Ok(resp)
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
        }
    }
}

/// The server's figures, for a monitoring system: with `metrics_token` set, to a request bearing
/// it; without, only to a request from the machine itself. Anyone else is told there is no such page.
pub async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let allowed = match state.cfg.metrics_token.as_deref() {
        Some(token) => headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|t| kernel::staff::sha256_hex(t) == kernel::staff::sha256_hex(token)),
        None => peer.ip().is_loopback(),
    };
    if !allowed {
        return AppError::NotFound.into_response();
    }
    let mut out = String::new();
    state.metrics.render(&mut out);
    if let Ok(c) = kernel::outbox::counts(&state.db).await {
        out.push_str("# HELP glasnost_jobs Outbox jobs by status.\n# TYPE glasnost_jobs gauge\n");
        for (s, n) in [("queued", c.queued), ("running", c.running), ("done", c.done), ("failed", c.failed)] {
            out.push_str(&format!("glasnost_jobs{{status=\"{s}\"}} {n}\n"));
        }
    }
    for m in state.mechanisms.iter().filter_map(|m| m.metrics) {
        m(&state, &mut out);
    }
    let mut h = HeaderMap::new();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    (h, out).into_response()
}

/// The OpenAPI 3.1 description of Glasnost's own API, its server being this portal.
pub async fn openapi(State(state): State<AppState>) -> AppResult<Response> {
    let mut doc: serde_json::Value =
        serde_json::from_str(include_str!("../../static/openapi.json")).map_err(|e| AppError::Internal(e.into()))?;
    doc["servers"] = serde_json::json!([{ "url": state.cfg.public_url }]);
    Ok(axum::Json(doc).into_response())
}

pub async fn css() -> Response {
    let mut h = HeaderMap::new();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    (h, include_str!("../../static/site.css")).into_response()
}

/// The portal's icon, for browsers' tabs and bookmarks (also at `/favicon.ico`, where they look first).
pub async fn icon() -> Response {
    let mut h = HeaderMap::new();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    (h, include_str!("../../static/icon.svg")).into_response()
}

/// What crawlers may read: every public page; the preference switch is an action, not a page.
pub async fn robots(State(state): State<AppState>) -> Response {
    let mut h = HeaderMap::new();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    let base = state.cfg.public_url.trim_end_matches('/');
    (h, format!("User-agent: *\nDisallow: /prefs\n\nSitemap: {base}/sitemap.xml\n")).into_response()
}
