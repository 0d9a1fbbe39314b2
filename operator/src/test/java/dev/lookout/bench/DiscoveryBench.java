package dev.lookout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.config.OperatorConfig;
import dev.lookout.directory.DirectoryOperator;
import dev.lookout.testing.BlackboxContainer;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.PrometheusContainer;
import dev.lookout.testing.TestImages;
import dev.lookout.testing.TestNetwork;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Container start → target, on the real Docker engine, measured from outside Lookout: N containers (default 60)
 * of a compose project are started one every {@code gap} ms (default 700) on the shared network, and for each
 * the time from its start (the engine's State.StartedAt) to
 * <ol>
 *   <li>its target in the probe's file_sd file (polled every 2 ms),</li>
 *   <li>its target active in Prometheus (GET /api/v1/targets), and</li>
 *   <li>its first probe done by Prometheus through blackbox (the target's health is up).</li>
 * </ol>
 * Prometheus and blackbox run in containers on that network. Prints p50/p90/p99/max of each.
 * Arguments: [starts] [gap ms]. Run with {@code make bench-docker}.
 */
public final class DiscoveryBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "lookout-bench";

    private DiscoveryBench() {
    }

    public static void main(String[] args) throws Exception {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int gapMillis = args.length > 1 ? Integer.parseInt(args[1]) : 700;
        DockerEngine.require();
        Path tmp = Files.createTempDirectory("lookout-discovery-bench");
        List<String> containers = new ArrayList<>();
        try (TestNetwork shared = DockerEngine.createNetwork()) {
            Path out = Files.createDirectories(tmp.resolve("prometheus"));
            Files.createDirectories(out.resolve("blackbox"));
            Files.writeString(out.resolve("blackbox/blackbox.yml"), "modules: {}\n");
            Files.writeString(out.resolve("prometheus.yml"), """
                    global: {scrape_interval: 1s, evaluation_interval: 1s}
                    scrape_config_files: ["/etc/prometheus/prometheus/scrape/*.yml"]
                    """);
            try (BlackboxContainer blackbox = BlackboxContainer.start(shared, out.resolve("blackbox"));
                 PrometheusContainer prometheus = PrometheusContainer.start(shared, out)) {
                OperatorConfig config = new OperatorConfig(null,
                        new OperatorConfig.Prometheus(prometheus.uri().toString(), "/etc/prometheus/prometheus", null, shared.name(), null),
                        new OperatorConfig.Blackbox(blackbox.uri().toString(), blackbox.address(), "/etc/blackbox/blackbox.yml"),
                        null, null);
                Path watch = Files.createDirectories(tmp.resolve("resources"));
                Manifests.write(watch, "bench.yaml", """
                        apiVersion: lookout.dev/v1alpha1
                        kind: ComfyProbe
                        metadata: {name: bench}
                        spec:
                          discover:
                            docker: {host: local, composeProjects: [%s], port: 8188, scheme: http}
                          interval: 1s
                          timeout: 1s
                        """.formatted(PROJECT));
                try (DirectoryOperator lookout = DirectoryOperator.start(DirectoryOperator.Options.of(watch, config, null, out,
                        tmp.resolve("state"), new InetSocketAddress("127.0.0.1", 0)))) {
                    lookout.awaitQuiet(Duration.ofSeconds(10));
                    measure(starts, gapMillis, shared, out.resolve("prometheus/targets/comfyprobe.default.bench.json"),
                            prometheus.uri(), containers);
                }
            } finally {
                for (String c : containers) {
                    DockerEngine.run(Duration.ofSeconds(30), "rm", "-f", c);
                }
            }
        }
        System.exit(0);
    }

    private static void measure(int starts, int gapMillis, TestNetwork shared, Path targetsFile, URI prometheus,
                                List<String> containers) throws Exception {
        List<Long> toFile = new ArrayList<>();
        List<Long> toActive = new ArrayList<>();
        List<Long> toProbed = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        long nextStart = System.nanoTime();
        int started = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(starts * (long) gapMillis / 1000 + 60).toNanos();
        while ((started < starts || !pending.isEmpty()) && System.nanoTime() < deadline) {
            if (started < starts && System.nanoTime() >= nextStart) {
                String name = DockerEngine.randomName("bench");
                DockerEngine.docker("run", "-d", "--name", name, "--network", shared.name(), "--label", "dev.lookout.test=bench",
                        "--label", "com.docker.compose.project=" + PROJECT, TestImages.busybox());
                containers.add(name);
                Instant startedAt = Instant.parse(DockerEngine.docker("inspect", "-f", "{{.State.StartedAt}}", name));
                pending.add(new Pending(name, "http://" + name + ":8188/object_info/CheckpointLoaderSimple", startedAt));
                started++;
                nextStart += gapMillis * 1_000_000L;
            }
            Set<String> inFile = Files.exists(targetsFile) ? targets(JSON.readTree(targetsFile.toFile())) : Set.of();
            boolean askPrometheus = pending.stream().anyMatch(p -> p.file != null);
            JsonNode active = askPrometheus ? JSON.readTree(http.send(HttpRequest.newBuilder(prometheus.resolve("api/v1/targets?state=active"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).path("data").path("activeTargets") : null;
            Instant now = Instant.now();
            for (Pending p : new ArrayList<>(pending)) {
                if (p.file == null && inFile.contains(p.target)) {
                    p.file = now;
                    toFile.add(Duration.between(p.startedAt, now).toMillis());
                }
                if (active != null) {
                    for (JsonNode t : active) {
                        if (p.target.equals(t.path("labels").path("instance").asText())) {
                            if (p.active == null) {
                                p.active = now;
                                toActive.add(Duration.between(p.startedAt, now).toMillis());
                            }
                            if (!"unknown".equals(t.path("health").asText())) {
                                toProbed.add(Duration.between(p.startedAt, now).toMillis());
                                pending.remove(p);
                            }
                        }
                    }
                }
            }
            Thread.sleep(askPrometheus ? 20 : 2);
        }
        System.out.printf("discovery bench: %d container starts, one every %d ms, java %s, %d cpus%n", started, gapMillis,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        print("start -> target in the file_sd file", toFile);
        print("start -> target active in Prometheus", toActive);
        print("start -> first probe done (health up)", toProbed);
        if (!pending.isEmpty()) {
            System.out.printf("  %d starts not seen through before the deadline%n", pending.size());
        }
    }

    private static Set<String> targets(JsonNode groups) {
        Set<String> all = new HashSet<>();
        groups.forEach(g -> g.path("targets").forEach(t -> all.add(t.asText())));
        return all;
    }

    private static void print(String what, List<Long> millis) {
        if (millis.isEmpty()) {
            System.out.printf("  %-40s no samples%n", what);
            return;
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("  %-40s n=%d  p50 %d ms  p90 %d ms  p99 %d ms  max %d ms%n", what, sorted.size(), pct(sorted, 50),
                pct(sorted, 90), pct(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static final class Pending {
        final String name;
        final String target;
        final Instant startedAt;
        Instant file;
        Instant active;

        Pending(String name, String target, Instant startedAt) {
            this.name = name;
            this.target = target;
            this.startedAt = startedAt;
        }
    }
}
