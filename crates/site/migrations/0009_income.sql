-- Information on the incomes and property of a body's officials and their families per reporting
-- year (seed 000 §15; Указ № 613), as the body's table: its columns and each person's cells, as
-- JSON (`site::income::Table`) — relatives by relation only — replaced whole by each load.
CREATE TABLE site_income (
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    table_json TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (body_id, year)
);
