package dev.lookout.artifacts.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code make run} as a person runs it: in a session of its own (setsid), so that stopping it is what Ctrl-C
 * does in a terminal, SIGINT to the whole process group, and nothing it started can outlive the test.
 * Its output is kept, line by line, for the assertions and for the failure message.
 */
final class MakeRun implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private MakeRun(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "make-run-output");
        reader.setDaemon(true);
        reader.start();
    }

    static MakeRun start(Path repoRoot, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("setsid", "make", "--no-print-directory", "run")
                .directory(repoRoot.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new MakeRun(builder.start());
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The first line that matches, waiting at most {@code atMost}; fails with everything printed so far. */
    String awaitLine(Predicate<String> wanted, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("make run did not print the expected line within " + atMost
                            + (process.isAlive() ? "" : " (it ended)") + "; it printed:\n" + output());
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Ctrl-C: SIGINT to the process group; true when make ended within {@code atMost}. */
    boolean interrupt(Duration atMost) throws IOException, InterruptedException {
        signalGroup("INT");
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for make to end by itself; true when it did within {@code atMost}. */
    boolean awaitEnd(Duration atMost) throws InterruptedException {
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitCode() {
        return process.exitValue();
    }

    private void signalGroup(String signal) throws IOException, InterruptedException {
        // setsid made make the leader of a new group: its pid is the group's id.
        new ProcessBuilder("kill", "-" + signal, "--", "-" + process.pid()).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
    }

    /**
     * Ctrl-C first, so that make run's own clean-up runs (in containers, {@code compose down}: a KILL would leave the
     * stack behind); the whole group is killed only when that did not end it within a minute.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive() && !interrupt(Duration.ofSeconds(60))) {
            signalGroup("KILL");
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
