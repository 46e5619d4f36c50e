-- A link to a video explaining a document (seed 000 §25: explanations as pictures, audio and
-- video beside official documents), kept with each version.
ALTER TABLE site_content_versions ADD COLUMN video TEXT NOT NULL DEFAULT '';
