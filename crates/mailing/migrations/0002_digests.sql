-- Digests: what the portal published, as the mailing collects it from the search change log —
-- each public thing once, when it first appears, with its topic and body.
CREATE TABLE mailing_items (
    id IDENTITY_KEY,
    source TEXT NOT NULL,
    item BIGINT NOT NULL,
    part BIGINT NOT NULL DEFAULT 0,
    topic TEXT NOT NULL,
    body_id BIGINT NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    path TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    collected_at BIGINT NOT NULL,
    UNIQUE (source, item, part)
);
CREATE INDEX mailing_items_topic ON mailing_items(topic, body_id, id);

-- How far the collector has read the change log.
CREATE TABLE mailing_marks (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
-- The collector starts at the log's end: what was published before the mailing existed is no news.
INSERT INTO mailing_marks (name, value) SELECT 'changes', COALESCE(MAX(id), 0) FROM search_changes;
