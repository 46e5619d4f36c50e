//! The portal's own public pages: the home, a body's page, preferences, health and metrics.

pub mod feeds;
pub mod pages;
pub mod sitemap;

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
        .route("/design", get(pages::design))
        .route("/prefs", get(pages::prefs))
        .route("/healthz", get(pages::healthz))
        .route("/metrics", get(pages::metrics))
        .route("/static/site.css", get(pages::css))
        .route("/static/icon.svg", get(pages::icon))
        .route("/favicon.ico", get(pages::icon))
        .route("/robots.txt", get(pages::robots))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/feed.atom", get(feeds::portal_atom))
        .route("/feed.rss", get(feeds::portal_rss))
        .route("/o/{slug}/feed.atom", get(feeds::body_atom))
        .route("/o/{slug}/feed.rss", get(feeds::body_rss))
        .route("/sitemaps/{file}", get(sitemap::part))
        .route("/api/openapi.json", get(pages::openapi))
}
