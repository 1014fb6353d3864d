package nl.kring.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time and resident memory, read from /proc (Linux). */
public final class ProcStats {

    private ProcStats() {
    }

    /** [process CPU ticks, elapsed ticks of one core] from /proc; their ratio over an interval is the CPU share of one core. */
    public static long[] cpu(long pid) {
        try {
            String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
            long proc = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            return new long[] {proc, total / Runtime.getRuntime().availableProcessors()};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 1};
        }
    }

    /**
     * Like {@link #cpu} for a process, its descendants and every {@code postgres} process (the
     * embedded PostgreSQL daemonizes, so it is no child of the server), so that the database's
     * share of the machine is counted too. Meant for a benchmark machine that runs one database.
     */
    public static long[] treeCpu(long pid) {
        java.util.Map<Long, Long> parent = new java.util.HashMap<>();
        java.util.Map<Long, Long> ticks = new java.util.HashMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(d -> {
                try {
                    String[] stat = Files.readString(d.resolve("stat")).split("\\) ")[1].split(" ");
                    long p = Long.parseLong(d.getFileName().toString());
                    boolean postgres = Files.readString(d.resolve("comm")).trim().equals("postgres");
                    parent.put(p, postgres ? pid : Long.parseLong(stat[1]));
                    ticks.put(p, Long.parseLong(stat[11]) + Long.parseLong(stat[12]));
                } catch (IOException | RuntimeException e) {
                    // The process ended while we looked.
                }
            });
        } catch (IOException e) {
            return new long[] {0, 1};
        }
        long sum = 0;
        for (var e : ticks.entrySet()) {
            long p = e.getKey();
            for (int depth = 0; depth < 10 && p > 1; depth++) {
                if (p == pid) {
                    sum += e.getValue();
                    break;
                }
                p = parent.getOrDefault(p, 0L);
            }
        }
        long[] base = cpu(pid);
        return new long[] {sum, base[1]};
    }

    /** [busy ticks, all ticks] of the whole machine from /proc/stat; their ratio over an interval is how busy it was. */
    public static long[] machine() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 1};
        }
    }

    /** Percent of one core used between two {@link #cpu} readings. */
    public static double percent(long[] before, long[] after) {
        return (after[0] - before[0]) * 100.0 / Math.max(1, after[1] - before[1]);
    }

    /** Resident set size in KiB, or -1 when the process is gone. */
    public static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Like {@link #cpu}, summed over several processes (the nodes of a cluster). */
    public static long[] cpu(java.util.List<Long> pids) {
        long proc = 0;
        long elapsed = 1;
        for (long pid : pids) {
            long[] one = cpu(pid);
            proc += one[0];
            elapsed = one[1];
        }
        return new long[] {proc, elapsed};
    }

    /** Resident set sizes in KiB summed over several processes (those gone count nothing). */
    public static long rssKiB(java.util.List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += Math.max(0, rssKiB(pid));
        }
        return sum;
    }

    /**
     * The Java heap a JVM's live objects fill, in KiB, summed over several processes: {@code jcmd PID
     * GC.class_histogram} collects the whole heap first and totals what survives. Unlike RSS it does not move
     * with how far the collector has grown the heap, so its growth per session is the memory a session keeps.
     * Returns -1 when jcmd is missing or a process does not answer (the JVM's own, beside {@code java}).
     */
    public static long liveHeapKiB(java.util.List<Long> pids) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        long sum = 0;
        for (long pid : pids) {
            Path out = null;
            try {
                // Into a file, not a pipe: the histogram is larger than a pipe holds, and the timeout must hold.
                out = Files.createTempFile("kring-histogram", ".txt");
                Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return -1;
                }
                long bytes = p.exitValue() == 0 ? totalBytes(Files.readString(out)) : -1;
                if (bytes < 0) {
                    return -1;
                }
                sum += bytes / 1024;
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            } finally {
                if (out != null) {
                    try {
                        Files.deleteIfExists(out);
                    } catch (IOException e) {
                        // a left temporary file is no reason to lose the figure
                    }
                }
            }
        }
        return sum;
    }

    /** The bytes on a class histogram's {@code Total} line, or -1 when there is none. */
    static long totalBytes(String histogram) {
        for (String line : histogram.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[0].equals("Total")) {
                return Long.parseLong(w[2]);
            }
        }
        return -1;
    }

    /** Open file descriptors of a process, or -1. */
    public static long openFiles(long pid) {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
