package nl.kring.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 25: no class in {@code server/src/main} over about 400 lines unless its header says why
 * (a line in the file before the class declaration that starts with {@value #REASON}). A large
 * class mixes jobs; this keeps the split from growing back unnoticed.
 */
class ClassSizeTest {

    static final int LIMIT = 400;
    static final String REASON = "Over 400 lines because";

    /** The sources over the limit that give no reason, as "path (lines)". */
    static List<String> oversized(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    List<String> lines = Files.readAllLines(p);
                    return lines.size() > LIMIT && !statesAReason(lines) ? Stream.of(root.relativize(p) + " (" + lines.size() + ")")
                            : Stream.empty();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    private static boolean statesAReason(List<String> lines) {
        for (String line : lines) {
            String t = line.strip();
            if (t.matches("(public |final |abstract )*(class|interface|record|enum) .*")) {
                return false;
            }
            if (t.replaceFirst("^\\*\\s*", "").startsWith(REASON)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void noServerClassIsOverTheLimitWithoutAReason() throws IOException {
        assertThat(oversized(Path.of("src/main/java"))).isEmpty();
    }

    @Test
    void theRuleCatchesALongClassAndAcceptsOneThatSaysWhy(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        String body = "    int x;\n".repeat(LIMIT);
        Files.writeString(dir.resolve("Long.java"), "package p;\n/** Mixes jobs. */\nfinal class Long {\n" + body + "}\n");
        Files.writeString(dir.resolve("Said.java"), "package p;\n/**\n * " + REASON + " the statement is one piece.\n */\n"
                + "final class Said {\n" + body + "}\n");
        Files.writeString(dir.resolve("Late.java"), "package p;\nfinal class Late {\n    /** " + REASON + " nothing. */\n" + body + "}\n");
        Files.writeString(dir.resolve("Short.java"), "package p;\nfinal class Short {\n}\n");
        assertThat(oversized(dir)).containsExactly("Late.java (" + (LIMIT + 4) + ")", "Long.java (" + (LIMIT + 4) + ")");
    }
}
