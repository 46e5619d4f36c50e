-- Reports on a body's spending (seed 000 §27 а–е): a table per category and period, with the
-- body's own columns, as JSON (`site::reports::Table`), replaced whole by each load.
CREATE TABLE site_reports (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    period TEXT NOT NULL,
    period_name TEXT NOT NULL,
    title TEXT NOT NULL,
    table_json TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    UNIQUE (body_id, category, period)
);
