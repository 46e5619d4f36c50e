-- The compliance engine: each body's obligations as last evaluated, with their status and its
-- reasons; what staff decided about them; each body's index, now and at each quarter's end; the
-- methodologies loaded; how far the engine has read the audit log.
CREATE TABLE compliance_statuses (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL,
    obligation TEXT NOT NULL,
    mechanism TEXT NOT NULL,
    indicator TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    href TEXT NOT NULL,
    status TEXT NOT NULL,
    due TEXT,
    days_late BIGINT NOT NULL DEFAULT 0,
    evidence_label TEXT NOT NULL DEFAULT '',
    evidence_href TEXT NOT NULL DEFAULT '',
    evidence_on TEXT,
    reason TEXT NOT NULL DEFAULT '',
    -- When it came to this status (ms).
    since BIGINT NOT NULL,
    UNIQUE (body_id, obligation)
);
CREATE INDEX compliance_statuses_status ON compliance_statuses(status, body_id);

-- Each body's index as last evaluated: the audit log's id and the day it reflects (a slower evaluation of an
-- older state never overwrites a newer one), the methodology, the score (permille of 100 %, none
-- when nothing counted), per parameter and per mechanism (JSON), and the statuses counted.
CREATE TABLE compliance_bodies (
    body_id BIGINT PRIMARY KEY,
    as_of BIGINT NOT NULL,
    evaluated_at BIGINT NOT NULL,
    day TEXT NOT NULL,
    methodology TEXT NOT NULL,
    score BIGINT,
    parameters TEXT NOT NULL,
    mechanisms TEXT NOT NULL,
    late BIGINT NOT NULL,
    missing BIGINT NOT NULL,
    upcoming BIGINT NOT NULL,
    satisfied BIGINT NOT NULL,
    not_applicable BIGINT NOT NULL
);

-- The index at the end of each quarter (the last evaluation in it), for trends.
CREATE TABLE compliance_history (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL,
    quarter TEXT NOT NULL,
    methodology TEXT NOT NULL,
    day TEXT NOT NULL,
    score BIGINT,
    parameters TEXT NOT NULL,
    UNIQUE (body_id, quarter, methodology)
);

-- What staff decided where the mechanisms cannot know: an obligation does not apply (and why), or
-- evidence held outside Glasnost (for the due date it answers). The newest row of an obligation
-- decides; a withdrawal is a row of kind 'withdrawn'.
CREATE TABLE compliance_decisions (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL,
    obligation TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    evidence_href TEXT NOT NULL DEFAULT '',
    evidence_on TEXT,
    for_due TEXT,
    user_id BIGINT,
    actor TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX compliance_decisions_body ON compliance_decisions(body_id, obligation, id);

-- Methodologies loaded by the portal, each version kept; the newest active one is in use (none:
-- the built-in one).
CREATE TABLE compliance_methodologies (
    id IDENTITY_KEY,
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 0,
    actor TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (code, version)
);

-- How far the engine has read the audit log, and the day of its last evaluation of every body.
CREATE TABLE compliance_marks (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
