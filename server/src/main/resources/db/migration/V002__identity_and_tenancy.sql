-- Kring identity and tenancy: community front doors and policy, room kinds and settings, invite
-- batches, bans, erasure, staff credentials kept apart from users, TOTP, and an append-only
-- audit table. Privacy: still no name, e-mail, phone, birth date or IP address of a member.
-- The only personal data in the schema is a staff member's login (staff_accounts), and a test
-- (SchemaPrivacyTest) fails when any other table gains a column that looks like personal data.

-- ---- communities: the front door and the community's own settings --------------------------
ALTER TABLE communities
    ADD COLUMN primary_colour  text NOT NULL DEFAULT '#2f6f73' CHECK (primary_colour ~ '^#[0-9a-f]{6}$'),
    ADD COLUMN accent_colour   text NOT NULL DEFAULT '#f2b134' CHECK (accent_colour ~ '^#[0-9a-f]{6}$'),
    ADD COLUMN logo            text CHECK (logo IS NULL OR (length(logo) <= 49152
                                     AND logo ~ '^data:image/(png|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$')),
    ADD COLUMN welcome_text    text NOT NULL DEFAULT '' CHECK (length(welcome_text) <= 4000),
    ADD COLUMN house_rules     text NOT NULL DEFAULT '' CHECK (length(house_rules) <= 8000),
    ADD COLUMN age_bands       text[] NOT NULL DEFAULT '{12-15,16-17,18-21,22-25,26+}'
                               CHECK (cardinality(age_bands) >= 1
                                      AND age_bands <@ '{12-15,16-17,18-21,22-25,26+}'::text[]),
    ADD COLUMN policy          jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(policy) = 'object');

-- ---- rooms: kinds, access by age band and region, capacity, slow mode, read-only, notice -----
ALTER TABLE rooms DROP CONSTRAINT rooms_kind_check;
ALTER TABLE rooms
    ADD CONSTRAINT rooms_kind_check CHECK (kind IN ('community', 'naasten', 'age_banded', 'spreekuur', 'private')),
    ADD COLUMN age_bands          text[] CHECK (age_bands IS NULL OR (cardinality(age_bands) >= 1
                                  AND age_bands <@ '{12-15,16-17,18-21,22-25,26+}'::text[])),
    ADD COLUMN region             text CHECK (region IN ('drenthe', 'flevoland', 'friesland', 'gelderland',
                                  'groningen', 'limburg', 'noord-brabant', 'noord-holland', 'overijssel',
                                  'utrecht', 'zeeland', 'zuid-holland')),
    ADD COLUMN capacity           integer NOT NULL DEFAULT 500 CHECK (capacity BETWEEN 2 AND 100000),
    ADD COLUMN slow_mode_seconds  integer NOT NULL DEFAULT 0 CHECK (slow_mode_seconds BETWEEN 0 AND 3600),
    ADD COLUMN read_only          boolean NOT NULL DEFAULT false,
    ADD COLUMN pinned_notice      text CHECK (length(pinned_notice) BETWEEN 1 AND 1000),
    ADD COLUMN archived_at        timestamptz,
    ADD CONSTRAINT rooms_age_banded CHECK ((kind = 'age_banded') = (age_bands IS NOT NULL));

-- ---- invites: batches issued to a partner (school, GP practice, youth worker) ----------------
CREATE TABLE invite_batches (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id   bigint NOT NULL REFERENCES communities (id),
    label          text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),   -- the issuing partner
    audience       text NOT NULL DEFAULT 'member' CHECK (audience IN ('member', 'naaste')),
    code_count     integer NOT NULL CHECK (code_count BETWEEN 1 AND 1000),
    uses_per_code  integer NOT NULL CHECK (uses_per_code BETWEEN 1 AND 10000),
    expires_at     timestamptz NOT NULL,
    created_by     bigint REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz
);

CREATE INDEX invite_batches_community ON invite_batches (community_id);

INSERT INTO invite_batches (community_id, label, code_count, uses_per_code, expires_at, created_at)
SELECT community_id, 'Codes van voor batches', least(count(*), 1000), least(greatest(max(uses_left), 1), 10000),
       max(expires_at), min(created_at)
FROM invites GROUP BY community_id;

ALTER TABLE invites
    ADD COLUMN batch_id   bigint REFERENCES invite_batches (id),
    ADD COLUMN burned_at  timestamptz;                -- a member who joined with it was banned

UPDATE invites i SET batch_id = b.id FROM invite_batches b WHERE b.community_id = i.community_id;
ALTER TABLE invites ALTER COLUMN batch_id SET NOT NULL;
CREATE INDEX invites_batch ON invites (batch_id);

-- ---- users: staff credentials move out; members get audience, region, ban and erasure -----
CREATE TABLE staff_accounts (
    user_id              bigint PRIMARY KEY REFERENCES users (id),
    email                text NOT NULL UNIQUE,        -- lower case; the staff member's login
    real_name            text CHECK (length(real_name) BETWEEN 1 AND 120),   -- shown to admins only, each view audited
    password_hash        text NOT NULL,               -- Argon2id PHC string
    password_changed_at  timestamptz NOT NULL DEFAULT now(),
    totp_secret          text,                        -- base32; set at enrolment, confirmed by totp_enabled_at
    totp_enabled_at      timestamptz,
    totp_last_step       bigint                       -- the last accepted time step: a code is never accepted twice
);

INSERT INTO staff_accounts (user_id, email, password_hash)
SELECT id, email, password_hash FROM users WHERE role <> 'member';

-- Drops the e-mail index and the CHECK that tied e-mail and password to staff.
ALTER TABLE users DROP COLUMN email, DROP COLUMN password_hash;

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users
    ADD CONSTRAINT users_role_check CHECK (role IN ('member', 'peer_expert', 'professional', 'moderator', 'admin', 'operator')),
    ADD COLUMN audience               text CHECK (audience IN ('member', 'naaste')),
    ADD COLUMN region                 text CHECK (region IN ('drenthe', 'flevoland', 'friesland', 'gelderland',
                                      'groningen', 'limburg', 'noord-brabant', 'noord-holland', 'overijssel',
                                      'utrecht', 'zeeland', 'zuid-holland')),
    ADD COLUMN banned_at              timestamptz,   -- members: banned; staff: account disabled
    ADD COLUMN deleted_at             timestamptz,   -- the member erased their account
    ADD COLUMN pseudonym_released_at  timestamptz;   -- after the cooling-off period the pseudonym is free again

UPDATE users SET audience = 'member' WHERE role = 'member';
ALTER TABLE users ADD CONSTRAINT users_member_audience CHECK ((role = 'member') = (audience IS NOT NULL));

ALTER TABLE sessions
    ADD COLUMN revoked_reason text CHECK (revoked_reason IN ('logout', 'revoked', 'banned', 'erased', 'disabled'));

-- ---- messages: redactions are looked up when a client resumes -------------------------------
CREATE INDEX messages_redacted ON messages (room_id, seq) WHERE redacted_at IS NOT NULL;

-- ---- audit: who did what, when, to what, with before and after; never updated or deleted ----
CREATE TABLE audit_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor_id        bigint REFERENCES users (id),     -- NULL: the system (a sweeper)
    action          text NOT NULL CHECK (action ~ '^[a-z_.]{3,60}$'),
    community_id    bigint REFERENCES communities (id),
    target_user_id  bigint REFERENCES users (id),
    target          text CHECK (length(target) <= 100),   -- the object acted on ("room:12", "batch:3")
    reason          text CHECK (length(reason) <= 1000),
    before          jsonb,
    after           jsonb
);

CREATE INDEX audit_events_target_user ON audit_events (target_user_id, at);
CREATE INDEX audit_events_community ON audit_events (community_id, at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
