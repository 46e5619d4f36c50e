-- Public discussion of a draft roadmap (seed 000 §4: discussed before approval). A comment
-- is kept whatever happens to it: pending until a planner publishes or rejects it, and the
-- body's reply is shown beneath it. The e-mail address is for the reply only, never shown.
ALTER TABLE roadmaps ADD COLUMN discussion_until TEXT NOT NULL DEFAULT '';

CREATE TABLE roadmap_comments (
    id IDENTITY_KEY,
    roadmap_id BIGINT NOT NULL REFERENCES roadmaps(id) ON DELETE CASCADE,
    measure_id BIGINT REFERENCES measures(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    reject_reason TEXT NOT NULL DEFAULT '',
    reply TEXT NOT NULL DEFAULT '',
    replied_at BIGINT,
    moderated_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX roadmap_comments_roadmap ON roadmap_comments(roadmap_id, id);
