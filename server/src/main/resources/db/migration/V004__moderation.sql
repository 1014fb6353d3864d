-- The moderation queue: one item per message that needs a human (held by #chatsafe, reported,
-- hidden by a rule, escalated by staff), claimed with a lease, acted on with a reason (every
-- action also lands in audit_events); mutes; who is on duty; and what members are told.

CREATE TABLE mod_items (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id      bigint NOT NULL REFERENCES communities (id),
    room_id           bigint NOT NULL REFERENCES rooms (id),
    held_id           bigint UNIQUE REFERENCES held_messages (id),   -- a held message (no seq yet)
    seq               bigint,                                         -- a delivered message
    author_id         bigint NOT NULL REFERENCES users (id),
    category          text NOT NULL CHECK (length(category) BETWEEN 1 AND 40),   -- #chatsafe or report category
    severity          text NOT NULL CHECK (severity IN ('none', 'low', 'medium', 'high', 'imminent')),
    rank              smallint NOT NULL,                              -- imminent 4 ... none 0 (Triage.rank)
    sources           text[] NOT NULL,                                -- chatsafe, alert, report, rule, escalation
    reports           integer NOT NULL DEFAULT 0,                     -- different members who reported it
    hidden            boolean NOT NULL DEFAULT false,                 -- hidden pending review by a rule
    escalated         boolean NOT NULL DEFAULT false,                 -- handed to the on-duty professionals
    status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution        text CHECK (resolution IN ('released', 'removed', 'banned', 'dismissed')),
    claimed_by        bigint REFERENCES users (id),
    claim_expires_at  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    due_at            timestamptz NOT NULL,
    first_action_at   timestamptz,
    resolved_at       timestamptz,
    resolved_by       bigint REFERENCES users (id),
    CHECK ((held_id IS NULL) <> (seq IS NULL)),
    CHECK ((status = 'resolved') = (resolution IS NOT NULL))
);

-- At most one open item per delivered message: further reports join it.
CREATE UNIQUE INDEX mod_items_open_message ON mod_items (room_id, seq) WHERE status = 'open' AND seq IS NOT NULL;
CREATE INDEX mod_items_queue ON mod_items (community_id, rank DESC, created_at) WHERE status = 'open';
CREATE INDEX mod_items_author ON mod_items (author_id, created_at);
CREATE INDEX mod_items_claims ON mod_items (claim_expires_at) WHERE status = 'open' AND claimed_by IS NOT NULL;

-- Every item a held message had before this migration.
INSERT INTO mod_items (community_id, room_id, held_id, author_id, category, severity, rank, sources, created_at, due_at)
SELECT community_id, room_id, id, author_id, category, severity,
       CASE severity WHEN 'imminent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END,
       CASE WHEN alerted THEN '{chatsafe,alert}'::text[] ELSE '{chatsafe}'::text[] END, created_at, created_at
FROM held_messages WHERE status = 'held';

-- A message hidden pending review: shown as redacted (reason moderation) but its body is kept
-- until a moderator removes it or dismisses the reports (then it is shown again).
ALTER TABLE messages ADD COLUMN hidden_at timestamptz;
CREATE INDEX messages_hidden ON messages (room_id, seq) WHERE hidden_at IS NOT NULL;

CREATE INDEX reports_message ON reports (room_id, seq, created_at);

-- A member who may not send until then (all sockets, every node, survives reconnect).
ALTER TABLE users ADD COLUMN muted_until timestamptz;

-- On duty: one open shift per staff member and community.
CREATE TABLE duty_shifts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id),
    community_id  bigint NOT NULL REFERENCES communities (id),
    started_at    timestamptz NOT NULL DEFAULT now(),
    ended_at      timestamptz,
    ended_reason  text CHECK (ended_reason IN ('off', 'no_connection', 'disabled'))
);

CREATE UNIQUE INDEX duty_shifts_open ON duty_shifts (user_id, community_id) WHERE ended_at IS NULL;

-- What a member is told about a moderation decision, kept until they have seen it (pushed to
-- every socket at once and again on the next connection).
CREATE TABLE member_notices (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    kind        text NOT NULL CHECK (kind IN ('held_released', 'held_removed', 'removed', 'hidden', 'warning', 'muted')),
    room_id     bigint REFERENCES rooms (id),
    detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    seen_at     timestamptz
);

CREATE INDEX member_notices_unseen ON member_notices (user_id) WHERE seen_at IS NULL;
