-- Reports of errors in published open data (seed 000 §24: each is answered within a set term,
-- found relevant or not, and a relevant error is fixed in the source). The e-mail is for the
-- reporter's notices only and is never shown or exported.
CREATE TABLE dataset_reports (
    id IDENTITY_KEY,
    dataset_id BIGINT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    -- The data version the reporter saw, and the row (1 = the first after the header) and column.
    version_stamp TEXT NOT NULL DEFAULT '',
    row_no BIGINT,
    field TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    -- registered, accepted, rejected or fixed.
    status TEXT NOT NULL DEFAULT 'registered',
    response TEXT NOT NULL DEFAULT '',
    due_on TEXT NOT NULL,
    -- The version that carries the fix.
    fixed_stamp TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX dataset_reports_dataset ON dataset_reports(dataset_id, id);
CREATE INDEX dataset_reports_body ON dataset_reports(body_id, status);

-- Demand for open data, counted per day: views of a passport page (file '') and downloads of
-- each file of a dataset's folder.
CREATE TABLE opendata_demand (
    day TEXT NOT NULL,
    dataset_id BIGINT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    file TEXT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (day, dataset_id, file)
);

-- What people searched for in the open-data section, per day (the words only, no address).
CREATE TABLE opendata_searches (
    day TEXT NOT NULL,
    query TEXT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (day, query)
);
