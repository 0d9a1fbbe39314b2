package dev.lookout.bench;

import dev.lookout.config.OperatorConfig;
import dev.lookout.directory.DirectoryOperator;
import dev.lookout.testing.BlackboxProcess;
import dev.lookout.testing.PrometheusProcess;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * {@code lookout run} against a real Prometheus and blackbox_exporter on 127.0.0.1, measured from outside:
 * <ol>
 *   <li>change→reload: with N resources (default 1,000) present, one file is edited; the time from just
 *   before the write to the moment Prometheus has accepted the reload (Lookout's applied-reload counter
 *   moves, which happens only after POST /-/reload answered 200 and Prometheus's own
 *   prometheus_config_last_reload_successful read 1). p50/p99 over the edits.</li>
 *   <li>burst: 1,000 edits spread over one second (one per millisecond): how many reloads they cause.</li>
 *   <li>heap: the operator holding M resources (default 10,000), after GC.</li>
 * </ol>
 * Arguments: [resources] [edits] [heap resources]. Run with {@code make bench}.
 */
public final class RunBench {
    private RunBench() {
    }

    public static void main(String[] args) throws Exception {
        int resources = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int edits = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int heapResources = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        System.out.printf("lookout run bench: java %s, %d cpus%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        latencyAndBurst(resources, edits);
        heap(heapResources);
        System.exit(0);
    }

    static String probe(int i, int seconds) {
        return probe(i, seconds, 0);
    }

    /** {@code edit} goes into a target label, so every edit changes the outputs (and needs a reload). */
    static String probe(int i, int seconds, int edit) {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata:
                  name: p%d
                spec:
                  targets:
                    - url: http://127.0.0.1:9/comfy-%d/object_info/CheckpointLoaderSimple
                      labels: {edit: "%d"}
                  interval: %ds
                  timeout: 5s
                """.formatted(i, i, edit, seconds);
    }

    private static void latencyAndBurst(int resources, int edits) throws Exception {
        Path tmp = Files.createTempDirectory("lookout-run-bench");
        Path watch = Files.createDirectories(tmp.resolve("resources"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.createDirectories(out.resolve("blackbox"));
        Files.writeString(out.resolve("blackbox/blackbox.yml"), "modules: {}\n");
        for (int i = 0; i < resources; i++) {
            Files.writeString(watch.resolve("p" + i + ".yaml"), probe(i, 30));
        }
        Path promConfig = tmp.resolve("prometheus.yml");
        Files.writeString(promConfig, "scrape_config_files: [\"%1$s/prometheus/scrape/*.yml\"]\nrule_files: [\"%1$s/prometheus/rules/*.yml\"]\n"
                .formatted(out));
        try (PrometheusProcess prometheus = PrometheusProcess.start(promConfig);
             BlackboxProcess blackbox = BlackboxProcess.start(out.resolve("blackbox/blackbox.yml"))) {
            OperatorConfig config = new OperatorConfig(null,
                    new OperatorConfig.Prometheus(prometheus.uri().toString(), out.resolve("prometheus").toString(), null, null, null),
                    new OperatorConfig.Blackbox(blackbox.uri().toString(), blackbox.address(), out.resolve("blackbox/blackbox.yml").toString()),
                    null, null);
            long startAt = System.nanoTime();
            try (DirectoryOperator lookout = DirectoryOperator.start(DirectoryOperator.Options.of(watch, config, null, out,
                    tmp.resolve("state"), new InetSocketAddress("127.0.0.1", 0)))) {
                lookout.awaitQuiet(Duration.ofMinutes(2));
                System.out.printf("start with %d resources: first render, promtool check, write and reload in %d ms; Prometheus has %d scrape pools%n",
                        resources, (System.nanoTime() - startAt) / 1_000_000, prometheus.scrapePools().size());
                reloadAlone(prometheus, resources);
                Counter applied = lookout.registry().find("lookout.reloads").tags("target", "prometheus", "outcome", "applied").counter();
                Random random = new Random(7);
                List<Double> latencies = new ArrayList<>();
                for (int e = 0; e < edits + 20; e++) {
                    int i = random.nextInt(resources);
                    double before = applied.count();
                    long t0 = System.nanoTime();
                    Files.writeString(watch.resolve("p" + i + ".yaml"), probe(i, 31 + e % 20, e + 1));
                    while (applied.count() == before && System.nanoTime() - t0 < 10_000_000_000L) {
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000); // no spinning: 2 cores are shared with Prometheus
                    }
                    if (e >= 20) { // the first 20 warm the JIT up
                        latencies.add((System.nanoTime() - t0) / 1e6);
                    }
                    lookout.awaitQuiet(Duration.ofSeconds(10));
                }
                Collections.sort(latencies);
                System.out.printf("change→reload with %d resources, %d edits: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        resources, latencies.size(), pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies.get(latencies.size() - 1));

                double before = applied.count();
                long t0 = System.nanoTime();
                for (int e = 0; e < 1000; e++) {
                    int i = e % resources;
                    Files.writeString(watch.resolve("p" + i + ".yaml"), probe(i, 90 + e % 7));
                    long due = t0 + (e + 1) * 1_000_000L;
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, due - System.nanoTime()));
                }
                long wrote = System.nanoTime() - t0;
                lookout.awaitQuiet(Duration.ofSeconds(30));
                System.out.printf("burst: 1000 edits written over %d ms caused %d reloads; all applied %d ms after the first edit%n",
                        wrote / 1_000_000, (long) (applied.count() - before), (System.nanoTime() - t0) / 1_000_000);
                // Targets carry their interval as a label that Prometheus refreshes on its ~5 s discovery tick.
                String interval = "?";
                for (long until = System.nanoTime() + 15_000_000_000L; System.nanoTime() < until && !interval.equals("1m35s"); Thread.sleep(250)) {
                    interval = prometheus.activeTargets().stream()
                            .filter(t -> t.path("scrapePool").asText().equals("lookout/comfyprobe/default/p999")).findFirst()
                            .map(t -> t.path("scrapeInterval").asText()).orElse("?");
                }
                System.out.printf("check: Prometheus scrapes p999 every %s (expected 1m35s, the burst's last edit)%n", interval);
            }
        }
    }

    /** Ten {@code POST /-/reload} of Prometheus with nothing changed: the floor under any change→reload. */
    static void reloadAlone(PrometheusProcess prometheus, int resources) {
        var client = new dev.lookout.reload.PrometheusClient(prometheus.uri(), Duration.ofSeconds(30));
        List<Double> plain = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            long p0 = System.nanoTime();
            client.reload();
            plain.add((System.nanoTime() - p0) / 1e6);
        }
        Collections.sort(plain);
        System.out.printf("Prometheus alone: POST /-/reload with %d unchanged scrape files: p50 %.1f ms, max %.1f ms%n",
                resources, pct(plain, 50), plain.get(plain.size() - 1));
    }

    private static void heap(int resources) throws Exception {
        Path tmp = Files.createTempDirectory("lookout-heap-bench");
        Path watch = Files.createDirectories(tmp.resolve("resources"));
        for (int f = 0; f < resources / 100; f++) {
            StringBuilder file = new StringBuilder();
            for (int i = f * 100; i < (f + 1) * 100; i++) {
                file.append("---\n").append(probe(i, 30));
            }
            Files.writeString(watch.resolve("f" + f + ".yaml"), file);
        }
        // No Prometheus: the reload is owed and retried, everything else runs (render, checks, write, status).
        OperatorConfig config = new OperatorConfig(null, new OperatorConfig.Prometheus("http://127.0.0.1:1", null, null, null, null),
                new OperatorConfig.Blackbox("http://127.0.0.1:1", null, null), null, null);
        long t0 = System.nanoTime();
        try (DirectoryOperator lookout = DirectoryOperator.start(DirectoryOperator.Options.of(watch, config, null, tmp.resolve("out"),
                tmp.resolve("state"), new InetSocketAddress("127.0.0.1", 0)))) {
            while (lookout.engine().table().size() < resources || !lookout.engine().notReady().stream().allMatch(r -> r.contains("did not answer"))) {
                Thread.sleep(50);
            }
            long ready = (System.nanoTime() - t0) / 1_000_000;
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("heap with %d resources loaded, rendered and written (first cycle %d ms): %.1f MiB used after GC%n",
                    resources, ready, used / 1024.0 / 1024.0);
            if (System.getenv("LOOKOUT_BENCH_HOLD") != null) {
                Thread.sleep(60_000); // time for jmap -histo:live when looking for what holds the heap
            }
        }
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
