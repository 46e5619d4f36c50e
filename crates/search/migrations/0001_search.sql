-- Synonyms and abbreviations the portal's staff keep for search: a query with one side finds
-- things with the other too («ОГВ» and «орган государственной власти»).
CREATE TABLE search_synonyms (
    id IDENTITY_KEY,
    words TEXT NOT NULL,
    meaning TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (words, meaning)
);

-- What people search for, per day: how often each query was asked and how often it found
-- nothing (seed 000 §24). Nothing about who asked is kept.
CREATE TABLE search_queries (
    day TEXT NOT NULL,
    query TEXT NOT NULL,
    searches BIGINT NOT NULL,
    empty BIGINT NOT NULL,
    PRIMARY KEY (day, query)
);
