package nl.kring.loadtest.gen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The coordinator's handle on one {@link Generator} process: commands in, answers out, the rest to its log. */
final class GeneratorProcess implements AutoCloseable {

    private static final List<String> ANSWERS = List.of("READY", "CONNECTED", "EXTRA", "ACKED", "RESULT", "ERROR");

    private final Process process;
    private final PrintWriter in;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    GeneratorProcess(String classpath, List<String> jvmOpts, Path plan, Path dir, int index) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-XX:+UseG1GC", "-Xms256m", "-Xmx3g"));
        command.addAll(jvmOpts);
        command.addAll(List.of("-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache-" + index),
                "-cp", classpath, Generator.class.getName(), plan.toString(), dir.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        process = pb.start();
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Path log = dir.resolve("generator-" + index + ".log");
        Thread pump = new Thread(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    String first = line.split(" ", 2)[0];
                    if (ANSWERS.contains(first)) {
                        answers.add(line);
                    }
                    out.write(line);
                    out.newLine();
                    out.flush();
                }
            } catch (IOException e) {
                answers.add("ERROR " + e.getMessage());
            }
            answers.add("ERROR generator " + index + " exited, see " + log);
        }, "generator-" + index);
        pump.setDaemon(true);
        pump.start();
    }

    void tell(String command) {
        in.println(command);
    }

    /** The next answer, which must start with {@code expected}; its words after the first. */
    String[] await(String expected, long timeoutSeconds) throws InterruptedException {
        String line = answers.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new IllegalStateException("no " + expected + " from a generator within " + timeoutSeconds + " s");
        }
        String[] words = line.split(" ");
        if (!words[0].equals(expected)) {
            throw new IllegalStateException("expected " + expected + " from a generator, got: " + line);
        }
        return words;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        in.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
