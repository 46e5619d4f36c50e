-- A complaint names the staff member (name or position) whose actions it is about.
ALTER TABLE submissions ADD COLUMN respondent TEXT NOT NULL DEFAULT '';
