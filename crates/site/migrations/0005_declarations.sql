-- The public declaration of a body's goals and tasks per year (seed 000 §27): its indicators with
-- planned and actual values, as JSON (`site::statements::Indicator`), replaced whole by each load.
CREATE TABLE site_declarations (
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    intro TEXT NOT NULL,
    rows_json TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (body_id, year)
);
