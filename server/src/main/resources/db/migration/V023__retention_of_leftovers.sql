-- Retention of what is left besides messages (issue 26): the retention job deletes sessions 30
-- days after they ended, resolved queue items after the community's retention, and erasure blanks
-- a member's report reasons and queue words. These indexes keep each of those a range scan.
CREATE INDEX sessions_ended ON sessions (least(revoked_at, expires_at));
CREATE INDEX mod_items_resolved ON mod_items (community_id, resolved_at) WHERE status = 'resolved';
CREATE INDEX reports_reporter ON reports (reporter_id) WHERE reason IS NOT NULL;
CREATE INDEX spreekuur_requests_topic ON spreekuur_requests (user_id) WHERE topic IS NOT NULL OR status = 'waiting';
