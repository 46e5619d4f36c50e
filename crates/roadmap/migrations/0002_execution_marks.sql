-- Execution marks: what was done for a measure in a due period, with evidence. A new mark
-- never overwrites an old one; the newest per measure and period is the current one.
CREATE TABLE execution_marks (
    id IDENTITY_KEY,
    measure_id BIGINT NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    period TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    marked_on TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    user_id BIGINT,
    actor TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX execution_marks_measure ON execution_marks(measure_id, id);
