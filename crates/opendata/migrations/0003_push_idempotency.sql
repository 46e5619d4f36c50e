-- A push may carry an idempotency key: the same key for the same dataset returns the version
-- it made instead of making another.
ALTER TABLE dataset_versions ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX dataset_versions_idempotency ON dataset_versions(dataset_id, idempotency_key);
