-- Issue 27 (the back office): recovery codes for a staff member's second factor. Ten random codes
-- (12 characters of 31, about 59 bits each) are shown once; only their SHA-256 is kept. Each works once at sign-in in place of
-- a TOTP code; a new set replaces the old one, and removing the second factor removes them.
CREATE TABLE totp_recovery_codes (
    user_id    bigint NOT NULL REFERENCES users (id),
    code_hash  bytea NOT NULL CHECK (octet_length(code_hash) = 32),
    used_at    timestamptz,
    PRIMARY KEY (user_id, code_hash)
);
