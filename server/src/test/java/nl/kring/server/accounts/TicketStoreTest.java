package nl.kring.server.accounts;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TicketStoreTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final TicketStore store = new TicketStore(now::get);

    @Test
    void aTicketWorksOnce() {
        String ticket = store.issue("token-a", 1, 10);
        assertThat(store.consume(ticket)).contains("token-a");
        assertThat(store.consume(ticket)).isEmpty();
    }

    @Test
    void aTicketExpiresAfterSixtySeconds() {
        String fresh = store.issue("token-a", 1, 10);
        String stale = store.issue("token-b", 2, 20);
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(store.consume(fresh)).contains("token-a");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(store.consume(stale)).isEmpty();
    }

    @Test
    void unknownEmptyAndOverlongTicketsAreRefused() {
        assertThat(store.consume(null)).isEmpty();
        assertThat(store.consume("")).isEmpty();
        assertThat(store.consume("x".repeat(500))).isEmpty();
        assertThat(store.consume("never-issued")).isEmpty();
    }

    @Test
    void endingASessionDropsItsTickets() {
        String mine = store.issue("token-a", 1, 10);
        String other = store.issue("token-b", 2, 20);
        store.revokeSession(1);
        assertThat(store.consume(mine)).isEmpty();
        assertThat(store.consume(other)).contains("token-b");
    }

    @Test
    void banningAUserDropsTheTicketsOfAllTheirSessions() {
        String first = store.issue("token-a", 1, 10);
        String second = store.issue("token-c", 3, 10);
        String other = store.issue("token-b", 2, 20);
        store.revokeUser(10);
        assertThat(store.consume(first)).isEmpty();
        assertThat(store.consume(second)).isEmpty();
        assertThat(store.consume(other)).contains("token-b");
    }
}
