-- The read APIs ask, often, whether the published datasets changed (their number and newest
-- change): an index answers without reading the table.
CREATE INDEX datasets_published ON datasets(published, updated_at);
