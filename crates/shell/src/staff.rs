//! The staff area's guard. Every staff route is declared once with the access it needs (a
//! `StaffRoute`); the router is built from those declarations, and the guard in front of each
//! route checks the session, the role and — for `/staff/o/{slug}/…` — the body scope. Tests
//! enumerate the same declarations, so a route cannot be added without its check.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::Method;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use kernel::bodies::Body;
use kernel::staff::Access;

use crate::chrome::{Chrome, Visitor};
use crate::error::AppError;
use crate::state::AppState;

pub struct StaffRoute {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub handler: fn() -> MethodRouter<AppState>,
}

/// The body a `/staff/o/{slug}/…` route acts on, with its chain of ancestors (ids, nearest first).
#[derive(Clone, Debug)]
pub struct Scoped {
    pub body: Body,
    pub chain: Vec<Body>,
}

impl Scoped {
    /// The chrome of a page in one of the body's staff sections: the trail runs from the staff
    /// home through the body's ancestors to the section (`section` is its interface-string key,
    /// `path` its folder under the body) and ends at `last`, unlinked.
    pub async fn chrome(&self, state: &AppState, v: &Visitor, section: &str, path: &str, last: &str) -> Chrome {
        let c = Chrome::new(state, v, last).await;
        let home = c.t("staff_home");
        let mut c = c.crumb(home, "/staff/");
        for a in self.chain.iter().rev() {
            c = c.crumb(a.short_name.clone(), format!("/staff/o/{}/", a.slug));
        }
        let title = c.t(section);
        if last != title {
            c = c.crumb(title, format!("/staff/o/{}/{path}", self.body.slug));
        }
        c.crumb(last.to_string(), "")
    }
}

#[derive(Clone)]
struct Guard {
    state: AppState,
    access: Access,
}

async fn guard(State(g): State<Guard>, mut req: Request, next: Next) -> Response {
    let Some(user) = req.extensions().get::<Visitor>().and_then(|v| v.staff.clone()) else {
        let next_path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
        let enc: String = url::form_urlencoded::byte_serialize(next_path.as_bytes()).collect();
        return Redirect::to(&format!("/staff/login?next={enc}")).into_response();
    };
    let mut chain_ids = Vec::new();
    if matches!(g.access, Access::BodyRead | Access::BodyWrite(_)) {
        let params = match axum::RequestExt::extract_parts::<Path<HashMap<String, String>>>(&mut req).await {
            Ok(Path(p)) => p,
            Err(_) => return AppError::NotFound.into_response(),
        };
        let Some(slug) = params.get("slug") else { return AppError::NotFound.into_response() };
        let dir = match g.state.directory().await {
            Ok(d) => d,
            Err(e) => return e.into_response(),
        };
        let Some(body) = dir.body(slug).cloned() else { return AppError::NotFound.into_response() };
        let chain: Vec<_> = dir.ancestors(body.id).into_iter().cloned().collect();
        chain_ids = chain.iter().map(|b| b.id).collect();
        req.extensions_mut().insert(Scoped { body, chain });
    }
    if !user.allows(g.access, &chain_ids) {
        return AppError::Forbidden.into_response();
    }
    req.extensions_mut().insert(user);
    next.run(req).await
}

/// The router of the given staff routes, each behind the guard of its access rule.
pub fn routes<'a>(state: &AppState, table: impl IntoIterator<Item = &'a StaffRoute>) -> Router<AppState> {
    let mut r = Router::new();
    for sr in table {
        let guard_state = Guard { state: state.clone(), access: sr.access };
        r = r.route(sr.path, (sr.handler)().layer(from_fn_with_state(guard_state, guard)));
    }
    r
}
