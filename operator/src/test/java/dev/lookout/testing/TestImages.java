package dev.lookout.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The images {@code .ci/images.sh} builds from the cached sid binaries, by tag. The script is the one place
 * that knows the tags ({@code --tags}); when one is missing from the engine, it is run once per JVM to build
 * them. Without the cached tools or an engine, a test fails in CI and skips elsewhere.
 */
public final class TestImages {
    private static final Path SCRIPT = Manifests.REPO.resolve(".ci/images.sh");
    /** Building all three takes seconds; a loaded CI machine gets far more. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static Map<String, String> tags;

    private TestImages() {
    }

    /**
     * Static busybox whose entrypoint stands in for ComfyUI and for an exporter. Env: {@code PORT} (8188, httpd
     * over /www, where /object_info/CheckpointLoaderSimple answers JSON naming CheckpointLoaderSimple),
     * {@code AUTH_PASSWORD} (basic auth on every path, as {@code AUTH_USER}, default admin), {@code METRICS_PORT}
     * (GET /metrics there answers /www/metrics as Prometheus text), {@code BODY} (written to /www/metrics at
     * start; else copy or mount the file). Arguments replace the servers ({@code sleep 600}).
     */
    public static String busybox() {
        return tag("busybox");
    }

    /** Sid's Prometheus, laid out as prom/prometheus: config /etc/prometheus/prometheus.yml, data /prometheus. */
    public static String prometheus() {
        return tag("prometheus");
    }

    /** Sid's blackbox_exporter; config /etc/blackbox/blackbox.yml, port 9115. */
    public static String blackbox() {
        return tag("blackbox");
    }

    private static synchronized String tag(String image) {
        if (tags == null) {
            tags = ensureBuilt();
        }
        return tags.get(image);
    }

    private static Map<String, String> ensureBuilt() {
        DockerEngine.require();
        if (!Files.isRegularFile(SCRIPT)) {
            throw new IllegalStateException(SCRIPT + " is missing (lookout.repoRoot=" + Manifests.REPO + ")");
        }
        Map<String, String> byName = new HashMap<>();
        String listed = script(Duration.ofSeconds(30), "--tags");
        for (String line : listed.strip().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                byName.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!byName.keySet().containsAll(List.of("busybox", "prometheus", "blackbox"))) {
            throw new IllegalStateException(SCRIPT + " --tags printed no tag for every image:\n" + listed);
        }
        List<String> inspect = new ArrayList<>(List.of("image", "inspect", "--format", "{{.Id}}"));
        inspect.addAll(byName.values());
        if (DockerEngine.run(DockerEngine.TIMEOUT, inspect.toArray(String[]::new)).exit() != 0) {
            script(BUILD_TIMEOUT);
        }
        return Map.copyOf(byName);
    }

    /** Runs images.sh; its stdout. It fails (tools not cached) the way a missing tool does. */
    private static String script(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        DockerEngine.Result result = DockerEngine.exec(cmd, Map.of(), timeout);
        if (result.exit() != 0) {
            return Tools.unavailable(String.join(" ", cmd) + " failed (run bash .ci/tools.sh first?):\n"
                    + result.stdout() + result.stderr());
        }
        return result.stdout();
    }
}
