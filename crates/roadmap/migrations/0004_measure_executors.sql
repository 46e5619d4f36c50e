-- The staff accounts a planner named as a measure's executors. The executors cell stays text
-- (people without accounts, whole departments); only a linked account marks the measure's
-- execution and gets its reminders.
CREATE TABLE measure_executors (
    measure_id BIGINT NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (measure_id, user_id)
);
CREATE INDEX measure_executors_user ON measure_executors(user_id);
