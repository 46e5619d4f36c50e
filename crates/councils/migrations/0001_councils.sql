-- Public councils and other collegial bodies of a body (seed 000 §29–32): who sits on them, what
-- they publish and when, their meetings from the announcement to the minutes.

CREATE TABLE councils (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    -- public_council, collegium, commission, working_group, expert_council
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    about TEXT NOT NULL DEFAULT '',
    -- Where it sits and how to reach it (§32: address, phone, e-mail); the e-mail also gets the
    -- secretary's reminders.
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    -- The conditions of presence at its meetings (§32), shown with each announcement.
    attendance TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX councils_body ON councils(body_id, id);

-- The composition: each member with a role and a term. The name and the photo are public only
-- with the member's consent to their dissemination (152-FZ art. 10.1).
CREATE TABLE council_members (
    id IDENTITY_KEY,
    council_id BIGINT NOT NULL REFERENCES councils(id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    -- chair, deputy, secretary, member
    role TEXT NOT NULL,
    -- Where the member works or whom they represent.
    affiliation TEXT NOT NULL DEFAULT '',
    term_from TEXT NOT NULL DEFAULT '',
    term_until TEXT NOT NULL DEFAULT '',
    consent BIGINT NOT NULL DEFAULT 0,
    photo_key TEXT NOT NULL DEFAULT '',
    -- Set when the member has left the council (YYYY-MM-DD).
    left_on TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX council_members_council ON council_members(council_id, id);

-- Its documents: regulations (each new one a version), work plans, annual reports, other acts.
CREATE TABLE council_documents (
    id IDENTITY_KEY,
    council_id BIGINT NOT NULL REFERENCES councils(id) ON DELETE CASCADE,
    -- regulations, plan, report, act
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    -- The approving act's details as written («приказ от 01.12.2026 № 15»).
    approved_by TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX council_documents_council ON council_documents(council_id, id);

-- Every publication of a change (the composition, a document), with the day the change was
-- approved: each must be on the site within the freshness term (004 §5.1–5.4: 3 days).
CREATE TABLE council_publications (
    id IDENTITY_KEY,
    council_id BIGINT NOT NULL REFERENCES councils(id) ON DELETE CASCADE,
    -- composition, regulations, plan, report, act
    what TEXT NOT NULL,
    title TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    published_on TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    late BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX council_publications_council ON council_publications(council_id, id);

-- Meetings: the announcement, then what came of it.
CREATE TABLE council_meetings (
    id IDENTITY_KEY,
    council_id BIGINT NOT NULL REFERENCES councils(id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    place TEXT NOT NULL,
    attendance TEXT NOT NULL DEFAULT '',
    -- The documents to be discussed, as links or names, one per line.
    documents TEXT NOT NULL DEFAULT '',
    -- Seats for the public; 0: registration is not needed.
    capacity BIGINT NOT NULL DEFAULT 0,
    stream_url TEXT NOT NULL DEFAULT '',
    recording_url TEXT NOT NULL DEFAULT '',
    -- Announced later than the minimum notice: why (shown with the announcement).
    extraordinary TEXT NOT NULL DEFAULT '',
    -- A closed session: the federal law that restricts access to what is discussed (§32).
    closed_law TEXT NOT NULL DEFAULT '',
    -- announced, cancelled
    status TEXT NOT NULL DEFAULT 'announced',
    -- After the meeting: the minutes, who attended, the transcript.
    minutes TEXT NOT NULL DEFAULT '',
    attended TEXT NOT NULL DEFAULT '',
    transcript TEXT NOT NULL DEFAULT '',
    minutes_at BIGINT,
    -- The registrants were reminded the day before.
    reminded BIGINT NOT NULL DEFAULT 0,
    announced_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX council_meetings_council ON council_meetings(council_id, starts_at);
CREATE INDEX council_meetings_starts ON council_meetings(starts_at);

-- The agenda: its items in order, each with its speaker and, after the meeting, its decision.
CREATE TABLE council_agenda (
    meeting_id BIGINT NOT NULL REFERENCES council_meetings(id) ON DELETE CASCADE,
    ord BIGINT NOT NULL,
    title TEXT NOT NULL,
    -- A member of the council (shown by their consent) or, when 0, the speaker as written.
    speaker_member BIGINT NOT NULL DEFAULT 0,
    speaker TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    -- '', in_work, done, not_done
    decision_status TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, ord)
);

-- Who registered to attend: confirmed by an e-mailed link, then a seat or the waiting list.
CREATE TABLE council_registrations (
    id IDENTITY_KEY,
    meeting_id BIGINT NOT NULL REFERENCES council_meetings(id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    -- unconfirmed, seat, waiting, cancelled
    status TEXT NOT NULL DEFAULT 'unconfirmed',
    token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT
);
CREATE INDEX council_registrations_meeting ON council_registrations(meeting_id, id);
