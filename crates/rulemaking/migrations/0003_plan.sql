-- The plan of rule-making (seed 000 §9; roadmap 002 items 21–27): a body's drafts planned for a
-- year, each with its kind, its term as a phrase, who prepares it, and the draft it became.
CREATE TABLE draft_plan_items (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL REFERENCES draft_kinds(code),
    term TEXT NOT NULL,
    responsible TEXT NOT NULL DEFAULT '',
    draft_id BIGINT REFERENCES drafts(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX draft_plan_items_body ON draft_plan_items(body_id, year, id);
