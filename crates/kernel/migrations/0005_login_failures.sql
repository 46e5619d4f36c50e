-- Wrong passwords are counted per account and client address: an attacker who guesses from one
-- address is slowed down (longer each time), and the owner signing in from another address is
-- not locked out by them.
CREATE TABLE login_failures (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0,
    locks BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    PRIMARY KEY (user_id, address)
);
-- `users.failed_logins` and `users.locked_until` are no longer read; they stay so that a backup
-- of an earlier release (which carries them) restores as it is.
