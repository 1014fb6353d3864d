-- Every node looks every ~500 ms for sessions revoked and users banned, disabled or erased since
-- its last look (accounts.RevocationWatch): a range scan on each of these, over the few rows that
-- carry a time. Partial indexes: most sessions are never revoked, most users never banned.
CREATE INDEX sessions_revoked_at ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX users_banned_at ON users (banned_at) WHERE banned_at IS NOT NULL;
CREATE INDEX users_deleted_at ON users (deleted_at) WHERE deleted_at IS NOT NULL;
