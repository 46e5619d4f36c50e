//! `sitemap.xml`: every public page of the portal — its own (the home, each body's page) and
//! every mechanism's. Up to 50,000 addresses it is one `urlset`; past that a `sitemapindex` of
//! files of 50,000 each (`/sitemaps/N.xml`), as sitemaps.org sets. Each file is written a window
//! of 5,000 addresses at a time, so memory stays bounded whatever the portal holds.

use axum::body::Body as HttpBody;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use kernel::bodies::Body;
use shell::AppState;
use shell::error::{AppError, AppResult};
use shell::mechanism::{Loc, SitemapSource};

/// Addresses in one sitemap file (sitemaps.org's limit).
pub const PER_FILE: u64 = 50_000;
/// Addresses read and written at a time.
const WINDOW: u64 = 5_000;

const OWN: SitemapSource = SitemapSource { portal: &["/"], per_body: &["/o/{slug}/"], kept: None };

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

struct Pages {
    state: AppState,
    bodies: Vec<Body>,
    sources: Vec<(SitemapSource, u64)>,
}

impl Pages {
    async fn of(state: &AppState) -> AppResult<Pages> {
        let bodies = state.directory().await?.bodies.clone();
        let mut sources = Vec::new();
        for s in std::iter::once(OWN).chain(state.mechanisms.iter().filter_map(|m| m.sitemap)) {
            let n = s.count(state, &bodies).await?;
            sources.push((s, n));
        }
        Ok(Pages { state: state.clone(), bodies, sources })
    }

    fn total(&self) -> u64 {
        self.sources.iter().map(|(_, n)| n).sum()
    }

    /// The addresses `offset .. offset + limit` across every source, in order.
    async fn window(&self, offset: u64, limit: u64) -> AppResult<Vec<Loc>> {
        let mut out = Vec::new();
        let mut start = 0;
        for (s, n) in &self.sources {
            let (from, to) = (offset.max(start), (offset + limit).min(start + n));
            if from < to {
                out.extend(s.window(&self.state, &self.bodies, from - start, to - from).await?);
            }
            start += n;
        }
        Ok(out)
    }
}

use shell::feeds::escape;

fn xml(body: HttpBody) -> Response {
    ([(CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
}

/// A `urlset` of the addresses `from .. to`, streamed a window at a time.
fn urlset(pages: Pages, base: String, from: u64, to: u64) -> Response {
    let head = futures::stream::once(async move {
        Ok::<_, AppError>(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{NS}\">\n"))
    });
    let windows = futures::stream::unfold((pages, from), move |(pages, at)| {
        let base = base.clone();
        async move {
            if at >= to {
                return None;
            }
            let limit = WINDOW.min(to - at);
            let chunk = pages.window(at, limit).await.map(|locs| {
                let mut s = String::with_capacity(locs.len() * 96);
                for l in locs {
                    s.push_str("<url><loc>");
                    s.push_str(&escape(&format!("{base}{}", l.path)));
                    s.push_str("</loc>");
                    if let Some(d) = l.lastmod {
                        s.push_str(&format!("<lastmod>{}</lastmod>", escape(&d)));
                    }
                    s.push_str("</url>\n");
                }
                s
            });
            Some((chunk, (pages, at + limit)))
        }
    });
    let tail = futures::stream::once(async { Ok::<_, AppError>("</urlset>\n".to_string()) });
    xml(HttpBody::from_stream(
        head.chain(windows).chain(tail).map(|r| r.map_err(|e| std::io::Error::other(format!("{e:?}")))),
    ))
}

pub async fn sitemap(State(state): State<AppState>) -> AppResult<Response> {
    let pages = Pages::of(&state).await?;
    let total = pages.total();
    let base = state.cfg.public_url.trim_end_matches('/').to_string();
    if total <= PER_FILE {
        return Ok(urlset(pages, base, 0, total));
    }
    let mut s = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{NS}\">\n");
    for n in 1..=total.div_ceil(PER_FILE) {
        s.push_str(&format!("<sitemap><loc>{}</loc></sitemap>\n", escape(&format!("{base}/sitemaps/{n}.xml"))));
    }
    s.push_str("</sitemapindex>\n");
    Ok(xml(HttpBody::from(s)))
}

/// One file of the index: `N.xml`, the addresses `(N - 1) × 50,000 ..`.
pub async fn part(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let n: u64 = file.strip_suffix(".xml").and_then(|n| n.parse().ok()).ok_or(AppError::NotFound)?;
    let pages = Pages::of(&state).await?;
    let total = pages.total();
    if n == 0 || total <= PER_FILE || (n - 1) * PER_FILE >= total {
        return Err(AppError::NotFound);
    }
    let base = state.cfg.public_url.trim_end_matches('/').to_string();
    let from = (n - 1) * PER_FILE;
    Ok(urlset(pages, base, from, (from + PER_FILE).min(total)))
}
