-- Page views per day and page (the path, without its query). body_id 0: the portal's own pages.
-- Nothing that names a visitor is stored: views by people, the views of those that began a
-- visit (no page of the portal led to them) and views by robots, counted apart.
CREATE TABLE visits_pages (
    day TEXT NOT NULL,
    path TEXT NOT NULL,
    body_id BIGINT NOT NULL,
    section TEXT NOT NULL,
    views BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    robots BIGINT NOT NULL,
    PRIMARY KEY (day, path)
);
CREATE INDEX visits_pages_body_day ON visits_pages (body_id, day);

-- Other sites whose links people followed to a body's pages (body_id 0: the portal's), per day:
-- the host name only.
CREATE TABLE visits_referrers (
    day TEXT NOT NULL,
    body_id BIGINT NOT NULL,
    host TEXT NOT NULL,
    views BIGINT NOT NULL,
    PRIMARY KEY (day, body_id, host)
);
