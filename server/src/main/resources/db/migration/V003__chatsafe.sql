-- #chatsafe: messages held for a moderator, the helplines a community adds to 113 and 112, and
-- the mark on a delivered message whose author shared something heavy (ideation, self-harm), so
-- that a reader who replies gets responder guidance. Adding a column with a constant default is
-- a catalogue change only (no table rewrite).

ALTER TABLE messages ADD COLUMN care boolean NOT NULL DEFAULT false;

-- A held message is stored here, without a seq; it gets one only when a moderator releases it
-- (the moderation issue). (author_id, client_msg_id) keeps a repeated send idempotent.
CREATE TABLE held_messages (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id        bigint NOT NULL REFERENCES rooms (id),
    community_id   bigint NOT NULL REFERENCES communities (id),
    author_id      bigint NOT NULL REFERENCES users (id),
    client_msg_id  text NOT NULL CHECK (length(client_msg_id) BETWEEN 1 AND 64),
    body           text NOT NULL,
    cw             boolean NOT NULL DEFAULT false,
    category       text NOT NULL,
    severity       text NOT NULL CHECK (severity IN ('none', 'low', 'medium', 'high', 'imminent')),
    rule           text NOT NULL,
    findings       text[] NOT NULL,                  -- every rule that matched
    alerted        boolean NOT NULL DEFAULT false,
    status         text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'released', 'removed', 'dismissed')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    decided_at     timestamptz,
    decided_by     bigint REFERENCES users (id),
    released_seq   bigint,
    UNIQUE (author_id, client_msg_id)
);

CREATE INDEX held_messages_queue ON held_messages (community_id, status, created_at);

-- Helplines and other places to get help, beyond the built-in 113 and 112.
CREATE TABLE help_resources (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id  bigint REFERENCES communities (id),   -- NULL: shown in every community
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    phone         text CHECK (length(phone) BETWEEN 3 AND 30),
    url           text CHECK (url ~ '^https://[^[:space:]]+$' AND length(url) <= 300),
    hours         text NOT NULL CHECK (length(hours) BETWEEN 1 AND 300),   -- 'always' or 'mon-fri 09:00-17:00, ...'
    crisis        boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    removed_at    timestamptz
);

CREATE INDEX help_resources_community ON help_resources (community_id) WHERE removed_at IS NULL;
