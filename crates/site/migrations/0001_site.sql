-- The catalogue of what bodies must publish, as the portal admin loaded it (none: the built-in
-- one applies), and each body's record of every item: where and when it was published (and the
-- event that started its term), or that it does not apply, with the reason. Records are only
-- added: the newest one of an item is its state, the earlier ones its history.
CREATE TABLE site_catalogue (
    position BIGINT NOT NULL,
    code TEXT NOT NULL PRIMARY KEY,
    section TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    applies_to TEXT NOT NULL,
    freshness TEXT NOT NULL,
    basis TEXT NOT NULL DEFAULT ''
);

CREATE TABLE site_item_records (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    -- 'published', 'not_applicable' or 'applicable' (a «not applicable» undone)
    action TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL DEFAULT '',
    event_on TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX site_item_records_body ON site_item_records(body_id, code, id);

-- What kind of body it is, for the items that apply to it: 'executive', 'local', 'subordinate'.
CREATE TABLE site_body_kinds (
    body_id BIGINT NOT NULL PRIMARY KEY REFERENCES bodies(id) ON DELETE CASCADE,
    kind TEXT NOT NULL
);
