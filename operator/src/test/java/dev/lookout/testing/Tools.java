package dev.lookout.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The real Prometheus tools for tests: Debian sid's promtool, prometheus and blackbox_exporter, which
 * {@code .ci/tools.sh} puts in {@code $LOOKOUT_CACHE/bin} (default {@code ~/.cache/lookout/bin}).
 * Each is looked up in order: its environment variable ({@code LOOKOUT_PROMTOOL}, {@code LOOKOUT_PROMETHEUS},
 * {@code LOOKOUT_BLACKBOX}), that cache, then {@code PATH}.
 */
public final class Tools {
    /** Exit status and stdout and stderr together, as the process interleaved them. */
    public record Result(int exit, String output) {
    }

    private Tools() {
    }

    public static Optional<Path> promtool() {
        return locate("LOOKOUT_PROMTOOL", "promtool", "promtool");
    }

    public static Optional<Path> prometheus() {
        return locate("LOOKOUT_PROMETHEUS", "prometheus", "prometheus");
    }

    /** Upstream calls the binary blackbox_exporter, Debian's package prometheus-blackbox-exporter. */
    public static Optional<Path> blackbox() {
        return locate("LOOKOUT_BLACKBOX", "blackbox_exporter", "blackbox_exporter", "prometheus-blackbox-exporter");
    }

    /** {@code $LOOKOUT_CACHE/bin}, or {@code ~/.cache/lookout/bin}, where {@code .ci/tools.sh} links them. */
    public static Path cacheBin() {
        String cache = System.getenv("LOOKOUT_CACHE");
        Path root = cache != null && !cache.isEmpty()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "lookout");
        return root.resolve("bin");
    }

    /**
     * Runs {@code cmd} with stdin closed and returns its exit status and combined output. Throws when it
     * cannot start, or when it outlives {@code timeout} (it and its children are then killed).
     */
    public static Result run(List<String> cmd, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        // The output is read while the process runs, so a full pipe never blocks it.
        InputStream stdout = process.getInputStream();
        FutureTask<byte[]> output = new FutureTask<>(stdout::readAllBytes);
        Thread reader = new Thread(output, "tools-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new IllegalStateException(cmd + " did not finish within " + timeout + "; output so far:\n"
                        + partial(output));
            }
            return new Result(process.exitValue(), text(output.get(10, TimeUnit.SECONDS)));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        } catch (IOException | ExecutionException | TimeoutException e) {
            kill(process);
            throw new IllegalStateException("cannot read the output of " + cmd, e);
        }
    }

    private static Optional<Path> locate(String envVar, String cacheName, String... pathNames) {
        String override = System.getenv(envVar);
        if (override != null && !override.isEmpty()) {
            Path path = Path.of(override);
            if (!Files.isExecutable(path) || Files.isDirectory(path)) {
                throw new IllegalStateException(envVar + "=" + override + " is not an executable file");
            }
            return Optional.of(path);
        }
        Path cached = cacheBin().resolve(cacheName);
        if (Files.isExecutable(cached) && !Files.isDirectory(cached)) {
            return Optional.of(cached);
        }
        String searchPath = System.getenv("PATH");
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String name : pathNames) {
            Optional<Path> found = Stream.of(searchPath.split(java.io.File.pathSeparator))
                    .filter(dir -> !dir.isEmpty())
                    .map(dir -> Path.of(dir, name))
                    .filter(p -> Files.isExecutable(p) && !Files.isDirectory(p))
                    .findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the reader got before the process was killed; the pipe closes with the process. */
    private static String partial(FutureTask<byte[]> output) {
        try {
            return text(output.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        } catch (ExecutionException | TimeoutException e) {
            output.cancel(true);
            return "(unavailable: " + e + ")";
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
