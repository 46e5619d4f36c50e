//! What one can subscribe to: the kinds of official information of §40 1) as the portal publishes
//! them. Each topic is a code and its interface string (`topic.<code>`).

pub const TOPICS: &[&str] = &["news", "documents", "drafts", "datasets", "meetings", "conferences", "appeals_stats"];

/// How often digests come.
pub const FREQUENCIES: &[&str] = &["immediately", "daily", "weekly"];

pub fn known(topic: &str) -> bool {
    TOPICS.contains(&topic)
}

/// The kinds of search documents (`kernel::search::Document::kind`) digests carry, and their topic.
pub const KINDS: &[(&str, &str)] =
    &[("news", "news"), ("document", "documents"), ("draft", "drafts"), ("dataset", "datasets")];

/// The topic of a search document's kind, if digests carry it.
pub fn of_kind(kind: &str) -> Option<&'static str> {
    KINDS.iter().find(|(k, _)| *k == kind).map(|(_, t)| *t)
}
