-- Requests to publish new open datasets (seed 003 §3.1: received requests and the answers
-- are published, each answered within 30 days of registration). The e-mail is for the answer
-- only and is never shown.
CREATE TABLE dataset_requests (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    author_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    due_on TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    answered_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX dataset_requests_body ON dataset_requests(body_id, id);
