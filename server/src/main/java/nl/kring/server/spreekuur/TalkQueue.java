package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import nl.kring.moderation.Severity;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.queue.Triage;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.MetricNames;
import nl.kring.server.moderation.Reach;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.rooms.RoomRepository;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue of members who asked for a private talk in a consultation hour, ordered by #chatsafe
 * risk (imminent first) and then by the time they asked: asking (the words are classified, risk
 * moves the member forward), leaving, the queue as its asker sees it, a member moving up when
 * #chatsafe sees risk later, and the members still waiting when a session closes (it listens to
 * the clock, {@link SessionListener}). The talks that start from it are {@link Talks}.
 *
 * <p>The queue lives in PostgreSQL ({@link TalkRepository}), keyed by the member, not the socket:
 * a member who reconnects keeps their place and is told it again at once. Every change has
 * {@link PositionBroadcast} tell the waiting members and the hosts. Takes typed ids; the raw
 * ones are parsed by {@link SpreekuurApi}. Thread-safe.
 */
public final class TalkQueue {

    private static final Logger log = LoggerFactory.getLogger(TalkQueue.class);

    /** A user's places in queues and running talks, also read by {@code gateway.ConnectReads} ($1: the user id). */
    public static final String PENDING_FOR = TalkRepository.PENDING_FOR;

    private final Database db;
    private final Spreekuren spreekuren;
    private final SafetyService safety;
    private final Reach reach;
    private final KringMetrics metrics;
    private final TalkRepository repository;
    private final QueueViews views;
    private final PositionBroadcast broadcast;
    private final Talks talks;

    public TalkQueue(Database db, Spreekuren spreekuren, RoomRegistry rooms, RoomRepository roomRepository, SafetyService safety,
                     Reach reach, KringMetrics metrics) {
        this.db = db;
        this.spreekuren = spreekuren;
        this.safety = safety;
        this.reach = reach;
        this.metrics = metrics;
        this.repository = new TalkRepository(db, roomRepository);
        this.views = new QueueViews(spreekuren.presence());
        this.broadcast = new PositionBroadcast(db, repository, spreekuren, views, reach);
        this.talks = new Talks(db, repository, broadcast, spreekuren, rooms, safety, reach, metrics);
        spreekuren.listen(new ClockListener());
        metrics.gauge(MetricNames.SPREEKUUR_WAITING, "members waiting for a one-to-one talk", broadcast::waitingTotal);
        metrics.gauge(MetricNames.SPREEKUUR_TALKS, "one-to-one talks running", talks::running);
    }

    /** The talks that start from this queue (the host's side). */
    Talks talks() {
        return talks;
    }

    // ---- the member's side ----------------------------------------------------------------------

    /**
     * The session a user may ask a talk in: it exists and they may see it, they are a member, it
     * offers one-to-one talks and it is open; the refusal otherwise ({@code not_found},
     * {@code forbidden}, {@code conflict}).
     */
    Spreekuren.Info askable(Principal p, long spreekuurId) {
        Spreekuren.Info info = spreekuren.visible(p, spreekuurId);
        if (!p.isMember()) {
            throw new KringException(ErrorCode.FORBIDDEN, "only members ask for a one-to-one talk");
        }
        if (!info.oneToOne()) {
            throw new KringException(ErrorCode.FORBIDDEN, "this consultation hour offers no one-to-one talks");
        }
        if (!info.isOpen()) {
            throw new KringException(ErrorCode.CONFLICT, "the consultation hour is not open; ask for a talk once it has started");
        }
        return info;
    }

    /**
     * A member asks for a private talk in an open session ({@link #askable}), optionally saying
     * what about (the words go to the hosts and are classified: risk moves the member forward).
     * Asking again while waiting keeps the place. The reply is the member's place in the queue.
     *
     * @param topic null when the member said nothing
     */
    public Future<JsonObject> request(Principal p, long spreekuurId, String topic) {
        Spreekuren.Info info = askable(p, spreekuurId);
        return safety.forCommunity(info.communityId()).compose(cs -> {
            Classification words = topic == null ? null : safety.classify(cs, topic);
            Severity said = words == null ? Severity.NONE : words.severity();
            JsonObject prompt = said.compareTo(Severity.MEDIUM) < 0 ? null : safety.prompt(cs, words.category(), false);
            return repository.inTalk(p.userId()).compose(inTalk -> inTalk
                            ? Future.failedFuture(new KringException(ErrorCode.CONFLICT, "you are in a one-to-one talk already"))
                            : repository.recentRisk(p.userId()))
                    .compose(recent -> repository.enqueue(info.id(), info.open().start(), p.userId(), Triage.max(said, recent), topic))
                    .compose(inserted -> repository.positions(info.id())).map(found -> {
                        broadcast.forget(info.id(), p.userId());
                        broadcast.refresh(info.id());
                        JsonObject reply = views.mine(info, found, p.userId());
                        return prompt == null ? reply : reply.put("prompt", prompt);
                    });
        }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** A member leaves the queue (nothing happens when they were not in it). */
    public Future<Void> leave(Principal p, long spreekuurId) {
        Spreekuren.Info info = spreekuren.visible(p, spreekuurId);
        return repository.leave(info.id(), p.userId())
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(queuedAt -> {
                    queuedAt.ifPresent(queued -> {
                        metrics.spreekuurQueueExit("left", Duration.between(queued, Instant.now()));
                        broadcast.forget(info.id(), p.userId());
                        reach.toUser(p.userId(), QueueViews.waitEnded(info.id(), "left").encode());
                        broadcast.refresh(info.id());
                    });
                    return null;
                });
    }

    /** The queue as its asker sees it: a member their own place; staff the whole queue. */
    public Future<JsonObject> view(Principal p, long spreekuurId) {
        Spreekuren.Info info = spreekuren.visible(p, spreekuurId);
        return repository.positions(info.id())
                .map(found -> p.isMember() ? views.mine(info, found, p.userId()) : views.hostView(info, found))
                .recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** #chatsafe saw something in a member's message: a member who is waiting moves up to that risk. */
    public void riskSeen(Principal p, Severity severity) {
        if (!p.isMember() || severity == Severity.NONE || !db.isUp()) {
            return;
        }
        repository.raise(p.userId(), severity)
                .onSuccess(sessions -> sessions.forEach(broadcast::refresh))
                .onFailure(t -> log.warn("raising a waiting member's risk failed: {}", t.getMessage()));
    }

    /** On a new connection: the member's place in each queue they wait in, and any talk running for them (member or host). */
    public void connected(Principal p, Consumer<String> send) {
        if (!db.isUp()) {
            return;
        }
        repository.pendingFor(p.userId()).onSuccess(rows -> rows.forEach(r -> resume(p, r.what(), r.id(), send)));
    }

    /**
     * Tells a new connection of one place in a queue ({@code what} {@code wait}, {@code id} the
     * consultation hour) or one running talk ({@code talk}, the talk's id): a row of
     * {@link #PENDING_FOR}, read here or with the connection's other state ({@code gateway.ConnectReads}).
     */
    public void resume(Principal p, String what, long id, Consumer<String> send) {
        if ("wait".equals(what)) {
            spreekuren.byId(id).ifPresent(info -> repository.positions(id).onSuccess(found ->
                    send.accept(views.mine(info, found, p.userId()).put("type", "wait").encode())));
        } else {
            talks.resume(p, id, send);
        }
    }

    /** Members waiting in a session as of the last refresh on this node. */
    int waitingCount(long spreekuurId) {
        return broadcast.waitingCount(spreekuurId);
    }

    /** What the queue does when the clock starts, a session closes, or the hosts present change. */
    private final class ClockListener implements SessionListener {

        @Override
        public void started() {
            talks.countRunning();
        }

        /** Closes the requests still waiting; then each of those members hears so, with the closing words and the help open now. */
        @Override
        public Future<AfterClose> closing(SqlConnection conn, long spreekuurId) {
            return TalkRepository.closeWaiting(conn, spreekuurId).map(closed -> (info, closing) -> {
                for (TalkRepository.Closed c : closed) {
                    metrics.spreekuurQueueExit("closed", Duration.between(c.queuedAt(), Instant.now()));
                    reach.toUser(c.userId(), QueueViews.waitEnded(info.id(), "closed").put("closing", closing).encode());
                }
                broadcast.closed(info.id());
            });
        }

        @Override
        public void hostsChanged(long spreekuurId) {
            broadcast.refresh(spreekuurId);
        }
    }
}
