//! Public comments on a draft plan under discussion (seed 000 §4 recommends discussing the
//! plan before approval), run by the discussion engine: anyone may comment on the whole plan or
//! on one measure, a planner publishes, rejects, replies or gives the body's position.

use discussion::{Identify, Subject, Table};

use crate::store::Roadmap;

/// The plan's comments: a comment's part is a measure.
pub const TABLE: Table = Table {
    name: "roadmap_comments",
    subject: "roadmap_id",
    unit: "measure_id",
    audit: "roadmap_comment",
    identify: Identify::Optional,
};

/// Whether the plan takes comments on `today`: under discussion and not past its last day.
pub fn accepting(roadmap: &Roadmap, today: deadlines::Date) -> bool {
    discussion::comments::accepting(roadmap.status == "discussion", roadmap.discussion_until.parse().ok(), today)
}

/// Where the discussion of a plan is on the public site.
pub fn page_url(public_url: &str, body_slug: &str, roadmap_id: i64) -> String {
    format!("{}/o/{body_slug}/openness/discussion/{roadmap_id}", public_url.trim_end_matches('/'))
}

/// The plan as the engine sees it.
pub fn subject<'a>(roadmap: &'a Roadmap, public_url: &str, body_slug: &str) -> Subject<'a> {
    Subject {
        id: roadmap.id,
        body_id: roadmap.body_id,
        title: &roadmap.title,
        page: page_url(public_url, body_slug, roadmap.id),
        version: 0,
    }
}
