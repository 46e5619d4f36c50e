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
        handler: || get(crate::roadmap::region),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/opendata/obligations",
        access: Access::ReadAll,
        handler: || get(crate::obligations::region),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/opendata/obligations/{lid}/items.csv",
        access: Access::ReadAll,
        handler: || get(crate::obligations::items_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/opendata/obligations/{lid}/items",
        access: Access::Coordinate,
        handler: || post(crate::obligations::load),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/my-measures",
        access: Access::AnyStaff,
        handler: || get(crate::roadmap::my_measures),
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
        path: "/staff/o/{slug}/roadmaps/",
        access: Access::BodyRead,
        handler: || get(crate::roadmap::list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/import",
        access: Access::BodyWrite(crate::roadmap::PLANNERS),
        handler: || {
            post(crate::roadmap::upload).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/confirm",
        access: Access::BodyWrite(crate::roadmap::PLANNERS),
        handler: || post(crate::roadmap::confirm),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}",
        access: Access::BodyRead,
        handler: || get(crate::roadmap::detail),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/track",
        access: Access::BodyRead,
        handler: || get(crate::roadmap::track),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/measures/{mid}/mark",
        // Planners, and the staff named among the measure's executors (checked in the handler).
        access: Access::BodyRead,
        handler: || get(crate::roadmap::mark_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/measures/{mid}/mark",
        access: Access::BodyRead,
        handler: || post(crate::roadmap::mark_submit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/measures/{mid}/edit",
        access: Access::BodyWrite(crate::roadmap::PLANNERS),
        handler: || get(crate::roadmap::edit_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/measures/{mid}/edit",
        access: Access::BodyWrite(crate::roadmap::PLANNERS),
        handler: || post(crate::roadmap::edit_submit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/comments",
        access: Access::BodyWrite(crate::roadmap::PLANNERS),
        handler: || get(crate::discussion::moderation),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/roadmaps/{id}/comments.csv",
        access: Access::BodyWrite(crate::roadmap::PLANNERS),
        handler: || get(crate::discussion::comments_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/comments/{cid}",
        access: Access::BodyWrite(crate::roadmap::PLANNERS),
        handler: || post(crate::discussion::moderate),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/",
        access: Access::BodyRead,
        handler: || get(crate::opendata::staff_list),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/new",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || get(crate::opendata::new_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/new",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::opendata::create),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/new/sample",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || {
            post(crate::opendata::from_sample)
                .layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/tokens",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || get(crate::push::tokens_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/tokens",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::push::token_create),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/tokens/{tid}/revoke",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::push::token_revoke),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/requests",
        access: Access::BodyRead,
        handler: || get(crate::datarequests::staff_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/requests/{rid}",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::datarequests::answer),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || get(crate::appeals::staff_list),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/publication",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || get(crate::appeals::staff_moderation),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/publication/{aid}",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_publish),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/results.csv",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || get(crate::appeals::staff_results_csv),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/assign",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_assign),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/forward",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_forward),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/no-answer",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_no_answer),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/questions",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_question_add),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/questions/{qid}",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_question_result),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/questions/{qid}/delete",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_question_delete),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/breaches",
        access: Access::BodyRead,
        handler: || get(crate::appeal_stats::staff_breaches),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/{aid}",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || get(crate::appeals::staff_card),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/answer",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_answer),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/extend",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_extend),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/letters",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_letter),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/defer",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_defer),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/appeals/{aid}/refuse",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || post(crate::appeals::staff_refuse),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/appeals/{aid}/files/{fid}",
        access: Access::BodyWrite(crate::appeals::APPEALS_STAFF),
        handler: || get(crate::appeals::staff_file),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/obligations",
        access: Access::BodyRead,
        handler: || get(crate::obligations::body),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/obligations/{iid}",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::obligations::set_cover),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/stats",
        access: Access::BodyRead,
        handler: || get(crate::demand::staff_stats),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/feedback",
        access: Access::BodyRead,
        handler: || get(crate::feedback::staff_list),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/feedback/{fid}",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::feedback::decide),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}",
        access: Access::BodyRead,
        handler: || get(crate::opendata::staff_dataset),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/{id}/upload",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || {
            post(crate::opendata::upload).layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT))
        },
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}/diff",
        access: Access::BodyRead,
        handler: || get(crate::opendata::compare),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}/edit",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || get(crate::opendata::edit_form),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/{id}/edit",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::opendata::edit),
    },
    StaffRoute {
        method: Method::GET,
        path: "/staff/o/{slug}/opendata/{id}/reports/{name}",
        access: Access::BodyRead,
        handler: || get(crate::opendata::report),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/opendata/{id}/publish",
        access: Access::BodyWrite(crate::opendata::PUBLISHERS),
        handler: || post(crate::opendata::set_published),
    },
    StaffRoute {
        method: Method::POST,
        path: "/staff/o/{slug}/roadmaps/{id}/status",
        access: Access::BodyWrite(crate::roadmap::PLANNERS),
        handler: || post(crate::roadmap::set_status),
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
