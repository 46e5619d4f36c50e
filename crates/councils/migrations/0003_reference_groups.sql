-- A body's reference groups (seed 000 §29): who they are, whom in the body each belongs to, the
-- channels used and the questions worked on; proposed by anyone, moderated and answered.
CREATE TABLE council_reference_groups (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    name TEXT NOT NULL,
    -- Who the group is: organisations, associations, social groups.
    about TEXT NOT NULL DEFAULT '',
    -- The questions the body works on with it (§29 а–д, or others).
    questions TEXT NOT NULL DEFAULT '',
    -- The channels used with it (site, media, councils, social networks, reception …).
    channels TEXT NOT NULL DEFAULT '',
    -- The official in the body responsible for the work with it.
    responsible TEXT NOT NULL DEFAULT '',
    -- listed, proposed, rejected
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    -- Who proposed it, to be told the answer; '' when the body listed it.
    email TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX council_reference_groups_body ON council_reference_groups(body_id, status, name);

-- The work done with a group, as published.
CREATE TABLE council_reference_work (
    id IDENTITY_KEY,
    group_id BIGINT NOT NULL REFERENCES council_reference_groups(id) ON DELETE CASCADE,
    done_on TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX council_reference_work_group ON council_reference_work(group_id, done_on);
