//! Public pages: the portal home, a body's page, preferences, health and metrics.

pub mod pages;

use axum::Router;
use axum::routing::get;

use shell::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/bodies.json", get(pages::bodies_json))
        .route("/o/{slug}/", get(pages::body_page))
        .route("/o/{slug}", get(pages::body_redirect))
        .route("/o/{slug}/body.json", get(pages::body_json))
        .route("/o/{slug}/openness/", get(crate::roadmap::public_page))
        .route("/o/{slug}/openness/report", get(crate::roadmap::report_page))
        .route(
            "/o/{slug}/openness/discussion/{id}",
            get(crate::discussion::public_page).post(crate::discussion::submit),
        )
        .route("/o/{slug}/openness/report.docx", get(crate::roadmap::report_docx))
        .route("/o/{slug}/openness/{file}", get(crate::roadmap::public_twin))
        .route(
            "/appeals/new",
            get(crate::appeals::new_form)
                .post(crate::appeals::submit)
                .layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
        )
        .route("/appeals/track/{token}", get(crate::appeals::track))
        .route("/o/{slug}/appeals/answers", get(crate::appeals::public_answers))
        .route("/appeals/stats", get(crate::appeal_stats::portal_page))
        .route("/appeals/stats.csv", get(crate::appeal_stats::portal_csv))
        .route("/o/{slug}/appeals/stats", get(crate::appeal_stats::body_page))
        .route("/o/{slug}/appeals/stats.csv", get(crate::appeal_stats::body_csv))
        .route("/appeals/confirm/{secret}", get(crate::appeals::confirm_form).post(crate::appeals::confirm))
        .route("/opendata/", get(crate::opendata::portal_section))
        .route("/opendata/list.csv", get(crate::opendata::portal_list))
        .route("/opendata/stats", get(crate::demand::portal_stats))
        .route("/opendata/stats.csv", get(crate::demand::portal_stats_csv))
        .route("/o/{slug}/opendata/stats", get(crate::demand::body_stats))
        .route("/opendata/requests", get(crate::datarequests::public_page).post(crate::datarequests::submit))
        .route("/opendata/list.xml", get(crate::opendata::portal_list_xml))
        .route("/opendata/all.zip", get(crate::opendata::bulk))
        .route("/catalog.ttl", get(crate::opendata::catalog_ttl))
        .route(
            "/api/opendata/{identifier}/versions",
            axum::routing::post(crate::push::push)
                .layer(axum::extract::DefaultBodyLimit::max(shell::middleware::UPLOAD_LIMIT)),
        )
        .route("/api/3/action/{name}", get(crate::ckan::action).post(crate::ckan::action))
        .route("/api/action/{name}", get(crate::ckan::action).post(crate::ckan::action))
        .route("/catalog.jsonld", get(crate::opendata::catalog_jsonld))
        .route("/opendata/{identifier}/", get(crate::opendata::passport_page))
        .route("/opendata/{identifier}/feedback", get(crate::feedback::public_page).post(crate::feedback::submit))
        .route("/opendata/{identifier}/{file}", get(crate::opendata::dataset_file))
        .route("/o/{slug}/opendata/", get(crate::opendata::body_section))
        .route("/o/{slug}/opendata/list.csv", get(crate::opendata::body_list))
        .route("/prefs", get(pages::prefs))
        .route("/healthz", get(pages::healthz))
        .route("/metrics", get(pages::metrics))
        .route("/static/site.css", get(pages::css))
}
