package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.moderation.Reach;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.Principal;

/**
 * The one-to-one talks of the consultation hours: a host taking the next member from the
 * {@link TalkQueue} (a conditional write under {@code FOR UPDATE SKIP LOCKED}: of two hosts at the
 * same moment exactly one gets each member), the private room that opens for the two, handing a
 * talk to another host, ending it with signposting, and the member's feedback. Takes typed ids
 * and values; {@link SpreekuurApi} parses the raw ones. Thread-safe.
 */
final class Talks {

    private final Database db;
    private final TalkRepository repository;
    private final PositionBroadcast broadcast;
    private final Spreekuren spreekuren;
    private final RoomRegistry rooms;
    private final SafetyService safety;
    private final Reach reach;
    private final KringMetrics metrics;
    private volatile int running;

    Talks(Database db, TalkRepository repository, PositionBroadcast broadcast, Spreekuren spreekuren, RoomRegistry rooms,
          SafetyService safety, Reach reach, KringMetrics metrics) {
        this.db = db;
        this.repository = repository;
        this.broadcast = broadcast;
        this.spreekuren = spreekuren;
        this.rooms = rooms;
        this.safety = safety;
        this.reach = reach;
        this.metrics = metrics;
    }

    /**
     * A host takes the next member: the member is taken out of the queue, a private room for the
     * two is made and the talk starts, in one transaction. {@code conflict} when nobody waits.
     */
    Future<JsonObject> take(Principal p, long spreekuurId) {
        Spreekuren.Info info = spreekuren.visible(p, spreekuurId);
        if (!Spreekuren.mayHost(p)) {
            throw new KringException(ErrorCode.FORBIDDEN, "your role may not host one-to-one talks");
        }
        return repository.take(info.id(), info.communityId(), "Gesprek: " + shorten(info.topic(), 80), p.userId())
                .compose(taken -> taken.isPresent() ? Future.succeededFuture(taken.get())
                        : Future.failedFuture(new KringException(ErrorCode.CONFLICT, "nobody is waiting")))
                .compose(taken -> {
                    metrics.spreekuurQueueExit("taken", Duration.ofSeconds(taken.waitedSeconds()));
                    broadcast.forget(info.id(), taken.memberId());
                    broadcast.refresh(info.id());
                    return talk(taken.talkId()).map(t -> {
                        reach.toUser(taken.memberId(), QueueViews.talkEvent(t, "started", true).encode());
                        reach.toUser(p.userId(), QueueViews.talkEvent(t, "started", false).encode());
                        countRunning();
                        return new JsonObject().put("talk", QueueViews.talk(t, false));
                    });
                })
                .recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** A talk as one of its two participants sees it. */
    Future<JsonObject> talk(Principal p, long talkId) {
        return participantTalk(p, talkId).map(t -> new JsonObject().put("talk", QueueViews.talk(t, t.isMember(p.userId()))));
    }

    /**
     * The host hands the talk to another host who is connected: the new host becomes the room's
     * participant and reads the whole conversation; the first host's sockets leave the room. The
     * member stays in the same room, so every message sent meanwhile is delivered once, in order.
     *
     * @param to     the new host's public id
     * @param reason for the audit; empty when none was given
     */
    Future<JsonObject> transfer(Principal p, long talkId, String to, String reason) {
        return participantTalk(p, talkId).compose(t -> {
            if (t.hostId() != p.userId()) {
                return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "only the talk's host may hand it over"));
            }
            if (t.ended()) {
                return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "this talk has ended"));
            }
            return repository.transferTarget(to, t.communityId()).compose(target -> {
                if (target.isEmpty()) {
                    return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no host with this id works in this community"));
                }
                long targetId = target.get();
                if (targetId == p.userId()) {
                    return Future.failedFuture(KringException.badRequest("to must be another host"));
                }
                if (!reach.hasSocket(targetId)) {
                    return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "that host is not connected now"));
                }
                return repository.transfer(t, p.userId(), targetId, reason.isEmpty() ? null : reason)
                        .compose(done -> done ? Future.succeededFuture() : Future.failedFuture(
                                new KringException(ErrorCode.CONFLICT, "this talk was handed over or ended meanwhile")))
                        .compose(v -> {
                            rooms.ifActive(t.roomId()).ifPresent(room -> room.participants(Set.of(t.memberId(), targetId)));
                            rooms.changed(t.roomId());
                            metrics.spreekuurTransfer();
                            return talk(t.id()).map(after -> {
                                JsonObject handedOver = QueueViews.talkEvent(after, "handed_over", false);
                                reach.removeFromRoom(p.userId(), t.roomId(), handedOver.encode());
                                reach.toUser(t.memberId(), QueueViews.talkEvent(after, "transferred", true).encode());
                                reach.toUser(targetId, QueueViews.talkEvent(after, "started", false)
                                        .put("from", new JsonObject().put("displayName", p.name()).put("role", p.role().wireName()))
                                        .encode());
                                return new JsonObject().put("talk", QueueViews.talk(after, false));
                            });
                        });
            });
        }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /**
     * Ends a talk (its host, or the member): the room becomes read-only for both; the member is
     * signposted (the group, the help open now, regular care) and may give feedback.
     *
     * @param signpost where the host points the member ({@link Signpost#NONE} when the member ends it)
     */
    Future<JsonObject> end(Principal p, long talkId, Signpost signpost) {
        return participantTalk(p, talkId).compose(t -> {
            if (t.ended()) {
                return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "this talk has ended"));
            }
            return repository.end(t, p.userId(), p.isMember() ? "member" : "host", signpost)
                    .compose(seconds -> seconds.isPresent() ? Future.succeededFuture(seconds.getAsLong()) : Future.failedFuture(
                            new KringException(ErrorCode.CONFLICT, "this talk was ended or handed over meanwhile")))
                    .compose(seconds -> {
                        metrics.spreekuurTalkEnded(Duration.ofSeconds(seconds));
                        rooms.ifActive(t.roomId()).ifPresent(room -> room.update(room.settings().withReadOnly(true)));
                        rooms.changed(t.roomId());
                        broadcast.refresh(t.spreekuurId());
                        countRunning();
                        return talk(t.id()).compose(after -> safety.forCommunity(after.communityId()).map(cs -> {
                            JsonObject toMember = QueueViews.talkEvent(after, "ended", true).put("signpost", signpost.wireName())
                                    .put("text", signpost.text()).put("resources", safety.openNow(cs.help())).put("feedback", true);
                            spreekuren.byId(after.spreekuurId()).filter(Spreekuren.Info::isOpen)
                                    .ifPresent(info -> toMember.put("group", Long.toString(info.roomId())));
                            reach.toUser(after.memberId(), toMember.encode());
                            reach.toUser(after.hostId(), QueueViews.talkEvent(after, "ended", false).encode());
                            return new JsonObject().put("talk", QueueViews.talk(after, p.isMember()));
                        }));
                    });
        }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** Only members give feedback ({@code forbidden} for staff); checked before their words are read. */
    static void checkFeedbackGiver(Principal p) {
        if (!p.isMember()) {
            throw new KringException(ErrorCode.FORBIDDEN, "only the member of a talk gives feedback");
        }
    }

    /**
     * The member's feedback after the talk: a score from 0 to 10 and optional words, once. Stored
     * with the session and the day only; nothing links it to the member or the talk.
     *
     * @param comment null when the member wrote nothing
     */
    Future<Void> feedback(Principal p, long talkId, int score, String comment) {
        checkFeedbackGiver(p);
        return participantTalk(p, talkId).compose(t -> repository.feedback(t.id(), p.userId(), score, comment)
                        .compose(stored -> {
                            if (!stored) {
                                return Future.failedFuture(new KringException(ErrorCode.CONFLICT,
                                        "feedback is given once, after the talk has ended"));
                            }
                            metrics.spreekuurFeedback(score);
                            return Future.<Void>succeededFuture();
                        }))
                .recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** Tells a new connection of a talk running for its user (as member or host). */
    void resume(Principal p, long talkId, Consumer<String> send) {
        talk(talkId).onSuccess(t -> send.accept(QueueViews.talkEvent(t, "started", t.isMember(p.userId())).encode()));
    }

    /** Reads the number of talks running (the gauge) from PostgreSQL: at start and after a talk starts or ends. */
    void countRunning() {
        repository.running().onSuccess(n -> running = n);
    }

    int running() {
        return running;
    }

    private Future<Talk> talk(long talkId) {
        return repository.talk(talkId).compose(t -> t.isPresent() ? Future.succeededFuture(t.get()) : Future.failedFuture(noTalk()));
    }

    /** The talk, if the user is its member or its current host ({@code not_found} for everyone else). */
    private Future<Talk> participantTalk(Principal p, long talkId) {
        return talk(talkId).compose(t -> t.memberId() == p.userId() || t.hostId() == p.userId()
                        ? Future.succeededFuture(t) : Future.failedFuture(noTalk()))
                .recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** The refusal for a talk that does not exist or is not the asker's (also for an id that cannot be one). */
    static KringException noTalk() {
        return new KringException(ErrorCode.NOT_FOUND, "no such talk");
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
