-- A portal's corrections to the shipped production calendar: next year's decree, a regional
-- holiday, a fixed mistake. One row per day; it replaces whatever the shipped data says.
CREATE TABLE calendar_overrides (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
