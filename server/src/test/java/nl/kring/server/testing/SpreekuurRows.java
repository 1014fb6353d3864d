package nl.kring.server.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Consultation-hour rows written straight into a test's database, for tests of what happens to
 * them later (retention, erasure) that need no clock, host or socket to make them. Each call makes
 * new rows of the given community only.
 */
public final class SpreekuurRows {

    private SpreekuurRows() {
    }

    /** A weekly one-to-one consultation hour of the community, with its group room; its id. */
    public static long hour(Connection c, long communityId) throws SQLException {
        long room = id(c, "INSERT INTO rooms (community_id, name, kind) VALUES (" + communityId + ", 'Spreekuur', 'spreekuur') RETURNING id");
        return id(c, "INSERT INTO spreekuren (community_id, room_id, topic, first_day, start_time, duration_minutes, weekly,"
                + " capacity, one_to_one, closing_text) VALUES (" + communityId + ", " + room + ", 'Omgaan met stemmen',"
                + " current_date, '19:00', 60, true, 50, true, 'Tot volgende week') RETURNING id");
    }

    /** The member waiting in the hour's queue with their own words for the host; the request's id. */
    public static long waiting(Connection c, long hour, long memberId, String topic) throws SQLException {
        return id(c, "INSERT INTO spreekuur_requests (spreekuur_id, starts_at, user_id, topic) VALUES (" + hour + ", now(), "
                + memberId + ", '" + topic + "') RETURNING id");
    }

    /**
     * A one-to-one talk of the member with the host that ended now, as a host's take leaves it: the
     * request (status talking, its topic still there), the private room with both participants, and
     * the member's feedback with words; the private room's id.
     */
    public static long endedTalk(Connection c, long communityId, long hour, long memberId, long hostId, String topic,
                                 String feedback) throws SQLException {
        long request = waiting(c, hour, memberId, topic);
        long room = id(c, "INSERT INTO rooms (community_id, name, kind, capacity) VALUES (" + communityId + ", 'Gesprek', 'private', 2)"
                + " RETURNING id");
        long talk = id(c, "INSERT INTO spreekuur_talks (spreekuur_id, community_id, room_id, member_id, host_id, waited_seconds,"
                + " ended_at, ended_by, signpost, feedback_given) VALUES (" + hour + ", " + communityId + ", " + room + ", " + memberId
                + ", " + hostId + ", 42, now(), 'host', 'group', true) RETURNING id");
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE spreekuur_requests SET status = 'talking', done_at = now(), talk_id = " + talk + " WHERE id = " + request);
            s.executeUpdate("INSERT INTO room_participants (room_id, user_id) VALUES (" + room + ", " + memberId + "), (" + room + ", "
                    + hostId + ")");
            s.executeUpdate("INSERT INTO spreekuur_feedback (spreekuur_id, community_id, day, score, comment) VALUES (" + hour + ", "
                    + communityId + ", (now() AT TIME ZONE 'Europe/Amsterdam')::date, 8, '" + feedback + "')");
        }
        return room;
    }

    /** The first column of the first row of a query that returns one. */
    public static long id(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
