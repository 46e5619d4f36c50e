-- Independent anti-corruption expertise (seed 000 §34; 172-FZ art. 5): a draft published for
-- expertise with the first and last day conclusions are taken and the address they go to; each
-- conclusion in the Ministry of Justice's form with its findings, the 30-day term to answer it and
-- the body's reasoned answer, published.
ALTER TABLE drafts ADD COLUMN expertise_from TEXT NOT NULL DEFAULT '';
ALTER TABLE drafts ADD COLUMN expertise_until TEXT NOT NULL DEFAULT '';
ALTER TABLE drafts ADD COLUMN expertise_email TEXT NOT NULL DEFAULT '';

CREATE TABLE draft_conclusions (
    id IDENTITY_KEY,
    draft_id BIGINT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    -- person or organisation
    expert_kind TEXT NOT NULL,
    expert_name TEXT NOT NULL,
    accreditation_number TEXT NOT NULL,
    accreditation_date TEXT NOT NULL,
    act_details TEXT NOT NULL,
    received_on TEXT NOT NULL,
    answer_due TEXT NOT NULL,
    answer_due_ru TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    answered_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX draft_conclusions_draft ON draft_conclusions(draft_id, id);

CREATE TABLE draft_findings (
    id IDENTITY_KEY,
    conclusion_id BIGINT NOT NULL REFERENCES draft_conclusions(id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    factor TEXT NOT NULL,
    provision TEXT NOT NULL,
    remedy TEXT NOT NULL
);
CREATE INDEX draft_findings_conclusion ON draft_findings(conclusion_id, id);
