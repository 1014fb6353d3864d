package nl.kring.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import nl.kring.server.db.EmbeddedDatabase;

/**
 * Directories for the tests' PostgreSQL data. In memory ({@code /dev/shm}) where that is a
 * tmpfs with room to spare, so that a test run writes next to nothing to disk; otherwise the
 * JVM's temporary directory. A test deletes what it made with {@link #delete} when done: a run
 * must not leave its databases behind (a CI run once failed with "No space left on device" on a
 * machine whose disk earlier runs had filled).
 */
public final class ScratchDirs {

    private static final Path SHM = Path.of("/dev/shm");
    /** Room /dev/shm must have before the tests use it (a whole run peaked at 231 MiB there). */
    private static final long SHM_FREE_NEEDED = 2L << 30;

    private ScratchDirs() {
    }

    /** A new empty directory whose name starts with {@code prefix}. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(root(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path root() {
        try {
            if (Files.isDirectory(SHM) && Files.isWritable(SHM) && Files.getFileStore(SHM).getUsableSpace() >= SHM_FREE_NEEDED) {
                return SHM;
            }
        } catch (IOException e) {
            // no usable /dev/shm: fall through to the temporary directory
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Stops a PostgreSQL still running on the directory (one that a killed server left behind, or
     * the tests' own), then deletes the directory and everything in it.
     */
    public static void delete(Path dir) {
        try {
            EmbeddedDatabase.stopOrphanedPostmaster(dir);
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
