package nl.kring.server.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layers of {@link FailureLimits} on this node's own buckets (their futures complete at once):
 * own limits per source and per (target, source), shared ones per target and in total that refuse
 * only sources that have failed before.
 */
class FailureLimitsTest {

    /** 5 failures per source, 2 per (target, source), 3 per target and 100 in total from suspect sources. */
    private final FailureLimits limits = FailureLimits.hourly(RateLimiter.Factory.LOCAL, "test", 5, 2, 3, 100);

    private FailureLimits.Attempt begin(String target, String source) {
        return limits.begin(target, source).result();
    }

    private boolean fail(String target, String source) {
        FailureLimits.Attempt attempt = begin(target, source);
        if (attempt.refusedForMillis() > 0) {
            return false;
        }
        attempt.failed();
        return true;
    }

    @Test
    void onlyFailuresCount() {
        for (int i = 0; i < 20; i++) {
            FailureLimits.Attempt attempt = begin("anna", "192.0.2.1");
            assertThat(attempt.refusedForMillis()).as("attempt %d", i + 1).isZero();
            attempt.succeeded();
        }
    }

    @Test
    void aSourceIsRefusedAfterItsOwnFailuresOverAllTargets() {
        for (int i = 0; i < 5; i++) {
            assertThat(fail("target" + i, "192.0.2.2")).as("failure %d", i + 1).isTrue();
        }
        assertThat(begin("target5", "192.0.2.2").refusedForMillis()).isPositive();
        assertThat(begin("target5", "192.0.2.3").refusedForMillis()).as("another source").isZero();
    }

    @Test
    void aSourceThatHasNotFailedIsNeverRefusedByTheSharedLimits() {
        // GIVEN sources that keep failing on one target until its shared limit of 3 is spent
        assertThat(fail("bob", "192.0.2.10")).isTrue();
        assertThat(fail("bob", "192.0.2.10")).as("second failure: counted for the target").isTrue();
        assertThat(fail("bob", "192.0.2.10")).as("third: its own (target, source) limit of 2").isFalse();
        assertThat(fail("bob", "192.0.2.11")).isTrue();
        assertThat(fail("bob", "192.0.2.11")).isTrue();
        assertThat(fail("bob", "192.0.2.12")).as("a new source's first failure is free").isTrue();
        assertThat(fail("bob", "192.0.2.12")).as("the target's shared limit is spent").isTrue();
        assertThat(begin("bob", "192.0.2.13").refusedForMillis()).as("a fresh source may still try").isZero();
        FailureLimits.Attempt suspect = begin("bob", "192.0.2.12");
        assertThat(suspect.refusedForMillis()).as("a source that failed is refused by the shared limit").isPositive();
        // THEN a source that has not failed is let through, and another target is not affected
        FailureLimits.Attempt owner = begin("bob", "192.0.2.20");
        assertThat(owner.refusedForMillis()).isZero();
        owner.succeeded();
        assertThat(begin("carol", "192.0.2.11").refusedForMillis()).isZero();
    }

    @Test
    void aRefusedAttemptChargesNothing() {
        assertThat(fail("dave", "192.0.2.30")).isTrue();
        assertThat(fail("dave", "192.0.2.30")).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(begin("dave", "192.0.2.30").refusedForMillis()).isPositive();
        }
        // the source spent 2 of its 5 on dave; refusals did not spend the rest
        assertThat(fail("erin", "192.0.2.30")).isTrue();
        assertThat(fail("erin", "192.0.2.30")).isTrue();
        assertThat(fail("frank", "192.0.2.30")).isTrue();
        assertThat(fail("frank", "192.0.2.30")).as("its sixth failure: the per-source limit").isFalse();
    }
}
