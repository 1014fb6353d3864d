package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nl.kring.server.db.Database;
import nl.kring.server.moderation.Reach;
import nl.kring.server.moderation.StaffAudience;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the waiting members and the hosts where the queue stands: each change recomputes the
 * positions of the session ({@link #refresh}, coalesced per session) and sends a {@code wait}
 * event to each waiting member whose position or estimate changed and a {@code spreekuurQueue}
 * event to the hosts when their view changed. Keeps the last snapshot per session (the gauge,
 * the waiting counts of the schedule). Thread-safe.
 */
final class PositionBroadcast {

    private static final Logger log = LoggerFactory.getLogger(PositionBroadcast.class);

    private final Database db;
    private final TalkRepository repository;
    private final Spreekuren spreekuren;
    private final QueueViews views;
    private final Reach reach;
    /** Refreshes asked for per session while one runs (coalescing). */
    private final ConcurrentHashMap<Long, Integer> pending = new ConcurrentHashMap<>();
    /** The {@code wait} event each waiting member last got, per session; the hosts' last {@code spreekuurQueue} event. */
    private final ConcurrentHashMap<Long, ConcurrentHashMap<Long, String>> lastSent = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, String> lastToHosts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, List<QueuePositions.Waiting>> snapshot = new ConcurrentHashMap<>();

    PositionBroadcast(Database db, TalkRepository repository, Spreekuren spreekuren, QueueViews views, Reach reach) {
        this.db = db;
        this.repository = repository;
        this.spreekuren = spreekuren;
        this.views = views;
        this.reach = reach;
    }

    /**
     * Recomputes a session's queue and tells every waiting member whose position or estimate
     * changed ({@code wait}), and the hosts ({@code spreekuurQueue}). Calls that come while one
     * runs are folded into one more run after it.
     */
    void refresh(long spreekuurId) {
        if (pending.merge(spreekuurId, 1, Integer::sum) == 1) {
            runRefresh(spreekuurId);
        }
    }

    private void runRefresh(long spreekuurId) {
        Spreekuren.Info info = spreekuren.byId(spreekuurId).orElse(null);
        Future<Void> done = info == null || !db.isUp() ? Future.succeededFuture() : repository.positions(spreekuurId).map(found -> {
            publish(info, found);
            return null;
        });
        done.onComplete(ar -> {
            if (ar.failed()) {
                log.warn("refreshing a consultation hour's queue failed: {}", ar.cause().getMessage());
            }
            if (pending.compute(spreekuurId, (k, n) -> n == null || n == 1 ? null : 1) != null) {
                runRefresh(spreekuurId);
            }
        });
    }

    private void publish(Spreekuren.Info info, QueuePositions found) {
        snapshot.put(info.id(), found.waiting());
        Map<Long, String> sent = lastSent.computeIfAbsent(info.id(), k -> new ConcurrentHashMap<>());
        Set<Long> still = new HashSet<>();
        for (QueuePositions.Waiting w : found.waiting()) {
            still.add(w.userId());
            String json = views.waiting(info, found, w).put("type", "wait").encode();
            if (!json.equals(sent.get(w.userId()))) {
                sent.put(w.userId(), json);
                reach.toUser(w.userId(), json);
            }
        }
        sent.keySet().retainAll(still);
        String hosts = views.hostView(info, found).put("type", "spreekuurQueue").encode();
        if (!hosts.equals(lastToHosts.put(info.id(), hosts))) {
            reach.toStaff(info.communityId(), StaffAudience.ALL, hosts);
        }
    }

    /** The member is told their place again on the next refresh (they asked again, or were taken). */
    void forget(long spreekuurId, long userId) {
        Map<Long, String> sent = lastSent.get(spreekuurId);
        if (sent != null) {
            sent.remove(userId);
        }
    }

    /** After a session closed: nobody's place is remembered, and the hosts get the emptied queue. */
    void closed(long spreekuurId) {
        lastSent.remove(spreekuurId);
        refresh(spreekuurId);
    }

    /** Members waiting in a session as of the last refresh on this node. */
    int waitingCount(long spreekuurId) {
        List<QueuePositions.Waiting> w = snapshot.get(spreekuurId);
        return w == null ? 0 : w.size();
    }

    /** Members waiting in every session as of the last refreshes on this node (the gauge). */
    int waitingTotal() {
        return snapshot.values().stream().mapToInt(List::size).sum();
    }
}
