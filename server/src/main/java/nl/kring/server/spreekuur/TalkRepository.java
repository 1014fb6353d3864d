package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import nl.kring.moderation.Severity;
import nl.kring.moderation.queue.Triage;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.rooms.RoomRepository;

/**
 * The SQL of the one-to-one side of a consultation hour: the queue ({@code spreekuur_requests}),
 * the talks ({@code spreekuur_talks}) with their private rooms, and the feedback. Each write that
 * belongs together is one transaction; a conditional write that finds nothing to change answers
 * empty or false and the caller says why. Knows nothing of sockets or JSON. Thread-safe (stateless
 * over the pool); failures are the pool's, for the caller to map ({@link Database#failure}).
 */
final class TalkRepository {

    static final String IN_TALK = "SELECT 1 FROM spreekuur_talks WHERE member_id = $1 AND ended_at IS NULL";

    /** The highest #chatsafe severity of the member's own messages in the last day (held or flagged ones). */
    static final String RECENT_RISK = """
            SELECT coalesce(max(rank), 0) AS rank FROM mod_items
            WHERE author_id = $1 AND created_at > now() - interval '24 hours' AND 'chatsafe' = ANY(sources)""";

    static final String REQUEST = """
            INSERT INTO spreekuur_requests (spreekuur_id, starts_at, user_id, rank, severity, topic) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (spreekuur_id, user_id) WHERE status = 'waiting' DO NOTHING RETURNING id""";

    static final String WAITING = """
            SELECT r.id, r.user_id, r.rank, r.severity, r.topic, r.queued_at, u.public_id, u.pseudonym,
                   row_number() OVER (ORDER BY r.rank DESC, r.queued_at, r.id) AS position
            FROM spreekuur_requests r JOIN users u ON u.id = r.user_id
            WHERE r.spreekuur_id = $1 AND r.status = 'waiting' ORDER BY position""";

    static final String RUNNING = "SELECT count(*) AS n FROM spreekuur_talks WHERE spreekuur_id = $1 AND ended_at IS NULL";

    static final String RUNNING_ALL = "SELECT count(*) AS n FROM spreekuur_talks WHERE ended_at IS NULL";

    static final String RECENT_LENGTHS = """
            SELECT extract(epoch FROM ended_at - started_at)::bigint AS seconds FROM spreekuur_talks
            WHERE spreekuur_id = $1 AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT 20""";

    static final String LEAVE = """
            UPDATE spreekuur_requests SET status = 'left', done_at = now(), topic = NULL
            WHERE spreekuur_id = $1 AND user_id = $2 AND status = 'waiting' RETURNING queued_at""";

    static final String CLOSE_WAITING = """
            UPDATE spreekuur_requests SET status = 'closed', done_at = now(), topic = NULL
            WHERE spreekuur_id = $1 AND status = 'waiting' RETURNING user_id, queued_at""";

    static final String RAISE = """
            UPDATE spreekuur_requests SET rank = $2, severity = $3
            WHERE user_id = $1 AND status = 'waiting' AND rank < $2 RETURNING spreekuur_id""";

    static final String TAKE = """
            WITH next AS (
                SELECT id FROM spreekuur_requests WHERE spreekuur_id = $1 AND status = 'waiting'
                ORDER BY rank DESC, queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            UPDATE spreekuur_requests r SET status = 'talking', done_at = now()
            FROM next WHERE r.id = next.id
            RETURNING r.id, r.user_id, r.severity, r.topic, r.queued_at""";

    static final String PRIVATE_ROOM = """
            INSERT INTO rooms (community_id, name, kind, capacity, read_only) VALUES ($1, $2, 'private', 2, false) RETURNING id""";

    static final String PARTICIPANT = "INSERT INTO room_participants (room_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";

    static final String NEW_TALK = """
            INSERT INTO spreekuur_talks (spreekuur_id, community_id, room_id, member_id, host_id, waited_seconds)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""";

    static final String TALK_OF_REQUEST = "UPDATE spreekuur_requests SET talk_id = $2 WHERE id = $1";

    static final String TALK = """
            SELECT t.id, t.spreekuur_id, t.community_id, t.room_id, t.member_id, t.host_id, t.started_at, t.ended_at, t.ended_by,
                   t.signpost, t.transfers, t.feedback_given, t.waited_seconds,
                   m.public_id AS member_public_id, m.pseudonym AS member_pseudonym,
                   h.public_id AS host_public_id, h.pseudonym AS host_name, h.role AS host_role,
                   r.topic, r.severity
            FROM spreekuur_talks t JOIN users m ON m.id = t.member_id JOIN users h ON h.id = t.host_id
            LEFT JOIN spreekuur_requests r ON r.talk_id = t.id
            WHERE t.id = $1""";

    /** A user's places in queues and running talks ($1: the user id; what a new connection is told again); also part of {@code gateway.ConnectReads}. */
    static final String PENDING_FOR = """
            SELECT 'wait' AS what, spreekuur_id AS id FROM spreekuur_requests WHERE user_id = $1 AND status = 'waiting'
            UNION ALL
            SELECT 'talk', id FROM spreekuur_talks WHERE ended_at IS NULL AND member_id = $1
            UNION ALL
            SELECT 'talk', id FROM spreekuur_talks WHERE ended_at IS NULL AND host_id = $1""";

    static final String TRANSFER_TARGET = """
            SELECT u.id, u.public_id, u.pseudonym, u.role FROM users u
            WHERE u.public_id = $1 AND u.role IN ('peer_expert', 'professional', 'admin') AND u.banned_at IS NULL
              AND (u.all_communities OR EXISTS (SELECT 1 FROM staff_communities sc WHERE sc.user_id = u.id AND sc.community_id = $2))""";

    static final String TRANSFER = """
            UPDATE spreekuur_talks SET host_id = $3, transfers = transfers + 1
            WHERE id = $1 AND host_id = $2 AND ended_at IS NULL RETURNING room_id""";

    static final String LEAVE_ROOM = "DELETE FROM room_participants WHERE room_id = $1 AND user_id = $2";

    static final String END = """
            UPDATE spreekuur_talks SET ended_at = now(), ended_by = $3, signpost = $4
            WHERE id = $1 AND ended_at IS NULL AND (host_id = $2 OR member_id = $2)
            RETURNING room_id, extract(epoch FROM ended_at - started_at)::bigint AS seconds""";

    static final String FORGET_TOPIC = "UPDATE spreekuur_requests SET topic = NULL WHERE talk_id = $1";

    static final String FEEDBACK = """
            UPDATE spreekuur_talks SET feedback_given = true
            WHERE id = $1 AND member_id = $2 AND ended_at IS NOT NULL AND NOT feedback_given RETURNING spreekuur_id, community_id""";

    static final String INSERT_FEEDBACK = """
            INSERT INTO spreekuur_feedback (spreekuur_id, community_id, day, score, comment) VALUES ($1, $2, $3, $4, $5)""";

    /** A member whose request the session's end closed. */
    record Closed(long userId, Instant queuedAt) {
    }

    /** What a host's take made: the talk, its member, and how long the member waited. */
    record Taken(long talkId, long memberId, int waitedSeconds) {
    }

    /** One row of {@link #PENDING_FOR}: {@code what} is {@code wait} (id: the consultation hour) or {@code talk}. */
    record Pending(String what, long id) {
    }

    private final Database db;
    private final RoomRepository roomRepository;

    TalkRepository(Database db, RoomRepository roomRepository) {
        this.db = db;
        this.roomRepository = roomRepository;
    }

    // ---- the queue ------------------------------------------------------------------------------

    Future<Boolean> inTalk(long userId) {
        return db.pool().preparedQuery(IN_TALK).execute(Tuple.of(userId)).map(rows -> rows.size() > 0);
    }

    Future<Severity> recentRisk(long userId) {
        return db.pool().preparedQuery(RECENT_RISK).execute(Tuple.of(userId))
                .map(rows -> Severity.values()[Math.min(4, rows.iterator().next().getInteger("rank"))]);
    }

    /** Puts a member in a session's queue at a risk (nothing when they wait there already). */
    Future<Void> enqueue(long spreekuurId, Instant sessionStart, long userId, Severity severity, String topic) {
        return db.pool().preparedQuery(REQUEST).execute(Tuple.from(new Object[] {spreekuurId, sessionStart.atOffset(ZoneOffset.UTC),
                userId, Triage.rank(severity), severity.wireName(), topic})).mapEmpty();
    }

    /** The queue of one session, the talks running and the estimate, read together. */
    Future<QueuePositions> positions(long spreekuurId) {
        Future<RowSet<Row>> waiting = db.pool().preparedQuery(WAITING).execute(Tuple.of(spreekuurId));
        Future<RowSet<Row>> runningNow = db.pool().preparedQuery(RUNNING).execute(Tuple.of(spreekuurId));
        Future<RowSet<Row>> lengths = db.pool().preparedQuery(RECENT_LENGTHS).execute(Tuple.of(spreekuurId));
        return Future.all(waiting, runningNow, lengths).map(v -> {
            List<QueuePositions.Waiting> list = new ArrayList<>();
            for (Row r : waiting.result()) {
                list.add(new QueuePositions.Waiting(r.getLong("id"), r.getLong("user_id"), r.getString("public_id"),
                        r.getString("pseudonym"), r.getLong("position").intValue(), r.getString("severity"), r.getString("topic"),
                        r.getOffsetDateTime("queued_at").toInstant()));
            }
            List<Duration> recent = new ArrayList<>();
            lengths.result().forEach(r -> recent.add(Duration.ofSeconds(r.getLong("seconds"))));
            return new QueuePositions(list, runningNow.result().iterator().next().getLong("n").intValue(),
                    WaitEstimate.fromRecent(recent));
        });
    }

    /** Takes a member out of a queue; when they asked (empty when they were not waiting). */
    Future<Optional<Instant>> leave(long spreekuurId, long userId) {
        return db.pool().preparedQuery(LEAVE).execute(Tuple.of(spreekuurId, userId)).map(rows -> rows.size() == 0 ? Optional.empty()
                : Optional.of(rows.iterator().next().getOffsetDateTime("queued_at").toInstant()));
    }

    /** Closes the requests still waiting when a session ends (in the closing transaction). */
    static Future<List<Closed>> closeWaiting(SqlConnection conn, long spreekuurId) {
        return conn.preparedQuery(CLOSE_WAITING).execute(Tuple.of(spreekuurId))
                .map(rows -> each(rows, r -> new Closed(r.getLong("user_id"), r.getOffsetDateTime("queued_at").toInstant())));
    }

    /** Moves a waiting member up to a risk; the sessions whose queue changed. */
    Future<List<Long>> raise(long userId, Severity severity) {
        return db.pool().preparedQuery(RAISE).execute(Tuple.of(userId, Triage.rank(severity), severity.wireName()))
                .map(rows -> each(rows, r -> r.getLong("spreekuur_id")));
    }

    Future<List<Pending>> pendingFor(long userId) {
        return db.pool().preparedQuery(PENDING_FOR).execute(Tuple.of(userId))
                .map(rows -> each(rows, r -> new Pending(r.getString("what"), r.getLong("id"))));
    }

    // ---- talks ----------------------------------------------------------------------------------

    /**
     * In one transaction: the next member leaves the queue, a private room for them and the host
     * is made, and the talk starts. Empty when nobody waits.
     */
    Future<Optional<Taken>> take(long spreekuurId, long communityId, String roomName, long hostId) {
        return db.pool().withTransaction(conn -> conn.preparedQuery(TAKE).execute(Tuple.of(spreekuurId)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.succeededFuture(Optional.<Taken>empty());
            }
            Row r = rows.iterator().next();
            long member = r.getLong("user_id");
            Instant queued = r.getOffsetDateTime("queued_at").toInstant();
            int waited = (int) Math.max(0, Duration.between(queued, Instant.now()).toSeconds());
            return conn.preparedQuery(PRIVATE_ROOM).execute(Tuple.of(communityId, roomName)).compose(room -> {
                long roomId = room.iterator().next().getLong(0);
                return conn.preparedQuery(PARTICIPANT).executeBatch(List.of(Tuple.of(roomId, member), Tuple.of(roomId, hostId)))
                        .compose(v -> conn.preparedQuery(NEW_TALK).execute(Tuple.from(new Object[] {spreekuurId, communityId, roomId,
                                member, hostId, waited})))
                        .compose(t -> {
                            long talkId = t.iterator().next().getLong(0);
                            return conn.preparedQuery(TALK_OF_REQUEST).execute(Tuple.of(r.getLong("id"), talkId))
                                    .map(x -> Optional.of(new Taken(talkId, member, waited)));
                        });
            });
        }));
    }

    Future<Optional<Talk>> talk(long talkId) {
        return db.pool().preparedQuery(TALK).execute(Tuple.of(talkId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Talk.of(rows.iterator().next())));
    }

    /** The user id of a host who works in the community, by public id (empty for anyone else). */
    Future<Optional<Long>> transferTarget(String publicId, long communityId) {
        return db.pool().preparedQuery(TRANSFER_TARGET).execute(Tuple.of(publicId, communityId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id")));
    }

    /**
     * In one transaction: the talk passes from one host to the other, who becomes the private
     * room's participant in their place, and the audit says so. False when the talk was handed
     * over or ended meanwhile.
     *
     * @param reason null when the host gave none
     */
    Future<Boolean> transfer(Talk talk, long fromHost, long toHost, String reason) {
        return db.pool().withTransaction(conn -> conn.preparedQuery(TRANSFER).execute(Tuple.of(talk.id(), fromHost, toHost))
                .compose(u -> u.size() == 0 ? Future.succeededFuture(false)
                        : conn.preparedQuery(LEAVE_ROOM).execute(Tuple.of(talk.roomId(), fromHost))
                                .compose(v -> conn.preparedQuery(PARTICIPANT).execute(Tuple.of(talk.roomId(), toHost)))
                                .compose(v -> AuditLog.record(conn, fromHost, "spreekuur.talk_transferred", talk.communityId(),
                                        toHost, "talk:" + talk.id(), reason, null, null))
                                .map(true)));
    }

    /**
     * In one transaction: the talk ends, its private room becomes read-only and the member's
     * words are forgotten. The talk's length in seconds; empty when it was ended or handed over
     * meanwhile (or the user is no longer its host or member).
     */
    Future<OptionalLong> end(Talk talk, long userId, String endedBy, Signpost signpost) {
        return db.pool().withTransaction(conn -> conn.preparedQuery(END)
                .execute(Tuple.of(talk.id(), userId, endedBy, signpost.wireName()))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture(OptionalLong.empty());
                    }
                    long seconds = rows.iterator().next().getLong("seconds");
                    return roomRepository.setReadOnly(conn, talk.roomId(), true)
                            .compose(v -> conn.preparedQuery(FORGET_TOPIC).execute(Tuple.of(talk.id())))
                            .map(v -> OptionalLong.of(seconds));
                }));
    }

    /**
     * In one transaction: the talk is marked as having had its feedback, and the feedback is
     * stored with the session and the day only. False when the talk has not ended or had its
     * feedback already.
     */
    Future<Boolean> feedback(long talkId, long memberId, int score, String comment) {
        return db.pool().withTransaction(conn -> conn.preparedQuery(FEEDBACK).execute(Tuple.of(talkId, memberId)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.succeededFuture(false);
            }
            Row r = rows.iterator().next();
            return conn.preparedQuery(INSERT_FEEDBACK).execute(Tuple.of(r.getLong("spreekuur_id"), r.getLong("community_id"),
                    LocalDate.now(Schedule.AMSTERDAM), (short) score, comment)).map(true);
        }));
    }

    /** Each row mapped, in order. */
    static <T> List<T> each(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(mapper.apply(r)));
        return out;
    }

    /** The one-to-one talks running in every session (the gauge). */
    Future<Integer> running() {
        return db.pool().query(RUNNING_ALL).execute().map(rows -> rows.iterator().next().getLong("n").intValue());
    }
}
