-- The roadmap's comments run on the discussion engine: the version of the draft a comment was
-- made on, the body's position on the proposal, and the hash of the link that confirms it.
ALTER TABLE roadmap_comments ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE roadmap_comments ADD COLUMN position TEXT NOT NULL DEFAULT '';
ALTER TABLE roadmap_comments ADD COLUMN confirm_token TEXT NOT NULL DEFAULT '';
