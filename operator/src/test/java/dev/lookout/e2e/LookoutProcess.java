package dev.lookout.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lookout run} as a separate JVM, started from the test classpath (surefire's classpath jar carries
 * it), so a test can SIGTERM or SIGKILL it. Its output goes to a log file; the HTTP port is read from it.
 */
final class LookoutProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");
    private final Process process;
    private final Path log;

    private LookoutProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static LookoutProcess start(Path log, String... args) throws IOException {
        return start(log, List.of(), args);
    }

    /** @param jvm options for the JVM, e.g. {@code -Dlookout.failpoint=…} */
    static LookoutProcess start(Path log, List<String> jvm, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.lookout.cli.LookoutCommand", "run"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new LookoutProcess(p, log);
    }

    /** Waits (bounded) for the line that says it is serving, and returns the port. */
    int awaitPort(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(log());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("lookout run exited with " + process.exitValue() + ":\n" + log());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("lookout run did not start within " + timeout + ":\n" + log());
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit status (or -1 when it did not stop in time). */
    int term(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Waits (bounded) for it to end by itself; its exit status, or -1 when it is still running. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
