package dev.lookout.bench;

import dev.lookout.kind.LoadedResource;
import dev.lookout.load.ManifestLoader;
import dev.lookout.load.ManifestSet;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.render.RenderInput;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads and validates N resources (default 10,000: the four kinds in turn, 100 per file, with the
 * Secrets they reference) and prints wall time per run and heap. Run with {@code make bench}.
 * Arguments: [resources] [measured runs].
 */
public final class LoadBench {
    private LoadBench() {
    }

    public static void main(String[] args) throws IOException {
        int resources = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("lookout-bench");
        try {
            int files = write(dir, resources);
            System.out.printf("lookout load+validate bench: %d resources in %d files, java %s, %d cpus%n",
                    resources, files, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            ManifestLoader loader = timedFirst(dir);
            for (int i = 0; i < 2; i++) {
                loader.load(List.of(dir)); // warm-up
            }
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                resetPeaks();
                long start = System.nanoTime();
                ManifestSet set = loader.load(List.of(dir));
                double ms = (System.nanoTime() - start) / 1e6;
                millis.add(ms);
                if (!set.valid() || set.resources().size() != resources) {
                    throw new IllegalStateException("bench input did not validate: " + set.errors().stream().limit(3).toList());
                }
                System.out.printf("run %d: %.0f ms (%.0f resources/s), heap peak %d MiB%n",
                        i + 1, ms, resources / (ms / 1000), peakHeapMiB());
            }
            millis.sort(Comparator.naturalOrder());
            System.out.printf("median %.0f ms, best %.0f ms for %d resources%n", millis.get(millis.size() / 2), millis.get(0), resources);
            renderBench(loader.load(List.of(dir)), runs);
            aliasBombs(dir);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Rendering the whole set (pure, no I/O), and a tenth of it, to show the growth is linear. */
    private static void renderBench(ManifestSet set, int runs) {
        dev.lookout.config.OperatorConfig config = dev.lookout.config.OperatorConfig.defaults();
        dev.lookout.render.PrometheusRenderer renderer = new dev.lookout.render.PrometheusRenderer();
        List<dev.lookout.kind.LoadedResource> all = set.resources();
        for (List<dev.lookout.kind.LoadedResource> part : List.of(all.subList(0, all.size() / 10), all)) {
            dev.lookout.render.RenderInput input = new dev.lookout.render.RenderInput(part, set.secrets(), config, null, null);
            for (int i = 0; i < 3; i++) {
                renderer.render(input); // warm-up
            }
            List<Double> millis = new ArrayList<>();
            int files = 0;
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                files = renderer.render(input).tree().files().size();
                millis.add((System.nanoTime() - start) / 1e6);
            }
            millis.sort(Comparator.naturalOrder());
            System.out.printf("render %d resources: median %.0f ms, best %.0f ms (%d files)%n",
                    part.size(), millis.get(millis.size() / 2), millis.get(0), files);
        }
    }

    /** How fast the two classic alias bombs are refused (they must never be expanded). */
    private static void aliasBombs(Path dir) throws IOException {
        StringBuilder laughs = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            laughs.append(c).append(": &").append(c).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*" + (char) (c - 1)))).append("]\n");
        }
        StringBuilder doubling = new StringBuilder("l0: &l0 [x, x]\n");
        for (int i = 1; i <= 40; i++) {
            doubling.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        for (var bomb : List.of(java.util.Map.entry("billion laughs (9^9)", laughs), java.util.Map.entry("doubling (2^40)", doubling))) {
            Path file = Files.writeString(dir.resolve("bomb.yaml"), bomb.getValue());
            resetPeaks();
            long start = System.nanoTime();
            ManifestSet set = new ManifestLoader().load(List.of(file));
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf("alias bomb %s: refused in %.1f ms, heap peak %d MiB (%s)%n", bomb.getKey(), ms, peakHeapMiB(),
                    set.errors().isEmpty() ? "NOT REFUSED" : set.errors().get(0).message());
            Files.delete(file);
        }
    }

    private static ManifestLoader timedFirst(Path dir) {
        long start = System.nanoTime();
        ManifestLoader loader = new ManifestLoader();
        loader.load(List.of(dir));
        System.out.printf("cold (new JVM, first load incl. schema setup): %.0f ms%n", (System.nanoTime() - start) / 1e6);
        return loader;
    }

    /** Writes {@code resources} generated resources (the four kinds in turn) and their Secret; returns the file count. */
    static int write(Path dir, int resources) throws IOException {
        int perFile = 100;
        int files = 0;
        for (int first = 0; first < resources; first += perFile) {
            StringBuilder sb = new StringBuilder();
            for (int i = first; i < Math.min(resources, first + perFile); i++) {
                sb.append(resource(i)).append("---\n");
            }
            Files.writeString(dir.resolve("res-" + files++ + ".yaml"), sb);
        }
        Files.writeString(dir.resolve("secrets.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata: {name: comfy-pass}
                stringData: {password: bench}
                """);
        return files + 1;
    }

    private static String resource(int i) {
        String ns = "team-" + (i % 7);
        return switch (i % 4) {
            case 0 -> """
                    apiVersion: lookout.dev/v1alpha1
                    kind: ComfyProbe
                    metadata: {name: comfy-%1$d, namespace: default}
                    spec:
                      targets:
                        - url: https://comfy-%1$d:8188
                          labels: {instance_group: g%1$d}
                      http:
                        validStatusCodes: [200]
                        bodyMustMatch: ["CheckpointLoaderSimple", "^\\\\{.*\\\\}$"]
                        basicAuth:
                          username: admin
                          passwordSecretRef: {name: comfy-pass, key: password}
                      interval: 30s
                      timeout: 15s
                      alert: {for: 2m, severity: critical}
                    """.formatted(i);
            case 1 -> """
                    apiVersion: lookout.dev/v1alpha1
                    kind: NginxVtsTarget
                    metadata: {name: edge-%d, namespace: %s}
                    spec:
                      image: {repository: lookout/nginx-vts, baseImage: "nginx:1.27", vtsVersion: 0.2.4}
                      listen: {port: 8080, publish: "127.0.0.1:18080:8080"}
                      status:
                        path: /status
                        histogramBuckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]
                      scrape: {interval: 15s, labels: {site: a}}
                      alerts:
                        errorRatio: {threshold: 0.05, for: 5m}
                        latencyP99: {thresholdSeconds: 1, for: 10m}
                    """.formatted(i, ns);
            case 2 -> """
                    apiVersion: lookout.dev/v1alpha1
                    kind: GpuNode
                    metadata: {name: gpu-%d, namespace: %s}
                    spec:
                      host: local
                      gpus: [0, 1, 2, 3]
                      exporter: {image: "nvidia/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04", port: 9400}
                      labels: {node: gpu-node}
                      alerts:
                        temperatureCelsius: 80
                        utilization: {percent: 90, for: 10m}
                        powerNearLimitRatio: 0.95
                    """.formatted(i, ns);
            default -> """
                    apiVersion: lookout.dev/v1alpha1
                    kind: NetworkPolicy
                    metadata: {name: pools-%d, namespace: %s}
                    spec:
                      host: host-%d
                      allowedPools: [{base: 192.168.240.0/20, size: 24}]
                      avoid: [172.21.0.0/16]
                      sharedNetwork: {name: dnet1, subnet: 192.168.250.0/24, gateway: 192.168.250.1}
                      scope: {allUserBridges: true}
                    """.formatted(i, ns, i);
        };
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024 * 1024);
    }
}
