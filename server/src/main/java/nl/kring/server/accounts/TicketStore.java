package nl.kring.server.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;

/**
 * Single-use WebSocket tickets, valid for {@link #TTL}. A ticket is a random 192-bit string kept
 * only as its SHA-256 hash. Thread-safe: consumption is an atomic remove, so two upgrades racing
 * with one ticket get one socket.
 */
public final class TicketStore {

    public static final Duration TTL = Duration.ofSeconds(60);

    private record Entry(String session, long sessionId, long userId, long expiresAtNanos) {
    }

    private final Cache<String, Entry> tickets;
    private final java.util.function.LongSupplier nanoTime;

    public TicketStore() {
        this(System::nanoTime);
    }

    /** With a clock for tests; Caffeine forgets entries on the same clock. */
    public TicketStore(java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.tickets = Caffeine.newBuilder()
                .executor(Runnable::run) // two writes per connect: maintenance on the caller (see HistoryCache)
                .expireAfterWrite(TTL)
                .ticker(nanoTime::getAsLong)
                .maximumSize(1_000_000)
                .build();
    }

    /** Issues a ticket for a session, named by {@code session} (the SHA-256 hex of its token: never the token itself). */
    public String issue(String session, long sessionId, long userId) {
        String ticket = Secrets.newTicket();
        tickets.put(Secrets.sha256Hex(ticket), new Entry(session, sessionId, userId, nanoTime.getAsLong() + TTL.toNanos()));
        return ticket;
    }

    /** Takes the ticket out (whatever happens next, it cannot be used again); the session it stands for, if still valid. */
    public Optional<String> consume(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 100) {
            return Optional.empty();
        }
        Entry e = tickets.asMap().remove(Secrets.sha256Hex(ticket));
        if (e == null || nanoTime.getAsLong() - e.expiresAtNanos > 0) {
            return Optional.empty();
        }
        return Optional.of(e.session);
    }

    /** Forgets every ticket of an ended session. */
    public void revokeSession(long sessionId) {
        tickets.asMap().values().removeIf(e -> e.sessionId == sessionId);
    }

    /** Forgets every ticket of a user (ban, erasure, all sessions revoked). */
    public void revokeUser(long userId) {
        tickets.asMap().values().removeIf(e -> e.userId == userId);
    }
}
