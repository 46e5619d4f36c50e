//! The staff area's own routes (sign-in, the staff home, a body's pages, administration) and,
//! until each mechanism declares its own, theirs — each with the access it needs, behind the
//! shell's guard.

pub mod admin;
pub mod auth;
pub mod body;

use axum::Router;
use axum::http::Method;
use axum::routing::{get, post};
use kernel::staff::{Access, Role};
use shell::staff::StaffRoute;
use shell::state::AppState;

const EDITORS: &[Role] = &[Role::Editor];
/// Only the portal administrator (who passes every check) may do these to a body.
const ADMIN_ONLY: &[Role] = &[];

pub const ROUTES: &[StaffRoute] = &[
    StaffRoute { method: Method::GET, path: "/staff/", access: Access::AnyStaff, handler: || get(auth::dashboard) },
    StaffRoute {
        method: Method::GET,
        path: "/staff/region",
        access: Access::ReadAll,
        handler: || get(crate::region::region),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/logout",
        access: Access::AnyStaff,
        handler: || post(auth::logout),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/",
        access: Access::BodyRead,
        handler: || get(body::overview),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/edit",
        access: Access::BodyWrite(EDITORS),
        handler: || get(body::edit_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/edit",
        access: Access::BodyWrite(EDITORS),
        handler: || post(body::edit_submit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/subordinates/new",
        access: Access::BodyWrite(EDITORS),
        handler: || get(body::new_subordinate_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/subordinates/new",
        access: Access::BodyWrite(EDITORS),
        handler: || post(body::new_subordinate_submit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/delete",
        access: Access::BodyWrite(ADMIN_ONLY),
        handler: || get(body::delete_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/delete",
        access: Access::BodyWrite(ADMIN_ONLY),
        handler: || post(body::delete_submit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/admin/bodies/new",
        access: Access::PortalAdmin,
        handler: || get(admin::new_body_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/admin/bodies/new",
        access: Access::PortalAdmin,
        handler: || post(admin::new_body_submit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/admin/users",
        access: Access::PortalAdmin,
        handler: || get(admin::users),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/admin/users/new",
        access: Access::PortalAdmin,
        handler: || get(admin::new_user_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/admin/users/new",
        access: Access::PortalAdmin,
        handler: || post(admin::new_user_submit),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/admin/users/disable",
        access: Access::PortalAdmin,
        handler: || post(admin::user_disable),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/admin/audit",
        access: Access::PortalAdmin,
        handler: || get(admin::audit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/admin/portal",
        access: Access::PortalAdmin,
        handler: || get(admin::portal_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/admin/portal",
        access: Access::PortalAdmin,
        handler: || post(admin::portal_submit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/admin/calendar",
        access: Access::PortalAdmin,
        handler: || get(admin::calendar),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/admin/calendar",
        access: Access::PortalAdmin,
        handler: || post(admin::calendar_submit),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/admin/calendar/delete",
        access: Access::PortalAdmin,
        handler: || post(admin::calendar_delete),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/admin/outbox",
        access: Access::PortalAdmin,
        handler: || get(admin::outbox),
    },
];

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/staff/login", get(auth::login_form).post(auth::login_submit))
        .merge(shell::staff::routes(state, ROUTES))
}
