-- Online conferences of a body (seed 000 §41): the schedule the regional view checks, the topic
-- chosen by citizens' votes, questions taken before and answered after.
CREATE TABLE council_conferences (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    -- general, media (for journalists), head (with the body's head)
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    about TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    stream_url TEXT NOT NULL DEFAULT '',
    recording_url TEXT NOT NULL DEFAULT '',
    -- Topic voting is open until this moment; 0: the topic is not put to a vote.
    voting_until BIGINT NOT NULL DEFAULT 0,
    -- announced, cancelled
    status TEXT NOT NULL DEFAULT 'announced',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX council_conferences_body ON council_conferences(body_id, starts_at);
CREATE INDEX council_conferences_starts ON council_conferences(starts_at);

-- Topics put to the vote: the body's, and citizens' proposals once moderated.
CREATE TABLE council_conference_topics (
    id IDENTITY_KEY,
    conference_id BIGINT NOT NULL REFERENCES council_conferences(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    -- open (on the ballot), proposed (awaiting moderation), rejected
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    -- Who proposed it, to be told the answer; '' for the body's own.
    email TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX council_conference_topics_conference ON council_conference_topics(conference_id, id);

-- Votes: counted once confirmed by the e-mailed link, one counted vote per address.
CREATE TABLE council_conference_votes (
    id IDENTITY_KEY,
    conference_id BIGINT NOT NULL REFERENCES council_conferences(id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES council_conference_topics(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    token TEXT NOT NULL,
    -- unconfirmed, counted, refused (the address had voted already)
    status TEXT NOT NULL DEFAULT 'unconfirmed',
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT
);
CREATE INDEX council_conference_votes_conference ON council_conference_votes(conference_id, topic_id);
CREATE UNIQUE INDEX council_conference_votes_once ON council_conference_votes(conference_id, email)
    WHERE status = 'counted';

-- Questions sent before the conference: moderated, then answered after it.
CREATE TABLE council_conference_questions (
    id IDENTITY_KEY,
    conference_id BIGINT NOT NULL REFERENCES council_conferences(id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    question TEXT NOT NULL,
    -- new, accepted, rejected
    status TEXT NOT NULL DEFAULT 'new',
    reason TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    answered_at BIGINT
);
CREATE INDEX council_conference_questions_conference ON council_conference_questions(conference_id, id);
