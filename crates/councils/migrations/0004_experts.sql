-- The experts database (seed 000 §30): public except personal data — a name only with consent.
CREATE TABLE council_experts (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    full_name TEXT NOT NULL,
    competences TEXT NOT NULL,
    affiliation TEXT NOT NULL DEFAULT '',
    -- Consent to the dissemination of the name (152-FZ art. 10.1): 1 shows it.
    consent BIGINT NOT NULL DEFAULT 0,
    -- Seen by staff only.
    email TEXT NOT NULL DEFAULT '',
    -- Councils and discussions the expert took part in, one per line.
    participation TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX council_experts_body ON council_experts(body_id, full_name);

-- Open selection of candidates to a council (§30: «открыто и гласно на конкурсной основе»).
CREATE TABLE council_calls (
    id IDENTITY_KEY,
    council_id BIGINT NOT NULL REFERENCES councils(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    requirements TEXT NOT NULL,
    -- Applications are taken through the end of this day (YYYY-MM-DD, the portal's zone).
    deadline_on TEXT NOT NULL,
    -- The result with its grounds, published after the deadline.
    result TEXT NOT NULL DEFAULT '',
    decided_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX council_calls_council ON council_calls(council_id, id);

CREATE TABLE council_applications (
    id IDENTITY_KEY,
    call_id BIGINT NOT NULL REFERENCES council_calls(id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    about TEXT NOT NULL,
    -- The documents attached: a JSON list of {"key", "name", "size"} in storage.
    files TEXT NOT NULL DEFAULT '[]',
    -- received, selected, not_selected
    status TEXT NOT NULL DEFAULT 'received',
    created_at BIGINT NOT NULL
);
CREATE INDEX council_applications_call ON council_applications(call_id, id);
