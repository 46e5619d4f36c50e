-- Personal reception of citizens by the body's leadership (seed 000 §8): the times an official
-- receives, each with its place and how many people it takes, and who signed up. A booking
-- holds personal data: only the body's reception staff see it, and it is never published.
CREATE TABLE site_reception_slots (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    official TEXT NOT NULL,
    -- Local date and time, 'YYYY-MM-DDTHH:MM', in the portal's time zone.
    starts_at TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    place TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    booked BIGINT NOT NULL DEFAULT 0,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX site_reception_slots_body ON site_reception_slots(body_id, starts_at);

CREATE TABLE site_reception_bookings (
    id IDENTITY_KEY,
    slot_id BIGINT NOT NULL REFERENCES site_reception_slots(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX site_reception_bookings_slot ON site_reception_bookings(slot_id);
