-- A meeting cancelled before it began: why (shown on its page, sent to those registered).
ALTER TABLE council_meetings ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
