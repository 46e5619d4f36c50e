-- Openness roadmaps (seed 000 §4): a body's plan, its sections and numbered measures.
CREATE TABLE roadmaps (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    period TEXT NOT NULL DEFAULT '',
    approving_act TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    source_name TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX roadmaps_body ON roadmaps(body_id);

CREATE TABLE roadmap_sections (
    id IDENTITY_KEY,
    roadmap_id BIGINT NOT NULL REFERENCES roadmaps(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX roadmap_sections_roadmap ON roadmap_sections(roadmap_id, position);

CREATE TABLE measures (
    id IDENTITY_KEY,
    roadmap_id BIGINT NOT NULL REFERENCES roadmaps(id) ON DELETE CASCADE,
    section_id BIGINT REFERENCES roadmap_sections(id) ON DELETE SET NULL,
    position BIGINT NOT NULL,
    number TEXT NOT NULL,
    text TEXT NOT NULL,
    stage BIGINT,
    deadline TEXT NOT NULL DEFAULT '',
    executors TEXT NOT NULL DEFAULT '',
    expected TEXT,
    continuation BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX measures_roadmap ON measures(roadmap_id, position);
