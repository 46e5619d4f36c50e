-- The question as a reader would put it, written by staff when they publish: the heading of the
-- published answer. And which automatic replacements staff undid ("q:START" or "a:START", the
-- byte where the replacement starts in the question or the answer as written).
ALTER TABLE submission_publications ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE submission_publications ADD COLUMN undone TEXT NOT NULL DEFAULT '';
