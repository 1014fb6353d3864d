package nl.kring.loadtest;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStatsTest {

    @Test
    void theLiveHeapIsReadFromTheClassHistogramsTotal() {
        String histogram = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         12345        1048576  [B (java.base@17.0.15)
                   2:           678          65536  java.lang.String (java.base@17.0.15)
                Total         13023        1114112
                """;
        assertThat(ProcStats.totalBytes(histogram)).isEqualTo(1_114_112);
        assertThat(ProcStats.totalBytes("1234:\ncom.sun.tools.attach.AttachNotSupportedException")).isEqualTo(-1);
    }

    @Test
    void aRunningJvmsLiveHeapIsMeasured() {
        // GIVEN this test's own JVM, which holds 32 MiB it still uses
        byte[][] kept = new byte[32][1 << 20];
        long pid = ProcessHandle.current().pid();
        // THEN its live heap, collected and totalled by jcmd, holds at least those 32 MiB
        long kib = ProcStats.liveHeapKiB(List.of(pid));
        assertThat(kib).isGreaterThanOrEqualTo(32 * 1024);
        assertThat(kept[31]).hasSize(1 << 20);
        // AND a process that does not exist gives -1, not a figure
        assertThat(ProcStats.liveHeapKiB(List.of(Long.MAX_VALUE - 1))).isEqualTo(-1);
    }
}
