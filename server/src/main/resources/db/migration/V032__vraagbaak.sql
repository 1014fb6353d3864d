-- VraagBaak (protocol section 9): a member's question to their community, reviewed by its
-- editors (moderators, admins), answered by a professional or peer expert, published by an editor.
-- The asker's own words (title, body) are kept for the asker; the editors' wording (public_title,
-- public_body) is what the public reads. Until published a question is seen only by its asker,
-- the community's editors and the staff member it is assigned to.

CREATE TABLE questions (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id      bigint NOT NULL REFERENCES communities (id),
    asker_id          bigint NOT NULL REFERENCES users (id),
    title             text NOT NULL CHECK (length(title) <= 120),       -- the asker's words ('' once erased)
    body              text NOT NULL CHECK (length(body) <= 4000),
    public_title      text CHECK (length(public_title) BETWEEN 3 AND 120),   -- the editors' wording
    public_body       text CHECK (length(public_body) BETWEEN 1 AND 4000),
    status            text NOT NULL DEFAULT 'waiting'
                      CHECK (status IN ('waiting', 'assigned', 'answered', 'published', 'returned', 'rejected')),
    -- what #chatsafe saw on arrival: a risky question is never published until an editor clears it
    risk_category     text CHECK (risk_category IN ('suicidal_ideation', 'self_harm', 'method_detail', 'imminent_risk',
                                                    'third_party_risk', 'pii', 'harassment')),
    risk_severity     text CHECK (risk_severity IN ('none', 'low', 'medium', 'high', 'imminent')),
    risky             boolean NOT NULL DEFAULT false,
    risk_cleared_by   bigint REFERENCES users (id),
    risk_cleared_at   timestamptz,
    pii               boolean NOT NULL DEFAULT false,                    -- personal details for the editors to remove
    assignee_id       bigint REFERENCES users (id),
    answer            text CHECK (length(answer) BETWEEN 1 AND 8000),
    answered_by       bigint REFERENCES users (id),
    answered_at       timestamptz,
    reason            text CHECK (length(reason) BETWEEN 1 AND 1000),   -- why returned or rejected, for the asker
    asked_at          timestamptz NOT NULL DEFAULT now(),
    published_at      timestamptz,
    closed_at         timestamptz,                                      -- returned or rejected
    search            tsvector GENERATED ALWAYS AS (to_tsvector('dutch'::regconfig,
                          coalesce(public_title, '') || ' ' || coalesce(public_body, '') || ' ' || coalesce(answer, ''))) STORED,
    CHECK ((status = 'published') = (published_at IS NOT NULL)),
    CHECK (status <> 'published' OR (public_title IS NOT NULL AND public_body IS NOT NULL AND answer IS NOT NULL)),
    CHECK (status <> 'published' OR NOT risky OR risk_cleared_at IS NOT NULL),
    CHECK ((status IN ('returned', 'rejected')) = (closed_at IS NOT NULL))
);

-- Full-text search in Dutch over what the public reads (published questions only).
CREATE INDEX questions_search ON questions USING GIN (search) WHERE status = 'published';
CREATE INDEX questions_published ON questions (community_id, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX questions_staff ON questions (community_id, status, id DESC);
CREATE INDEX questions_asker ON questions (asker_id, id DESC);
CREATE INDEX questions_assignee ON questions (assignee_id, id DESC) WHERE assignee_id IS NOT NULL;
CREATE INDEX questions_closed ON questions (community_id, closed_at) WHERE closed_at IS NOT NULL;

-- A risky question is an item in the moderation queue, about the question rather than a room message.
ALTER TABLE mod_items ALTER COLUMN room_id DROP NOT NULL,
    ADD COLUMN question_id bigint UNIQUE REFERENCES questions (id) ON DELETE CASCADE,
    DROP CONSTRAINT mod_items_check,
    ADD CONSTRAINT mod_items_subject CHECK (num_nonnulls(held_id, seq, question_id) = 1
                                            AND (room_id IS NULL) = (question_id IS NOT NULL));

-- What the asker is told about their question.
ALTER TABLE member_notices DROP CONSTRAINT member_notices_kind_check,
    ADD CONSTRAINT member_notices_kind_check CHECK (kind IN ('held_released', 'held_removed', 'removed', 'hidden', 'warning',
        'muted', 'question_answered', 'question_published', 'question_returned', 'question_rejected'));
