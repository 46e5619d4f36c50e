-- Tokens for information systems that push new data versions (seed 000 §23; seed 003 §3.3).
-- Only a hash is kept; the token is shown once. A push may carry an idempotency key: the
-- same key for the same dataset returns the version it made instead of making another.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_body ON api_tokens(body_id);

ALTER TABLE dataset_versions ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX dataset_versions_idempotency ON dataset_versions(dataset_id, idempotency_key);
