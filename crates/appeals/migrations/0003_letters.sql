-- Notices sent to an applicant who asked for the answer by post: one letter per notice (the
-- answer, an extension, a forwarding, an art. 11 notice), with the day it was posted, the postal
-- tracking number, and the day it was delivered once the post office says so.
CREATE TABLE submission_letters (
    id IDENTITY_KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    tracking TEXT NOT NULL DEFAULT '',
    delivered_on TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (submission_id, what)
);
