-- Tracking links sent again: an applicant who lost the letter gives the number and the e-mail
-- address and gets a new link to the same page (the first one keeps working). As for the first
-- link, only a hash of the token is kept.
CREATE TABLE submission_links (
    token_hash TEXT PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX submission_links_submission ON submission_links (submission_id);
