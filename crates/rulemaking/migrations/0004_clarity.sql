-- Clarity (seed 000 §25) and the regulatory impact assessment: a picture (an infographic or a
-- chart) with its description can lead a draft, and the summary report of the assessment, where
-- one is made, is published beside it.
ALTER TABLE drafts ADD COLUMN picture_key TEXT NOT NULL DEFAULT '';
ALTER TABLE drafts ADD COLUMN picture_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE drafts ADD COLUMN ria_summary TEXT NOT NULL DEFAULT '';
