-- Appeals (59-FZ) and information requests (8-FZ). A submission is committed with its files'
-- keys and its acknowledgement in one transaction before any number is shown. Numbers are per
-- body and year from a counter advanced in that same transaction: a failed submission takes
-- none, so there are no gaps, and none is ever reused.
CREATE TABLE submission_counters (
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (body_id, year)
);
CREATE TABLE submissions (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    topic TEXT NOT NULL,
    text TEXT NOT NULL,
    author_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    postal_address TEXT NOT NULL DEFAULT '',
    -- email or post
    answer_by TEXT NOT NULL,
    -- How the applicant was identified: email_unverified (an address given, not yet confirmed),
    -- none (no electronic address); later email_link, esia.
    identified_by TEXT NOT NULL,
    -- SHA-256 of the secret tracking token.
    token_hash TEXT NOT NULL UNIQUE,
    -- SHA-256 of the secret, sent only by e-mail, that confirms the applicant's address.
    confirm_hash TEXT NOT NULL DEFAULT '',
    email_confirmed_at BIGINT,
    status TEXT NOT NULL DEFAULT 'registered',
    -- The result of consideration (Decree 171 typology) and the answer sent.
    result TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    answered_at BIGINT,
    -- The media outlet of a media request.
    outlet TEXT NOT NULL DEFAULT '',
    registered_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (body_id, year, seq)
);
CREATE INDEX submissions_body ON submissions(body_id, id);
CREATE TABLE submission_files (
    id IDENTITY_KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    file_key TEXT NOT NULL
);
CREATE INDEX submission_files_submission ON submission_files(submission_id);
-- What happened to a submission, as the tracking page shows it (no personal data here).
CREATE TABLE submission_events (
    id IDENTITY_KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX submission_events_submission ON submission_events(submission_id, id);

-- A question and its answer as published (seed 000 §37 «б»): redacted automatically when the
-- answer is given, reviewed by staff, then published or withheld with the reason.
CREATE TABLE submission_publications (
    submission_id BIGINT PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    result TEXT NOT NULL,
    -- draft, published or withheld
    status TEXT NOT NULL DEFAULT 'draft',
    reason TEXT NOT NULL DEFAULT '',
    due_on TEXT NOT NULL,
    published_at BIGINT
);
CREATE INDEX submission_publications_body ON submission_publications(body_id, status);
