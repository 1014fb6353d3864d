package nl.kring.server.metrics;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics interface's methods are no-ops by default (so the test double is written once);
 * the real implementation must therefore override every one of them, or a metric would silently
 * never move.
 */
class KringMetricsTest {

    @Test
    void theMicrometerImplementationOverridesEveryMethodOfTheInterface() {
        List<String> missing = new ArrayList<>();
        int methods = 0;
        for (Method m : KringMetrics.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.isSynthetic()) {
                continue;
            }
            methods++;
            try {
                MicrometerKringMetrics.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertThat(methods).isGreaterThan(20);
        assertThat(missing).as("KringMetrics methods MicrometerKringMetrics does not implement").isEmpty();
    }

    @Test
    void theNoOpDoesNothingAndAsksNothing() {
        KringMetrics.NOOP.sessionOpened();
        KringMetrics.NOOP.gauge("x", "y", () -> {
            throw new AssertionError("a no-op must not read a gauge");
        });
        assertThat(KringMetrics.NOOP.getClass().getDeclaredMethods()).isEmpty();
    }
}
