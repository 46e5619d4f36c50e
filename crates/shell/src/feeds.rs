//! Feeds as RSS 2.0 and Atom: a feed's title, its own address and the page it is about, and its
//! entries (`FeedEntry`, newest first). An entry's id is its page's address with the mechanism's
//! key of it, so it never changes and never repeats. The portal's feeds (`web`) and a mechanism's
//! own (the discussions about to close) are written by the same two functions.

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use crate::mechanism::FeedEntry;

/// Text as XML character data or an attribute value.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub struct Feed {
    pub title: String,
    /// The feed's own address and the page it is about, both absolute.
    pub own: String,
    pub page: String,
    pub base: String,
    pub entries: Vec<FeedEntry>,
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH).to_string()
}

fn rfc822(ms: i64) -> String {
    let t = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    t.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

fn id(f: &Feed, e: &FeedEntry) -> String {
    escape(&format!("{}{}#{}", f.base, e.path, e.key))
}

pub fn atom(f: &Feed) -> Response {
    let updated = f.entries.first().map_or(0, |e| e.updated);
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ru\">\n\
         <title>{}</title>\n<id>{}</id>\n<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" href=\"{}\"/>\n\
         <updated>{}</updated>\n<author><name>{}</name></author>\n",
        escape(&f.title),
        escape(&f.own),
        escape(&f.own),
        escape(&f.page),
        rfc3339(updated),
        escape(&f.title)
    );
    for e in &f.entries {
        s.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link rel=\"alternate\" href=\"{}\"/><updated>{}</updated>\
             <summary>{}</summary></entry>\n",
            escape(&e.title),
            id(f, e),
            escape(&format!("{}{}", f.base, e.path)),
            rfc3339(e.updated),
            escape(&e.summary)
        ));
    }
    s.push_str("</feed>\n");
    ([(CONTENT_TYPE, "application/atom+xml; charset=utf-8")], s).into_response()
}

pub fn rss(f: &Feed) -> Response {
    let updated = f.entries.first().map_or(0, |e| e.updated);
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n\
         <channel>\n<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>ru</language>\n\
         <lastBuildDate>{}</lastBuildDate>\n<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"{}\"/>\n",
        escape(&f.title),
        escape(&f.page),
        escape(&f.title),
        rfc822(updated),
        escape(&f.own)
    );
    for e in &f.entries {
        s.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"false\">{}</guid><pubDate>{}</pubDate>\
             <description>{}</description></item>\n",
            escape(&e.title),
            escape(&format!("{}{}", f.base, e.path)),
            id(f, e),
            rfc822(e.updated),
            escape(&e.summary)
        ));
    }
    s.push_str("</channel>\n</rss>\n");
    ([(CONTENT_TYPE, "application/rss+xml; charset=utf-8")], s).into_response()
}
