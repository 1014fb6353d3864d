-- Kring core schema: communities, accounts, sessions, invites, rooms, messages, reports.
-- Privacy: no name, e-mail, phone, birth date or IP address of a member is stored.
-- E-mail and password hash exist only for staff accounts.

CREATE TABLE communities (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9_-]{1,62}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invites (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id  bigint NOT NULL REFERENCES communities (id),
    code_hash     bytea NOT NULL UNIQUE,          -- SHA-256 of the code; the code itself is never stored
    uses_left     integer NOT NULL CHECK (uses_left >= 0),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id        text NOT NULL UNIQUE,        -- pseudonymous id shown on the wire
    role             text NOT NULL CHECK (role IN ('member', 'peer_expert', 'professional', 'moderator', 'admin')),
    community_id     bigint REFERENCES communities (id),   -- a member's community; NULL for staff
    pseudonym        text NOT NULL,               -- a member's pseudonym, a staff member's display name
    age_band         text CHECK (age_band IN ('12-15', '16-17', '18-21', '22-25', '26+')),
    invite_id        bigint REFERENCES invites (id),       -- the credential a member joined with
    email            text UNIQUE,                 -- staff only, lower case
    password_hash    text,                        -- staff only, Argon2id PHC string
    all_communities  boolean NOT NULL DEFAULT false,       -- installation-wide staff (bootstrap admin)
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'member') = (community_id IS NOT NULL AND age_band IS NOT NULL AND invite_id IS NOT NULL)),
    CHECK ((role = 'member') = (email IS NULL AND password_hash IS NULL))
);

CREATE UNIQUE INDEX users_member_pseudonym ON users (community_id, lower(pseudonym)) WHERE role = 'member';

CREATE TABLE staff_communities (
    user_id       bigint NOT NULL REFERENCES users (id),
    community_id  bigint NOT NULL REFERENCES communities (id),
    PRIMARY KEY (user_id, community_id)
);

CREATE TABLE sessions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash  bytea NOT NULL UNIQUE,            -- SHA-256 of the bearer token
    user_id     bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE rooms (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id       bigint NOT NULL REFERENCES communities (id),
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind               text NOT NULL CHECK (kind IN ('community')),
    epoch              integer NOT NULL DEFAULT 1,
    last_seq           bigint NOT NULL DEFAULT 0,   -- the room's counter: seq of its newest message
    retained_from_seq  bigint NOT NULL DEFAULT 1,   -- older messages were removed by retention
    created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX rooms_community ON rooms (community_id);

-- The hot append-only table. room_id and author_id deliberately carry no foreign keys: their
-- per-row trigger checks were 40% of a group commit's time (EXPLAIN ANALYZE, 500 rows: 7.2 of
-- 17.9 ms). Integrity holds by construction: rooms and users are never deleted (they are
-- closed or anonymised instead), and the writer only inserts for a room and an author it has
-- just loaded from these tables. See docs/adr/0001.
CREATE TABLE messages (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id           bigint NOT NULL,
    seq               bigint NOT NULL,
    author_id         bigint NOT NULL,
    client_msg_id     text NOT NULL CHECK (length(client_msg_id) BETWEEN 1 AND 64),
    body              text NOT NULL,
    cw                boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL,
    redacted_at       timestamptz,
    redaction_reason  text CHECK (redaction_reason IN ('moderation', 'author')),
    UNIQUE (room_id, seq),
    UNIQUE (author_id, client_msg_id)           -- idempotency key of a send
);

CREATE TABLE reports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id      bigint NOT NULL REFERENCES rooms (id),
    seq          bigint NOT NULL,
    reporter_id  bigint NOT NULL REFERENCES users (id),
    category     text NOT NULL CHECK (category IN ('unsafe', 'bullying', 'privacy', 'spam', 'other')),
    reason       text CHECK (length(reason) <= 500),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (room_id, seq, reporter_id)
);
