-- Rule-making in the open (seed 000 §9, §26): a body's drafts of normative acts, from the notice
-- that one is being prepared to the adopted act or its withdrawal.

-- The portal's rule per kind of act: the shortest public discussion, counted from the day the
-- draft is published, and where a last day on a day off goes. A setting each, with its source.
CREATE TABLE draft_kinds (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    amount BIGINT NOT NULL,
    unit TEXT NOT NULL,
    on_day_off TEXT NOT NULL,
    source TEXT NOT NULL,
    position BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO draft_kinds (code, name, amount, unit, on_day_off, source, position, updated_at) VALUES
    ('regulation', 'Административный регламент', 1, 'months', 'following',
     'Срок независимой экспертизы проекта административного регламента — не менее одного месяца со дня его размещения (ст. 13 Федерального закона от 27.07.2010 № 210-ФЗ; Методические рекомендации, п. 26).', 1, 0),
    ('normative', 'Иной нормативный правовой акт', 15, 'calendar_days', 'following',
     'Срок обсуждения устанавливает его организатор (ч. 4 ст. 24 Федерального закона от 21.07.2014 № 212-ФЗ). 15 календарных дней — значение портала по умолчанию: замените его сроком из порядка вашего региона.', 2, 0);

CREATE TABLE drafts (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    kind TEXT NOT NULL REFERENCES draft_kinds(code),
    title TEXT NOT NULL,
    -- notice, discussion, adopted, withdrawn (a discussion past its last day reads as closed)
    stage TEXT NOT NULL DEFAULT 'notice',
    -- The notice (§9, §26): the concept in plain words, the expected costs and benefits.
    concept TEXT NOT NULL DEFAULT '',
    costs_benefits TEXT NOT NULL DEFAULT '',
    -- Clarity (§25): a plain-language summary and a video that can lead the draft.
    plain_summary TEXT NOT NULL DEFAULT '',
    video_url TEXT NOT NULL DEFAULT '',
    -- The discussion's window (YYYY-MM-DD) and why it ends when it does.
    opens TEXT NOT NULL DEFAULT '',
    closes TEXT NOT NULL DEFAULT '',
    window_ru TEXT NOT NULL DEFAULT '',
    window_en TEXT NOT NULL DEFAULT '',
    -- The result: the adopted act's details, or why the draft was withdrawn.
    result TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX drafts_body ON drafts(body_id, id);

-- Each version of the draft's text as uploaded; its units below.
CREATE TABLE draft_versions (
    id IDENTITY_KEY,
    draft_id BIGINT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    file_key TEXT NOT NULL,
    media_type TEXT NOT NULL,
    preamble TEXT NOT NULL DEFAULT '',
    closing TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (draft_id, number)
);

-- A structural unit's place in the draft, the same in every version (`st2` is article 2).
CREATE TABLE draft_anchors (
    id IDENTITY_KEY,
    draft_id BIGINT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    -- As the newest version that has it names it, and its place there.
    label TEXT NOT NULL DEFAULT '',
    ord BIGINT NOT NULL DEFAULT 0,
    UNIQUE (draft_id, key)
);

CREATE TABLE draft_units (
    version_id BIGINT NOT NULL REFERENCES draft_versions(id) ON DELETE CASCADE,
    ord BIGINT NOT NULL,
    anchor_id BIGINT NOT NULL REFERENCES draft_anchors(id),
    label TEXT NOT NULL,
    depth BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (version_id, ord)
);

-- The draft's timeline: each stage, dated.
CREATE TABLE draft_events (
    id IDENTITY_KEY,
    draft_id BIGINT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    what TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX draft_events_draft ON draft_events(draft_id, id);

-- Comments, in the discussion engine's shape: a comment's part is an anchor.
CREATE TABLE draft_comments (
    id IDENTITY_KEY,
    draft_id BIGINT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    anchor_id BIGINT REFERENCES draft_anchors(id),
    version BIGINT NOT NULL DEFAULT 0,
    author_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    reject_reason TEXT NOT NULL DEFAULT '',
    reply TEXT NOT NULL DEFAULT '',
    replied_at BIGINT,
    moderated_at BIGINT,
    position TEXT NOT NULL DEFAULT '',
    confirm_token TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX draft_comments_draft ON draft_comments(draft_id, id);
