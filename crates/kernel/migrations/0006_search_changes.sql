-- The change log the portal's search follows: every change of something public that search shows
-- (published, changed, withdrawn) adds a row in the transaction that made it. Ids are taken from
-- the counter `search` of `versions` under its row lock, so they commit in order: a node that has
-- applied every change up to N misses none when it asks for those above N. Each node keeps its
-- own index and the last id it applied inside it; the index is rebuilt from the mechanisms' data.
CREATE TABLE search_changes (
    id BIGINT PRIMARY KEY,
    source TEXT NOT NULL,
    item BIGINT NOT NULL,
    at BIGINT NOT NULL
);
