-- Cancelling (seed 000 §8): a citizen cancels their booking by the secret link in their letter
-- (only its hash is kept); staff cancel a time with a reason, and everyone booked is told.
ALTER TABLE site_reception_bookings ADD COLUMN token_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE site_reception_bookings ADD COLUMN cancelled_at BIGINT;
ALTER TABLE site_reception_slots ADD COLUMN cancelled_at BIGINT;
ALTER TABLE site_reception_slots ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX site_reception_bookings_token ON site_reception_bookings(token_hash);
