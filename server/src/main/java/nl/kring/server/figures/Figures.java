package nl.kring.server.figures;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import nl.kring.server.access.Action;
import nl.kring.server.shared.Principal;
import nl.kring.server.admin.CommunityAdmin;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.KringException;

/**
 * Anonymised figures for evaluating the eCommunities: counts per day (Europe/Amsterdam),
 * community, room kind and province, as CSV. Every row stands for the distinct members active
 * in it; a row with fewer than {@link #K} members shows {@code <10} and no counts at all (not
 * even zeros), so that no row can be traced to a member. There are no totals or margins that
 * would let a suppressed cell be recovered by subtraction. Staff activity is not counted.
 * Thread-safe.
 */
public final class Figures {

    /** The smallest number of members a row may stand for. */
    public static final int K = 10;
    /** The #chatsafe categories that prompts are counted by, one column each. */
    static final java.util.List<String> PROMPT_CATEGORIES = java.util.Arrays.stream(nl.kring.moderation.RiskCategory.values())
            .filter(c -> c != nl.kring.moderation.RiskCategory.NONE).map(nl.kring.moderation.RiskCategory::wireName).toList();
    static final String HEADER = "day,community,room_kind,region,members,active_members,sessions,messages,heavy_messages,holds,holds_imminent_risk,reports,"
            + PROMPT_CATEGORIES.stream().map(c -> "prompts_" + c + ",").collect(java.util.stream.Collectors.joining())
            + "talk_requests,talks,median_wait_seconds,feedback_mean";
    /** Counted columns after {@code members}: what a suppressed row leaves empty. */
    static final int COLUMNS = 11 + PROMPT_CATEGORIES.size();

    static final String QUERY = """
            WITH days AS (
                -- the range of days as instants, midnight to midnight in Amsterdam
                SELECT $2::date::timestamp AT TIME ZONE 'Europe/Amsterdam' AS lo,
                       ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam' AS hi
            ), community_rooms AS (
                -- each table is read through its room index, for this community's rooms only
                SELECT id FROM rooms WHERE community_id = $1
            ), events AS (
                SELECT (m.created_at AT TIME ZONE 'Europe/Amsterdam')::date AS day, m.room_id, m.author_id AS member, 'message' AS what, m.care::text AS detail
                FROM messages m, days d WHERE m.room_id IN (SELECT id FROM community_rooms) AND m.created_at >= d.lo AND m.created_at < d.hi
                UNION ALL
                SELECT (h.created_at AT TIME ZONE 'Europe/Amsterdam')::date, h.room_id, h.author_id, 'hold', h.severity
                FROM held_messages h, days d WHERE h.room_id IN (SELECT id FROM community_rooms) AND h.created_at >= d.lo AND h.created_at < d.hi
                UNION ALL
                SELECT (rp.created_at AT TIME ZONE 'Europe/Amsterdam')::date, rp.room_id, rp.reporter_id, 'report', NULL
                FROM reports rp, days d WHERE rp.room_id IN (SELECT id FROM community_rooms) AND rp.created_at >= d.lo AND rp.created_at < d.hi
                UNION ALL
                -- prompts shown to authors: with a delivered message, and with every held one (its category)
                SELECT (p.created_at AT TIME ZONE 'Europe/Amsterdam')::date, p.room_id, p.author_id, 'prompt', p.category
                FROM chatsafe_prompts p, days d WHERE p.room_id IN (SELECT id FROM community_rooms) AND p.created_at >= d.lo AND p.created_at < d.hi
                UNION ALL
                SELECT (h.created_at AT TIME ZONE 'Europe/Amsterdam')::date, h.room_id, h.author_id, 'prompt', h.category
                FROM held_messages h, days d WHERE h.room_id IN (SELECT id FROM community_rooms) AND h.created_at >= d.lo AND h.created_at < d.hi
                UNION ALL
                -- asking for a one-to-one talk, in the session's group room; the wait when a host took it
                SELECT (q.queued_at AT TIME ZONE 'Europe/Amsterdam')::date, s.room_id, q.user_id, 'request',
                       CASE WHEN q.status = 'talking' THEN extract(epoch FROM q.done_at - q.queued_at)::bigint::text END
                FROM spreekuur_requests q JOIN spreekuren s ON s.id = q.spreekuur_id, days d
                WHERE s.community_id = $1 AND q.queued_at >= d.lo AND q.queued_at < d.hi
                UNION ALL
                SELECT (t.started_at AT TIME ZONE 'Europe/Amsterdam')::date, t.room_id, t.member_id, 'talk', NULL
                FROM spreekuur_talks t, days d WHERE t.community_id = $1 AND t.started_at >= d.lo AND t.started_at < d.hi
                UNION ALL
                -- coming into a room, with or without writing: the sessions that started that day
                SELECT v.day, v.room_id, v.member_id, 'visit', v.sessions::text
                FROM room_visits v WHERE v.room_id IN (SELECT id FROM community_rooms) AND v.day BETWEEN $2 AND $3
            )
            SELECT e.day, r.kind, coalesce(u.region, 'onbekend') AS region,
                   count(DISTINCT e.member) AS members,
                   count(DISTINCT e.member) FILTER (WHERE e.what <> 'visit') AS active,
                   coalesce(sum(CASE WHEN e.what = 'visit' THEN e.detail::int END), 0) AS sessions,
                   count(*) FILTER (WHERE e.what = 'message') AS messages,
                   count(*) FILTER (WHERE e.what = 'message' AND e.detail = 'true') AS heavy,
                   count(*) FILTER (WHERE e.what = 'hold') AS holds,
                   count(*) FILTER (WHERE e.what = 'hold' AND e.detail = 'imminent') AS holds_imminent,
                   count(*) FILTER (WHERE e.what = 'report') AS reports,
                   array_agg(e.detail) FILTER (WHERE e.what = 'prompt') AS prompts,
                   count(*) FILTER (WHERE e.what = 'request') AS requests,
                   count(*) FILTER (WHERE e.what = 'talk') AS talks,
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY CASE WHEN e.what = 'request' THEN e.detail::bigint END) AS median_wait
            FROM events e JOIN rooms r ON r.id = e.room_id JOIN users u ON u.id = e.member
            WHERE u.role = 'member'
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""";

    /** Feedback after talks per day: it carries no member, so k applies to the number of responses. */
    static final String FEEDBACK = """
            SELECT day, count(*) AS responses, round(avg(score), 1)::text AS mean FROM spreekuur_feedback
            WHERE community_id = $1 AND day BETWEEN $2 AND $3 GROUP BY day ORDER BY day""";

    private final Database db;
    private final CommunityAdmin communities;

    /** The prompt counts by category, each followed by a comma. */
    private static String prompts(String[] shown) {
        java.util.Map<String, Integer> n = new java.util.HashMap<>();
        if (shown != null) {
            for (String c : shown) {
                n.merge(c, 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String c : PROMPT_CATEGORIES) {
            out.append(n.getOrDefault(c, 0)).append(',');
        }
        return out.toString();
    }

    private static String suppressed() {
        return "<" + K + ",".repeat(COLUMNS);
    }

    public Figures(Database db, CommunityAdmin communities) {
        this.db = db;
        this.communities = communities;
    }

    /**
     * The CSV for one community and a range of days (inclusive, at most 366): its admins and
     * the operators may export it.
     */
    public Future<String> csv(Principal p, String slug, String from, String to) {
        LocalDate first;
        LocalDate last;
        try {
            first = LocalDate.parse(from == null ? "" : from);
            last = LocalDate.parse(to == null ? "" : to);
        } catch (DateTimeParseException e) {
            throw KringException.badRequest("from and to must be days like 2026-11-24");
        }
        if (last.isBefore(first) || first.plusDays(366).isBefore(last)) {
            throw KringException.badRequest("to must be on or after from, at most 366 days later");
        }
        return communities.community(p, slug, Action.MANAGE_COMMUNITY).compose(c -> {
            var activity = db.pool().preparedQuery(QUERY).execute(Tuple.of(c.id(), first, last));
            var feedback = db.pool().preparedQuery(FEEDBACK).execute(Tuple.of(c.id(), first, last));
            return Future.all(activity, feedback)
                    .recover(t -> Future.failedFuture(db.failure(t)))
                    .map(done -> {
                        java.util.List<String> lines = new java.util.ArrayList<>();
                        for (Row r : activity.result()) {
                            long members = r.getLong("members");
                            String head = r.getLocalDate("day") + "," + c.slug() + "," + r.getString("kind") + "," + r.getString("region") + ",";
                            Long wait = r.getLong("median_wait");
                            lines.add(members < K ? head + suppressed() : head + members + "," + r.getLong("active") + "," + r.getLong("sessions")
                                    + "," + r.getLong("messages") + ","
                                    + r.getLong("heavy") + "," + r.getLong("holds") + "," + r.getLong("holds_imminent") + ","
                                    + r.getLong("reports") + "," + prompts(r.getArrayOfStrings("prompts")) + r.getLong("requests") + "," + r.getLong("talks") + ","
                                    + (wait == null ? "" : wait) + ",");
                        }
                        for (Row r : feedback.result()) {
                            long responses = r.getLong("responses");
                            String head = r.getLocalDate("day") + "," + c.slug() + ",feedback,-,";
                            lines.add(responses < K ? head + suppressed() : head + responses + ",".repeat(COLUMNS) + r.getString("mean"));
                        }
                        java.util.Collections.sort(lines);
                        StringBuilder out = new StringBuilder(HEADER).append('\n');
                        lines.forEach(l -> out.append(l).append('\n'));
                        return out.toString();
                    });
        });
    }
}
