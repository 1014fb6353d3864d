-- Issue 27 (the back office): an admin edits a staff account (PATCH /api/v1/admin/staff/{id}).
-- totp_required: this account must enrol a second factor before anything else works, whatever
-- the installation's KRING_REQUIRE_TOTP says for its role.
ALTER TABLE staff_accounts ADD COLUMN totp_required boolean NOT NULL DEFAULT false;
-- badge: a short title shown beside the display name ("ervaringsdeskundige"); written by admins.
ALTER TABLE staff_accounts ADD COLUMN badge text CHECK (length(badge) BETWEEN 1 AND 40);

-- The audit trail is read newest first, filtered by actor (GET /api/v1/admin/audit?staff=...).
CREATE INDEX audit_events_actor ON audit_events (actor_id, id);
