-- eSpreekuren: scheduled consultation hours. A spreekuur has a group room (kind 'spreekuur') that
-- the clock opens and closes, scheduled hosts (peer experts, professionals), and optionally a
-- one-to-one queue: a member asks for a private talk, a host takes the next member (risk first)
-- and a private room for the two opens. Feedback after a talk is stored without any link to the
-- member, the talk or the time of day (SchemaPrivacyTest and docs/operations.md).

CREATE TABLE spreekuren (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id      bigint NOT NULL REFERENCES communities (id),
    room_id           bigint NOT NULL UNIQUE REFERENCES rooms (id),       -- the group room
    topic             text NOT NULL CHECK (length(topic) BETWEEN 1 AND 200),
    description       text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    first_day         date NOT NULL,                                      -- weekly: every week on this weekday
    start_time        time NOT NULL,                                      -- wall clock, Europe/Amsterdam
    duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 720),
    weekly            boolean NOT NULL,
    last_day          date CHECK (last_day IS NULL OR (weekly AND last_day >= first_day)),
    capacity          integer NOT NULL CHECK (capacity BETWEEN 2 AND 10000),
    one_to_one        boolean NOT NULL,
    closing_text      text NOT NULL CHECK (length(closing_text) BETWEEN 1 AND 1000),
    created_by        bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    cancelled_at      timestamptz
);

CREATE INDEX spreekuren_community ON spreekuren (community_id) WHERE cancelled_at IS NULL;

CREATE TABLE spreekuur_hosts (
    spreekuur_id  bigint NOT NULL REFERENCES spreekuren (id),
    user_id       bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (spreekuur_id, user_id)
);

-- What the clock did: one row per session that opened. Opening and closing are conditional
-- writes on this row, so a restart or a second node never opens or closes a session twice.
CREATE TABLE spreekuur_occurrences (
    spreekuur_id  bigint NOT NULL REFERENCES spreekuren (id),
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    opened_at     timestamptz NOT NULL DEFAULT now(),
    closed_at     timestamptz,
    PRIMARY KEY (spreekuur_id, starts_at)
);

CREATE INDEX spreekuur_occurrences_open ON spreekuur_occurrences (ends_at) WHERE closed_at IS NULL;

-- The one-to-one queue of one session. rank is Triage.rank of the highest #chatsafe severity seen
-- from the member (imminent 4 … none 0); the order is rank, then the time of asking.
CREATE TABLE spreekuur_requests (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    spreekuur_id  bigint NOT NULL REFERENCES spreekuren (id),
    starts_at     timestamptz NOT NULL,                                   -- the session asked in
    user_id       bigint NOT NULL REFERENCES users (id),
    rank          smallint NOT NULL DEFAULT 0,
    severity      text NOT NULL DEFAULT 'none' CHECK (severity IN ('none', 'low', 'medium', 'high', 'imminent')),
    topic         text CHECK (length(topic) BETWEEN 1 AND 500),          -- the member's own words for the host; cleared when done
    status        text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'talking', 'left', 'closed')),
    queued_at     timestamptz NOT NULL DEFAULT now(),
    done_at       timestamptz,
    talk_id       bigint
);

CREATE UNIQUE INDEX spreekuur_requests_waiting ON spreekuur_requests (spreekuur_id, user_id) WHERE status = 'waiting';
CREATE INDEX spreekuur_requests_queue ON spreekuur_requests (spreekuur_id, rank DESC, queued_at, id) WHERE status = 'waiting';
CREATE INDEX spreekuur_requests_user ON spreekuur_requests (user_id) WHERE status = 'waiting';

-- Who may read and write a private room: its two participants (the member and the current host).
CREATE TABLE room_participants (
    room_id  bigint NOT NULL REFERENCES rooms (id),
    user_id  bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (room_id, user_id)
);

CREATE INDEX room_participants_user ON room_participants (user_id);

CREATE TABLE spreekuur_talks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    spreekuur_id    bigint NOT NULL REFERENCES spreekuren (id),
    community_id    bigint NOT NULL REFERENCES communities (id),
    room_id         bigint NOT NULL UNIQUE REFERENCES rooms (id),         -- the private room
    member_id       bigint NOT NULL REFERENCES users (id),
    host_id         bigint NOT NULL REFERENCES users (id),                -- the current host
    waited_seconds  integer NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz,
    ended_by        text CHECK (ended_by IN ('host', 'member', 'system')),
    signpost        text CHECK (signpost IN ('group', 'resources', 'care', 'none')),
    transfers       integer NOT NULL DEFAULT 0,
    feedback_given  boolean NOT NULL DEFAULT false
);

CREATE INDEX spreekuur_talks_member ON spreekuur_talks (member_id) WHERE ended_at IS NULL;
CREATE INDEX spreekuur_talks_host ON spreekuur_talks (host_id) WHERE ended_at IS NULL;
CREATE INDEX spreekuur_talks_lengths ON spreekuur_talks (spreekuur_id, ended_at DESC) WHERE ended_at IS NOT NULL;

ALTER TABLE spreekuur_requests ADD CONSTRAINT spreekuur_requests_talk FOREIGN KEY (talk_id) REFERENCES spreekuur_talks (id);

-- Feedback after a talk: a score and optional words, with the session and the day only. No member,
-- no talk, no time of day: nothing here can be joined back to a pseudonym.
CREATE TABLE spreekuur_feedback (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    spreekuur_id  bigint NOT NULL REFERENCES spreekuren (id),
    community_id  bigint NOT NULL REFERENCES communities (id),
    day           date NOT NULL,
    score         smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment       text CHECK (length(comment) BETWEEN 1 AND 1000)
);

CREATE INDEX spreekuur_feedback_day ON spreekuur_feedback (community_id, day);
