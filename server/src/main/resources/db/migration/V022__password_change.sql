-- Issue 26, item 5: an admin's reset of a staff member's password sets a temporary one; with it
-- the staff member can only choose a new password (POST /api/v1/me/password) until they have.
ALTER TABLE staff_accounts ADD COLUMN password_change_required boolean NOT NULL DEFAULT false;

-- From now on totp_secret holds the secret encrypted with the server key ('v1:' and base64 of
-- an AES-GCM nonce and ciphertext). A secret stored in plain base32 before this version is still
-- read, and is encrypted at its next good use (SQL cannot encrypt it here: the key is not in the
-- database).
COMMENT ON COLUMN staff_accounts.totp_secret IS 'v1: AES-GCM with the server key (KRING_SECRET_KEY); plain base32 before V022';

-- Sessions ended by a password change (every other session of that user) or by an admin's reset.
ALTER TABLE sessions DROP CONSTRAINT sessions_revoked_reason_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_revoked_reason_check
    CHECK (revoked_reason IN ('logout', 'revoked', 'banned', 'erased', 'disabled', 'password_changed', 'password_reset'));
