package nl.kring.server.figures;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import nl.kring.server.access.Action;
import nl.kring.server.accounts.Principal;
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
    static final String HEADER = "day,community,room_kind,region,members,messages,heavy_messages,holds,holds_imminent_risk,reports";

    static final String QUERY = """
            WITH days AS (
                -- the range of days as instants, midnight to midnight in Amsterdam
                SELECT $2::date::timestamp AT TIME ZONE 'Europe/Amsterdam' AS lo,
                       ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam' AS hi
            ), community_rooms AS (
                -- each table is read through its room index, for this community's rooms only
                SELECT id FROM rooms WHERE community_id = $1
            ), events AS (
                SELECT m.created_at AS at, m.room_id, m.author_id AS member, 'message' AS what, m.care::text AS detail
                FROM messages m, days d WHERE m.room_id IN (SELECT id FROM community_rooms) AND m.created_at >= d.lo AND m.created_at < d.hi
                UNION ALL
                SELECT h.created_at, h.room_id, h.author_id, 'hold', h.severity
                FROM held_messages h, days d WHERE h.room_id IN (SELECT id FROM community_rooms) AND h.created_at >= d.lo AND h.created_at < d.hi
                UNION ALL
                SELECT rp.created_at, rp.room_id, rp.reporter_id, 'report', NULL
                FROM reports rp, days d WHERE rp.room_id IN (SELECT id FROM community_rooms) AND rp.created_at >= d.lo AND rp.created_at < d.hi
            )
            SELECT (e.at AT TIME ZONE 'Europe/Amsterdam')::date AS day, r.kind, coalesce(u.region, 'onbekend') AS region,
                   count(DISTINCT e.member) AS members,
                   count(*) FILTER (WHERE e.what = 'message') AS messages,
                   count(*) FILTER (WHERE e.what = 'message' AND e.detail = 'true') AS heavy,
                   count(*) FILTER (WHERE e.what = 'hold') AS holds,
                   count(*) FILTER (WHERE e.what = 'hold' AND e.detail = 'imminent') AS holds_imminent,
                   count(*) FILTER (WHERE e.what = 'report') AS reports
            FROM events e JOIN rooms r ON r.id = e.room_id JOIN users u ON u.id = e.member
            WHERE u.role = 'member'
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""";

    private final Database db;
    private final CommunityAdmin communities;

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
            return db.pool().preparedQuery(QUERY).execute(Tuple.of(c.id(), first, last))
                    .recover(t -> Future.failedFuture(db.failure(t)))
                    .map(rows -> {
                        StringBuilder out = new StringBuilder(HEADER).append('\n');
                        for (Row r : rows) {
                            long members = r.getLong("members");
                            out.append(r.getLocalDate("day")).append(',').append(c.slug()).append(',').append(r.getString("kind"))
                                    .append(',').append(r.getString("region")).append(',');
                            if (members < K) {
                                out.append("<").append(K).append(",,,,,");
                            } else {
                                out.append(members).append(',').append(r.getLong("messages")).append(',').append(r.getLong("heavy"))
                                        .append(',').append(r.getLong("holds")).append(',').append(r.getLong("holds_imminent"))
                                        .append(',').append(r.getLong("reports"));
                            }
                            out.append('\n');
                        }
                        return out.toString();
                    });
        });
    }
}
