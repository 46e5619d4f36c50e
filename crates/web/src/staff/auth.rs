//! Signing in and out, and the staff member's dashboard.

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kernel::bodies::Body;
use kernel::staff::{Role, StaffUser};
use serde::Deserialize;
use std::net::SocketAddr;

use shell::AppState;
use shell::chrome::{Chrome, Visitor};
use shell::cookies;
use shell::error::{AppError, AppResult};
use shell::forms::Form;
use shell::render::render;

/// Login attempts per client address per window, on top of the per-account lock-out.
const LOGIN_ATTEMPTS_PER_IP: u32 = 30;
const LOGIN_WINDOW_MS: i64 = 10 * 60 * 1000;

#[derive(Template)]
#[template(path = "staff/login.html")]
pub struct LoginPage {
    pub c: Chrome,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

fn safe_next(n: &str) -> String {
    shell::redirect::local(n, "/staff/").unwrap_or("/staff/").to_string()
}

pub async fn login_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let c = Chrome::new(&state, &v, "").await;
    let title = c.t("login_title").to_string();
    let mut c = c.crumb(title.clone(), "");
    c.title = title;
    render(&LoginPage { c, email: String::new(), next: safe_next(&q.next), error: None })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login_submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let now = state.clock.now_ms();
    // Only failures count against an address: a busy office signing in all day is not stopped.
    if !state.limiter.allows("login", peer.ip(), now, LOGIN_ATTEMPTS_PER_IP, LOGIN_WINDOW_MS) {
        return Err(AppError::TooManyRequests);
    }
    let address = peer.ip().to_string();
    let result = kernel::staff::login(&state.db, &state.cfg, now, &f.email, &f.password, &address).await;
    if result.is_err() {
        state.limiter.allow("login", peer.ip(), now, LOGIN_ATTEMPTS_PER_IP, LOGIN_WINDOW_MS);
    }
    match result {
        Ok(ok) => {
            let mut resp = StatusCode::SEE_OTHER.into_response();
            resp.headers_mut().insert(
                LOCATION,
                HeaderValue::from_str(&safe_next(&f.next)).map_err(|e| AppError::Internal(e.into()))?,
            );
            let cookie = cookies::set(cookies::SESSION, &ok.session_token, None, state.cfg.secure_cookies());
            resp.headers_mut()
                .append(SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.into()))?);
            rotate_csrf(&state, &mut resp)?;
            Ok(resp)
        }
        Err(e @ (kernel::Error::Invalid { .. } | kernel::Error::Locked { .. })) => {
            let c = Chrome::new(&state, &v, "").await;
            let message = match e {
                kernel::Error::Locked { until_ms } => format!("{} {}.", c.t("login_locked"), c.datetime(&until_ms)),
                other => other.to_string(),
            };
            let title = c.t("login_title").to_string();
            let mut c = c.crumb(title.clone(), "");
            c.title = title;
            let status = if message.contains(c.t("login_locked")) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let page = LoginPage { c, email: f.email, next: safe_next(&f.next), error: Some(message) };
            let mut resp = render(&page)?;
            *resp.status_mut() = status;
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> AppResult<Response> {
    if let Some(token) = cookies::get(&headers, cookies::SESSION) {
        kernel::staff::logout(&state.db, &token).await?;
        state.sessions.forget(&token);
    }
    let mut resp = StatusCode::SEE_OTHER.into_response();
    resp.headers_mut().insert(LOCATION, HeaderValue::from_static("/"));
    let cookie = cookies::clear(cookies::SESSION, state.cfg.secure_cookies());
    resp.headers_mut().append(SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.into()))?);
    rotate_csrf(&state, &mut resp)?;
    Ok(resp)
}

/// A new anonymous CSRF token at sign-in and sign-out: one known before is not valid after.
fn rotate_csrf(state: &AppState, resp: &mut Response) -> AppResult<()> {
    let cookie = cookies::set(cookies::CSRF, &kernel::staff::random_token(), None, state.cfg.secure_cookies());
    resp.headers_mut().append(SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.into()))?);
    Ok(())
}

#[derive(Template)]
#[template(path = "staff/dashboard.html")]
pub struct Dashboard {
    pub c: Chrome,
    pub user: StaffUser,
    /// What the member has to do now, urgent first, from every mechanism.
    pub todos: Vec<shell::mechanism::Todo>,
    /// The portal-wide places of work the member may open (name key, address).
    pub desks: Vec<(&'static str, String)>,
    pub roles: Vec<(Role, String)>,
    /// The bodies the member sees, each with the places of work they may open there.
    pub bodies: Vec<(Body, Vec<(&'static str, String)>)>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(user): Extension<StaffUser>,
) -> AppResult<Response> {
    let dir = state.directory().await?;
    let name_of = |id: Option<i64>| id.and_then(|id| dir.body_by_id(id)).map(|b| b.short_name.clone());
    let roles = user.grants.iter().map(|g| (g.role, name_of(g.body_id).unwrap_or_default())).collect();
    let sees_all = user.is_admin() || user.has(Role::RegionalCoordinator);
    let mine = dir
        .bodies
        .iter()
        .filter(|b| sees_all || user.allows(kernel::staff::Access::BodyRead, &dir.chain(b.id)))
        .cloned()
        .collect::<Vec<Body>>();
    let (today, cal) = state.today_and_calendar().await?;
    let mut todos = Vec::new();
    for todo in state.mechanisms.iter().filter_map(|m| m.todo) {
        todos.extend(todo(&state, &v, &user, &mine, today, &cal).await?);
    }
    todos.sort_by_key(|t| !t.urgent);
    let desks = shell::mechanism::desks(state.mechanisms, &user, None);
    let c = Chrome::new(&state, &v, "").await;
    let title = c.t("staff_home").to_string();
    let mut c = c.crumb(title.clone(), "");
    c.title = title;
    let bodies = mine
        .into_iter()
        .map(|b| {
            let desks = shell::mechanism::desks(state.mechanisms, &user, Some((&b.slug, &dir.chain(b.id))));
            (b, desks)
        })
        .collect();
    render(&Dashboard { c, user, todos, desks, roles, bodies })
}
