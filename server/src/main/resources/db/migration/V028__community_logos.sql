-- Issue 27 (the back office): a community's logo as uploaded (PUT /api/v1/admin/communities/{slug}/logo),
-- kept in PostgreSQL so that every node of a cluster serves the same one
-- (GET /api/v1/communities/{slug}/logo). The type is checked against the file's magic bytes before it is stored.
CREATE TABLE community_logos (
    community_id  bigint PRIMARY KEY REFERENCES communities (id),
    media_type    text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/webp')),
    bytes         bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 262144),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
