package dev.lookout.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lookout.reload.ToolLocator;
import dev.lookout.reload.ToolProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Prometheus tools for tests: Debian sid's promtool, prometheus, blackbox_exporter and docker-compose,
 * which {@code .ci/tools.sh} puts in {@code $LOOKOUT_CACHE/bin} (default {@code ~/.cache/lookout/bin}).
 * Each is looked up in order: its environment variable ({@code LOOKOUT_PROMTOOL}, {@code LOOKOUT_PROMETHEUS},
 * {@code LOOKOUT_BLACKBOX}, {@code LOOKOUT_DOCKER_COMPOSE}), that cache, then {@code PATH} (the cache first: a
 * host's older tools on {@code PATH} must not decide what the tests see).
 */
public final class Tools {
    private static final Map<String, String> ENV = System.getenv();

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

    /**
     * Compose v2 (sid's docker-compose): the cache before {@code PATH}, where bookworm's docker-compose is v1,
     * which reads compose files differently and names containers with underscores.
     */
    public static Optional<Path> dockerCompose() {
        return locate("LOOKOUT_DOCKER_COMPOSE", "docker-compose", "docker-compose");
    }

    /** {@code $LOOKOUT_CACHE/bin}, or {@code ~/.cache/lookout/bin}, where {@code .ci/tools.sh} links them. */
    public static Path cacheBin() {
        return ToolLocator.cacheBin(ENV);
    }

    /**
     * The tool, for a test that needs it. A missing tool fails the test in CI ({@code CI=true}), where
     * skipping would hide that nothing was checked, and skips it elsewhere.
     */
    public static Path require(Optional<Path> tool, String name) {
        if (tool.isEmpty()) {
            unavailable(name + " not found: run .ci/tools.sh (installs Debian sid's binaries into ~/.cache/lookout),"
                    + " or set LOOKOUT_CACHE or the LOOKOUT_* variable (looked in " + cacheBin() + " and PATH)");
        }
        return tool.get();
    }

    /** Ends a test that lacks something it needs: a failure in CI ({@code CI=true}), a skip elsewhere. */
    public static <T> T unavailable(String message) {
        if ("true".equals(ENV.get("CI"))) {
            return fail(message);
        }
        return Assumptions.abort(message);
    }

    /**
     * Runs {@code cmd} with stdin closed and returns its exit status and combined output. Throws when it
     * cannot start, or when it outlives {@code timeout} (it and its children are then killed).
     */
    public static ToolProcess.Result run(List<String> cmd, Duration timeout) {
        try {
            return ToolProcess.run(cmd, null, timeout);
        } catch (ToolProcess.TimedOut e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        }
    }

    private static Optional<Path> locate(String envVar, String cacheName, String... pathNames) {
        Optional<Path> chosen = ToolLocator.fromEnv(ENV, envVar);
        if (chosen.isEmpty()) {
            chosen = ToolLocator.find(List.of(cacheBin()), cacheName);
        }
        return chosen.isPresent() ? chosen : ToolLocator.find(ToolLocator.pathDirs(ENV), pathNames);
    }
}
