-- Retention: the retention job, and only it, may delete audit rows older than the configured
-- retention. It marks its own transaction with SET LOCAL kring.retention = 'on'; every other
-- UPDATE or DELETE of audit_events is still refused.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('kring.retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;

CREATE INDEX audit_events_at ON audit_events (at);
