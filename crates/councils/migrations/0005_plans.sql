-- A council's draft work plan put to public discussion (roadmap 002 items 50–64: plans discussed
-- before approval) on the discussion engine: its items, one per line, are what comments are on.
CREATE TABLE council_plans (
    id IDENTITY_KEY,
    council_id BIGINT NOT NULL REFERENCES councils(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    -- The draft's items, one per line; a comment on item N names it by its number.
    items TEXT NOT NULL,
    -- The last day comments are taken (YYYY-MM-DD).
    discussion_until TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX council_plans_council ON council_plans(council_id, id);

CREATE TABLE council_plan_comments (
    id IDENTITY_KEY,
    plan_id BIGINT NOT NULL REFERENCES council_plans(id) ON DELETE CASCADE,
    -- The item's number (NULL: the whole plan).
    item BIGINT,
    version BIGINT NOT NULL DEFAULT 0,
    author_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    reject_reason TEXT NOT NULL DEFAULT '',
    reply TEXT NOT NULL DEFAULT '',
    replied_at BIGINT,
    moderated_at BIGINT,
    position TEXT NOT NULL DEFAULT '',
    confirm_token TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX council_plan_comments_plan ON council_plan_comments(plan_id, id);
