//! A draft's comments on the discussion engine: a comment's part is a structural unit's anchor
//! (so it stays on article 2 in the next version), and the commenter confirms their address by
//! the link e-mailed to them before moderation sees the comment.

use deadlines::Date;
use discussion::{Identify, Subject, Table};

use crate::http::public::{Loaded, page_url};
use crate::store::Draft;

pub const COMMENTS: Table = Table {
    name: "draft_comments",
    subject: "draft_id",
    unit: "anchor_id",
    audit: "draft_comment",
    identify: Identify::ConfirmedEmail,
};

/// The draft as the engine sees it: new comments are on its current version.
pub fn subject<'a>(l: &'a Loaded, public_url: &str) -> Subject<'a> {
    Subject {
        id: l.d.id,
        body_id: l.d.body_id,
        title: &l.d.title,
        page: page_url(public_url, &l.body.slug, l.d.id),
        version: l.current().map_or(0, |v| v.number),
    }
}

/// Why a comment is not taken today.
pub fn closed_message(d: &Draft, today: Date) -> String {
    match d.stage_on(today) {
        "notice" => {
            "обсуждение проекта ещё не открыто: комментарии принимаются после размещения текста и сроков".into()
        }
        "closed" => format!("обсуждение завершено {}: комментарии больше не принимаются", day(&d.closes)),
        _ => "работа над проектом завершена: комментарии больше не принимаются".into(),
    }
}

/// «Обсуждение: с 09.12.2026 по 11.01.2027 включительно»
pub fn window_line(d: &Draft) -> String {
    format!("Общественное обсуждение: с {} по {} включительно", day(&d.opens), day(&d.closes))
}

fn day(iso: &str) -> String {
    iso.parse::<Date>().map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default()
}
