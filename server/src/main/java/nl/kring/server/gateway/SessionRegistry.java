package nl.kring.server.gateway;

import java.util.List;
import nl.kring.server.shared.Principal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import nl.kring.server.moderation.StaffAudience;
import nl.kring.server.protocol.CloseCode;

/**
 * Every open session on this node, by auth session and by user, so that a logout, ban or
 * mute reaches all of them. Thread-safe; closing posts to each socket's own loop.
 *
 * <p>A key's sessions are an immutable list, replaced whole on every change inside the map's
 * atomic {@code merge}/{@code computeIfPresent}: almost every user has one socket, and a set per
 * key (a concurrent hash set) kept about 200 bytes per session and map, for every session's
 * whole life (see docs/benchmarks.md, memory). Readers iterate a snapshot.
 */
public final class SessionRegistry implements nl.kring.server.moderation.LocalReach {

    private final ConcurrentHashMap<Long, List<Session>> byAuthSession = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, List<Session>> byUser = new ConcurrentHashMap<>();
    /** The staff part of {@link #byUser} (a few hundred among many thousand members): what staff events walk. */
    private final ConcurrentHashMap<Long, List<Session>> staff = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();

    /**
     * Takes one of {@code max} session places for an upgrade in progress; false when all are
     * taken. Atomic, so concurrent handshakes can never overshoot the limit. A place is given
     * back by {@link #release()} (handshake failed) or {@link #unregister} (session ended).
     */
    boolean tryReserve(int max) {
        while (true) {
            int now = open.get();
            if (now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        open.decrementAndGet();
    }

    /** Registers a session whose place was reserved. */
    void register(Session s) {
        add(byAuthSession, s.principal().sessionId(), s);
        add(byUser, s.principal().userId(), s);
        if (!s.principal().isMember()) {
            add(staff, s.principal().userId(), s);
        }
    }

    void unregister(Session s) {
        remove(byAuthSession, s.principal().sessionId(), s);
        remove(byUser, s.principal().userId(), s);
        if (!s.principal().isMember()) {
            remove(staff, s.principal().userId(), s);
        }
        open.decrementAndGet();
    }

    private static void add(ConcurrentHashMap<Long, List<Session>> map, long key, Session s) {
        map.merge(key, List.of(s), (had, one) -> {
            if (had.contains(s)) {
                return had;
            }
            Session[] more = had.toArray(new Session[had.size() + 1]);
            more[had.size()] = s;
            return List.of(more);
        });
    }

    private static void remove(ConcurrentHashMap<Long, List<Session>> map, long key, Session s) {
        map.computeIfPresent(key, (k, had) -> {
            List<Session> rest = had.stream().filter(x -> x != s).toList();
            return rest.isEmpty() ? null : rest;
        });
    }

    /** Closes every socket of one auth session (logout, expiry) with 4500. */
    public void endAuthSession(long sessionId) {
        closeAll(byAuthSession.get(sessionId), CloseCode.SESSION_ENDED);
    }

    /** Closes every socket of one user with the given code (ban: 4503). */
    public void closeUser(long userId, CloseCode code) {
        closeAll(byUser.get(userId), code);
    }

    /**
     * Sends an event to every socket of the community's staff in the audience (queue events to
     * moderators, an imminent-risk alert); how many sockets it was posted to. Staff who must still
     * enrol a second factor get nothing.
     */
    @Override
    public int toStaff(long communityId, StaffAudience who, String json) {
        int n = 0;
        for (List<Session> set : staff.values()) {
            for (Session s : set) {
                Principal p = s.principal();
                if (p.mayEnter(communityId) && !p.totpRequired() && who.includes(p)) {
                    s.context().runOnContext(v -> s.sendEvent(json));
                    n++;
                }
            }
        }
        return n;
    }

    /** The staff with a socket on this node (one principal each), for the cluster's view of who is online. */
    public java.util.List<Principal> staffOnline() {
        java.util.List<Principal> out = new java.util.ArrayList<>();
        for (List<Session> set : staff.values()) {
            for (Session s : set) {
                out.add(s.principal());
                break;
            }
        }
        return out;
    }

    /** Sends an event to every socket of one user (a notice, a mute); how many sockets it was posted to. */
    @Override
    public int toUser(long userId, String json) {
        List<Session> set = byUser.get(userId);
        if (set == null) {
            return 0;
        }
        for (Session s : set) {
            s.context().runOnContext(v -> s.sendEvent(json));
        }
        return set.size();
    }

    @Override
    public int removeFromRoom(long userId, long roomId, String json) {
        List<Session> set = byUser.get(userId);
        if (set == null) {
            return 0;
        }
        for (Session s : set) {
            s.context().runOnContext(v -> {
                s.dropRoom(roomId);
                s.sendEvent(json);
            });
        }
        return set.size();
    }

    /** Whether the user has a socket open on this node. */
    @Override
    public boolean hasSocket(long userId) {
        return byUser.containsKey(userId);
    }

    /** Closes every socket on this node (shutdown: 4000). */
    public void closeEverything(CloseCode code) {
        for (List<Session> set : byAuthSession.values()) {
            closeAll(set, code);
        }
    }

    private static void closeAll(List<Session> sessions, CloseCode code) {
        if (sessions == null) {
            return;
        }
        for (Session s : sessions) {
            s.context().runOnContext(v -> s.close(code));
        }
    }

    /** Members (naasten included) with a socket on this node in the community: distinct users (the back office's live numbers). */
    public int membersOnline(long communityId) {
        int n = 0;
        for (List<Session> set : byUser.values()) {
            Principal p = set.get(0).principal();
            if (p.isMember() && p.communityId() != null && p.communityId() == communityId) {
                n++;
            }
        }
        return n;
    }

    /** Open WebSocket sessions, including upgrades in progress. */
    public int openSessions() {
        return open.get();
    }

    /** Open TCP connections on the public listener (HTTP and WebSocket). */
    public AtomicInteger connections() {
        return connections;
    }

    public boolean isDraining() {
        return draining.get();
    }

    /** From now on new upgrades are refused (shutdown). */
    public void startDraining() {
        draining.set(true);
    }
}
