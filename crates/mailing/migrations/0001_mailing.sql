-- Targeted mailing (seed 000 §40, §38.5к): subscribers without an account, each by double opt-in.
-- An address is a subscriber once; what it wants lives in mailing_interests.
CREATE TABLE mailing_subscribers (
    id IDENTITY_KEY,
    -- Lowercased; personal data, seen by the mailing's operators only (§40з).
    email TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL DEFAULT 'ru',
    -- immediately, daily, weekly: how often digests come.
    frequency TEXT NOT NULL DEFAULT 'weekly',
    -- pending (not confirmed yet), active, unsubscribed, suppressed (after a hard bounce)
    status TEXT NOT NULL,
    -- The secret of the preferences page and the unsubscribe link in every letter.
    manage_token TEXT NOT NULL UNIQUE,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    changed_at BIGINT NOT NULL,
    -- Digests: the last change-log mark and moment a digest was made for this subscriber.
    digest_mark BIGINT NOT NULL DEFAULT 0,
    digest_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX mailing_subscribers_status ON mailing_subscribers(status, id);

-- A subscriber's topics, each for one body or (body_id 0) for every body.
CREATE TABLE mailing_interests (
    subscriber_id BIGINT NOT NULL REFERENCES mailing_subscribers(id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    body_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (subscriber_id, topic, body_id)
);
CREATE INDEX mailing_interests_topic ON mailing_interests(topic, body_id);

-- A request to subscribe, waiting for its link: what was asked is applied when it is confirmed.
-- Only the token's hash is kept; a link is used once and expires.
CREATE TABLE mailing_confirmations (
    id IDENTITY_KEY,
    subscriber_id BIGINT NOT NULL REFERENCES mailing_subscribers(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    -- {"topics": [...], "bodies": [...], "frequency": "...", "lang": "..."}
    request TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    asked_from TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- The fact of consent (152-FZ art. 9): which text, which version, when, confirmed by which link.
CREATE TABLE mailing_consents (
    id IDENTITY_KEY,
    subscriber_id BIGINT NOT NULL REFERENCES mailing_subscribers(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    text TEXT NOT NULL,
    asked_at BIGINT NOT NULL,
    asked_from TEXT NOT NULL DEFAULT '',
    given_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX mailing_consents_subscriber ON mailing_consents(subscriber_id, id);

-- What happened to subscribers, for statistics over time (§39б): subscribed, confirmed, changed,
-- unsubscribed (how: link, one-click), suppressed.
CREATE TABLE mailing_events (
    id IDENTITY_KEY,
    subscriber_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX mailing_events_at ON mailing_events(at, kind);

-- A body's campaign: a letter written once, sent to the subscribers of its topics and bodies.
CREATE TABLE mailing_campaigns (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    subject TEXT NOT NULL,
    text TEXT NOT NULL,
    -- Comma-separated topic codes and body ids of the audience.
    topics TEXT NOT NULL,
    bodies TEXT NOT NULL,
    -- draft, scheduled, sending, sent, cancelled
    status TEXT NOT NULL,
    send_at BIGINT,
    recipients BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT
);
CREATE INDEX mailing_campaigns_body ON mailing_campaigns(body_id, id);
CREATE INDEX mailing_campaigns_due ON mailing_campaigns(status, send_at);

-- The delivery ledger: one row per letter of a campaign or digest to one subscriber; its sending
-- state is the outbox job's (jobs.idempotency_key = job_key), a bounce reported later is here.
CREATE TABLE mailing_deliveries (
    id IDENTITY_KEY,
    campaign_id BIGINT NOT NULL DEFAULT 0,
    subscriber_id BIGINT NOT NULL,
    email TEXT NOT NULL,
    job_key TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL UNIQUE,
    -- '', hard, soft
    bounce TEXT NOT NULL DEFAULT '',
    bounce_reply TEXT NOT NULL DEFAULT '',
    bounced_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX mailing_deliveries_campaign ON mailing_deliveries(campaign_id, id);
CREATE INDEX mailing_deliveries_subscriber ON mailing_deliveries(subscriber_id, id);
