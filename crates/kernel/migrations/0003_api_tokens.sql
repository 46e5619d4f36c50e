-- Tokens for information systems that push new data versions (seed 000 §23; seed 003 §3.3).
-- Only a hash is kept; the token is shown once.
CREATE TABLE api_tokens (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_body ON api_tokens(body_id);
