package nl.kring.server.figures;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneId;
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
    static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
    static final String HEADER = "day,community,room_kind,region,members,messages,heavy_messages,holds,holds_imminent_risk,reports";

    static final String QUERY = """
            WITH events AS (
                SELECT (m.created_at AT TIME ZONE 'Europe/Amsterdam')::date AS day, r.community_id, r.kind,
                       coalesce(u.region, 'onbekend') AS region, m.author_id AS member, 'message' AS what, m.care::text AS detail
                FROM messages m JOIN rooms r ON r.id = m.room_id JOIN users u ON u.id = m.author_id
                WHERE u.role = 'member' AND r.community_id = $1
                  AND m.created_at >= ($2::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
                  AND m.created_at < (($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
                UNION ALL
                SELECT (h.created_at AT TIME ZONE 'Europe/Amsterdam')::date, r.community_id, r.kind,
                       coalesce(u.region, 'onbekend'), h.author_id, 'hold', h.severity
                FROM held_messages h JOIN rooms r ON r.id = h.room_id JOIN users u ON u.id = h.author_id
                WHERE u.role = 'member' AND r.community_id = $1
                  AND h.created_at >= ($2::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
                  AND h.created_at < (($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
                UNION ALL
                SELECT (rp.created_at AT TIME ZONE 'Europe/Amsterdam')::date, r.community_id, r.kind,
                       coalesce(u.region, 'onbekend'), rp.reporter_id, 'report', NULL
                FROM reports rp JOIN rooms r ON r.id = rp.room_id JOIN users u ON u.id = rp.reporter_id
                WHERE u.role = 'member' AND r.community_id = $1
                  AND rp.created_at >= ($2::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
                  AND rp.created_at < (($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
            )
            SELECT day, kind, region, count(DISTINCT member) AS members,
                   count(*) FILTER (WHERE what = 'message') AS messages,
                   count(*) FILTER (WHERE what = 'message' AND detail = 'true') AS heavy,
                   count(*) FILTER (WHERE what = 'hold') AS holds,
                   count(*) FILTER (WHERE what = 'hold' AND detail = 'imminent') AS holds_imminent,
                   count(*) FILTER (WHERE what = 'report') AS reports
            FROM events GROUP BY day, kind, region ORDER BY day, kind, region""";

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
