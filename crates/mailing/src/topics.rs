//! What one can subscribe to: the kinds of official information of §40 1) as the portal publishes
//! them. Each topic is a code and its interface string (`topic.<code>`).

pub const TOPICS: &[&str] = &["news", "documents", "drafts", "datasets", "meetings", "conferences", "appeals_stats"];

/// How often digests come.
pub const FREQUENCIES: &[&str] = &["immediately", "daily", "weekly"];

pub fn known(topic: &str) -> bool {
    TOPICS.contains(&topic)
}
