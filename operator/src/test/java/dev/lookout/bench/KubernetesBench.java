package dev.lookout.bench;

import dev.lookout.reload.ToolProcess;
import dev.lookout.testing.BlackboxProcess;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.CrdApiServer;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.OutputFolders;
import dev.lookout.testing.PrometheusProcess;
import dev.lookout.testing.Tools;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code lookout run --kubernetes} against a real API server ({@link CrdApiServer}), a real Prometheus and a real
 * blackbox_exporter, all on 127.0.0.1, with the operator in its own JVM ({@code java -Xmx128m -jar lookout.jar run
 * --kubernetes ...}) so that its heap limit is real:
 * <ol>
 *   <li>apply → applied: with N ComfyProbes (default 1,000) on the server, {@code kubectl apply -f} of one new
 *   ComfyProbe; the time from just before kubectl starts to the moment Prometheus's own log says it completed a
 *   reload that started after the probe's scrape file was written (scrape_pools and targets show a new job only on
 *   the ~5 s discovery tick after that). Also kubectl's part (until it exited: the object is stored), the time until
 *   the scrape file was written, and the time until the probe's status says Ready=True (written by Lookout after the
 *   reload was confirmed).</li>
 *   <li>heap: the operator's used heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}) holding N
 *   and then M (default 10,000) ComfyProbes, loaded with {@code kubectl apply -f} of multi-document files, once the
 *   outputs hold every job; a class histogram of the operator at M. When M does not fit (OutOfMemoryError in its
 *   log), a fresh operator with {@code -Dlookout.bench.bigHeap} (default 1g) shows what M needs.</li>
 * </ol>
 * Arguments: [resources] [samples] [heap resources] (no more than resources: no heap part). Run with {@code make bench-kubernetes}; the jar is
 * {@code -Dlookout.jar} (default operator/target/lookout.jar).
 */
public final class KubernetesBench {
    private static final int CHUNK = 500;
    private static final int WARMUP = 10;
    private static final int LATENCY_FIRST = 1_000_000;

    private KubernetesBench() {
    }

    public static void main(String[] args) throws Exception {
        int resources = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int heapResources = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Path jar = Path.of(System.getProperty("lookout.jar", "operator/target/lookout.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: mvn -B -q -DskipTests package -pl operator");
        }
        System.out.printf("lookout run --kubernetes bench: java %s, %d cpus, load average %s%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), loadAverage());
        Tools.require(Tools.prometheus(), "prometheus");
        Tools.require(Tools.blackbox(), "blackbox_exporter");
        Path tmp = Files.createTempDirectory("lookout-kubernetes-bench");
        CrdApiServer server = null;
        PrometheusProcess prometheus = null;
        BlackboxProcess blackbox = null;
        Process lookout = null;
        KubernetesClient client = null;
        try {
            server = CrdApiServer.start();
            server.succeeded(server.kubectl("apply", "-f", Manifests.REPO.resolve("crds").toString()));
            server.succeeded(server.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all"));
            client = new KubernetesClientBuilder().withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(
                    server.kubeconfig().toFile())).build();
            var probes = client.genericKubernetesResources("lookout.dev/v1alpha1", "ComfyProbe").inNamespace("default");

            load(server, tmp, 0, resources);

            OutputFolders folders = OutputFolders.create(tmp);
            // The bench's Prometheus scrapes and evaluates at its defaults (1 m), not every second: 10,000 probe jobs
            // at 1 s would measure Prometheus, not Lookout.
            Files.writeString(folders.prometheusConfig(), """
                    scrape_config_files: ["%1$s/prometheus/scrape/*.yml"]
                    rule_files: ["%1$s/prometheus/rules/*.yml"]
                    """.formatted(folders.out()));
            prometheus = PrometheusProcess.start(folders.prometheusConfig());
            blackbox = BlackboxProcess.start(folders.blackboxConfig());
            Path config = Files.writeString(tmp.resolve("lookout.yaml"), """
                    prometheus:
                      url: %s
                      outputDir: %s
                    blackbox:
                      url: %s
                      address: %s
                      configFile: %s
                    """.formatted(prometheus.uri(), folders.out().resolve("prometheus"), blackbox.uri(), blackbox.address(),
                    folders.blackboxConfig()));
            Path log = tmp.resolve("lookout.log");
            long startAt = System.nanoTime();
            lookout = operator(jar, "128m", server, config, folders.out(), tmp.resolve("state"), log);
            awaitLoaded(lookout, log, prometheus, probes, folders.out(), resources, Duration.ofMinutes(3));
            System.out.printf("start with %d ComfyProbes on the server: all jobs in Prometheus and all Ready after %d ms%n",
                    resources, (System.nanoTime() - startAt) / 1_000_000);
            heap(lookout, resources, false);

            RunBench.reloadAlone(prometheus, resources);

            latency(server, prometheus, probes, tmp, folders.out(), resources, samples);

            if (heapResources > resources) { // else: latency only
                long loadAt = System.nanoTime();
                load(server, tmp, resources, heapResources);
                int total = heapResources + WARMUP + samples;
                if (awaitOutputs(lookout, log, folders.out(), total, Duration.ofMinutes(8))) {
                    System.out.printf("%d more ComfyProbes applied while running: all %d scrape files written %d ms after the first apply; load average %s%n",
                            heapResources - resources, total, (System.nanoTime() - loadAt) / 1_000_000, loadAverage());
                    awaitReady(prometheus, probes, total, Duration.ofMinutes(3));
                    heap(lookout, total, true);
                } else {
                    System.out.printf("with %d ComfyProbes on the server the operator (-Xmx128m) ran out of heap after writing %d scrape files"
                            + " (%d ms after the first apply); load average %s%n",
                            total, scrapeFiles(folders.out()), (System.nanoTime() - loadAt) / 1_000_000, loadAverage());
                    if (lookout.isAlive()) {
                        heap(lookout, total, true);
                    }
                    stop(lookout);
                    // What it needs: the same resources, a fresh operator with room, the outputs written again from nothing.
                    String bigHeap = System.getProperty("lookout.bench.bigHeap", "1g");
                    clear(folders.out().resolve("prometheus/scrape"));
                    clear(folders.out().resolve("prometheus/rules"));
                    Path bigLog = tmp.resolve("lookout-big.log");
                    long bigAt = System.nanoTime();
                    lookout = operator(jar, bigHeap, server, config, folders.out(), tmp.resolve("state-big"), bigLog);
                    if (!awaitOutputs(lookout, bigLog, folders.out(), total, Duration.ofMinutes(8))) {
                        throw new IllegalStateException("-Xmx" + bigHeap + " did not hold " + total + " ComfyProbes either");
                    }
                    System.out.printf("restarted with -Xmx%s and %d ComfyProbes on the server: all scrape files written after %d ms%n",
                            bigHeap, total, (System.nanoTime() - bigAt) / 1_000_000);
                    awaitReady(prometheus, probes, total, Duration.ofMinutes(3));
                    heap(lookout, total, true);
                }
            }
        } catch (Throwable e) {
            if (lookout != null) {
                System.out.println("--- operator log (tail) ---\n" + tail(tmp.resolve("lookout.log"), 4000));
            }
            throw e;
        } finally {
            if (lookout != null) {
                lookout.destroy();
                if (!lookout.waitFor(20, TimeUnit.SECONDS)) {
                    lookout.destroyForcibly();
                }
            }
            Cleanup.quietly(client, blackbox, prometheus, server);
        }
        System.exit(0);
    }

    private static Process operator(Path jar, String heap, CrdApiServer server, Path config, Path out, Path state, Path log)
            throws IOException {
        return new ProcessBuilder("java", "-Xmx" + heap, "-jar", jar.toString(), "run", "--kubernetes",
                "--kubeconfig", server.kubeconfig().toString(), "--config", config.toString(),
                "--out", out.toString(), "--state", state.toString(), "--listen", "127.0.0.1:" + freePort())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void clear(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Until the outputs hold {@code count} ComfyProbe scrape files: true; false when the operator ran out of heap or exited. */
    private static boolean awaitOutputs(Process lookout, Path log, Path out, int count, Duration atMost) throws Exception {
        long until = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < until) {
            if (!lookout.isAlive() || Files.readString(log).contains("OutOfMemoryError")) {
                return false;
            }
            if (scrapeFiles(out) >= count) {
                return true;
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("not written in " + atMost + ": " + scrapeFiles(out) + " scrape files of " + count);
    }

    /** Waits (bounded) for Prometheus to hold {@code count} jobs and that many probes to be Ready; prints what it found. */
    private static void awaitReady(PrometheusProcess prometheus,
                                   NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> probes,
                                   int count, Duration atMost) throws InterruptedException {
        long t0 = System.nanoTime();
        long until = t0 + atMost.toNanos();
        int pools = 0;
        long readyCount = 0;
        while (System.nanoTime() < until) {
            pools = prometheus.scrapePools().size();
            readyCount = probes.list().getItems().stream().filter(KubernetesBench::readyTrue).count();
            if (pools >= count && readyCount >= count) {
                break;
            }
            Thread.sleep(5_000);
        }
        System.out.printf("  then %d of %d jobs in Prometheus and %d Ready after %d ms more (bounded at %d s); load average %s%n",
                pools, count, readyCount, (System.nanoTime() - t0) / 1_000_000, atMost.toSeconds(), loadAverage());
    }

    /** RunBench's ComfyProbe {@code p<i>}, scraped every minute (10,000 jobs every second would bench Prometheus). */
    static String probe(int i) {
        return RunBench.probe(i, 60);
    }

    static String job(String name) {
        return "lookout/comfyprobe/default/" + name;
    }

    /** {@code kubectl apply -f} of p{from}..p{to-1}, {@value #CHUNK} documents a file; prints how long it took. */
    private static void load(CrdApiServer server, Path tmp, int from, int to) throws IOException {
        long t0 = System.nanoTime();
        for (int start = from; start < to; start += CHUNK) {
            StringBuilder file = new StringBuilder();
            for (int i = start; i < Math.min(to, start + CHUNK); i++) {
                file.append("---\n").append(probe(i));
            }
            Path path = Files.writeString(tmp.resolve("chunk-" + start + ".yaml"), file);
            server.succeeded(server.kubectl("apply", "-f", path.toString()));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("kubectl apply -f of %d ComfyProbes (files of %d documents): %d ms, %.1f ms each; load average %s%n",
                to - from, CHUNK, ms, (double) ms / (to - from), loadAverage());
    }

    private static void latency(CrdApiServer server, PrometheusProcess prometheus,
                                NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> probes,
                                Path tmp, Path out, int resources, int samples) throws IOException {
        List<Double> loaded = new ArrayList<>();
        List<Double> kubectl = new ArrayList<>();
        List<Double> written = new ArrayList<>();
        List<Double> ready = new ArrayList<>();
        int missed = 0;
        for (int s = 0; s < WARMUP + samples; s++) {
            int i = LATENCY_FIRST + s; // past the bulk probes' numbers: each sample creates a new probe
            String name = "p" + i;
            Path file = Files.writeString(tmp.resolve(name + ".yaml"), probe(i));
            long wall0 = System.currentTimeMillis();
            long t0 = System.nanoTime();
            ToolProcess.Result applied = server.kubectl("apply", "-f", file.toString());
            long stored = System.nanoTime();
            server.succeeded(applied);
            long until = t0 + 20_000_000_000L;
            long isReady = 0;
            while (isReady == 0 && System.nanoTime() < until) {
                if (readyTrue(probes.withName(name).get())) {
                    isReady = System.nanoTime();
                } else {
                    LockSupport.parkNanos(10_000_000); // 10 ms: 2 cores are shared with Prometheus, the API server, Lookout
                }
            }
            Path scrapeFile = out.resolve("prometheus/scrape/comfyprobe.default." + name + ".yml");
            long fileAt = Files.isRegularFile(scrapeFile) ? Files.getLastModifiedTime(scrapeFile).toMillis() : 0;
            long loadedAt = fileAt == 0 ? 0 : reloadCompletedAfter(prometheus.log(), fileAt);
            if (isReady == 0 || loadedAt == 0) {
                missed++;
                if (missed <= 2) {
                    System.out.printf("  missed %s: ready %s, scrape file at %d, apply at %d; Prometheus log tail:%n%s%n", name, isReady != 0,
                            fileAt, wall0, tailOf(prometheus.log(), 1500));
                }
                continue;
            }
            if (s >= WARMUP) {
                kubectl.add((stored - t0) / 1e6);
                written.add((double) (fileAt - wall0));
                loaded.add((double) (loadedAt - wall0));
                ready.add((isReady - t0) / 1e6);
            }
            LockSupport.parkNanos(200_000_000); // let the status write and the operator settle before the next apply
        }
        for (List<Double> l : List.of(loaded, kubectl, written, ready)) {
            Collections.sort(l);
        }
        System.out.printf("kubectl apply of one new ComfyProbe → Prometheus finished loading a config that holds its job,"
                        + " %d on the server, %d samples (%d warm-up, %d missed in 20 s): p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms;"
                        + " load average %s%n",
                resources, loaded.size(), WARMUP, missed, pct(loaded, 50), pct(loaded, 90), pct(loaded, 99), max(loaded), loadAverage());
        System.out.printf("  kubectl apply → status Ready=True (Applied) seen on the server: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                pct(ready, 50), pct(ready, 90), pct(ready, 99), max(ready));
        System.out.printf("  where the time goes (p50 / p99): kubectl start → exit (object stored) %.0f / %.0f ms;"
                        + " apply → scrape file written %.0f / %.0f ms%n",
                pct(kubectl, 50), pct(kubectl, 99), pct(written, 50), pct(written, 99));
    }

    private static final Pattern COMPLETED = Pattern.compile(
            "time=(\\S+) .*msg=\"Completed loading of configuration file\".* totalDuration=(\\S+)");

    /**
     * The wall-clock time at which Prometheus completed the first reload that started at or after {@code since}
     * (epoch ms), from its own log; 0 when none did. A reload that started after the scrape file was written read it.
     */
    static long reloadCompletedAfter(String log, long since) {
        Matcher m = COMPLETED.matcher(log);
        long first = 0;
        while (m.find()) {
            long done = java.time.Instant.parse(m.group(1)).toEpochMilli();
            long began = done - goDurationMillis(m.group(2));
            if (began >= since - 1 && (first == 0 || done < first)) {
                first = done;
            }
        }
        return first;
    }

    /** A Go duration as Prometheus logs it (1.5s, 413.2ms, 812µs, 1m2.5s), in whole milliseconds, rounded up. */
    static long goDurationMillis(String text) {
        Matcher part = Pattern.compile("([0-9.]+)(ms|µs|us|ns|h|m|s)").matcher(text);
        double millis = 0;
        while (part.find()) {
            double v = Double.parseDouble(part.group(1));
            millis += switch (part.group(2)) {
                case "h" -> v * 3_600_000;
                case "m" -> v * 60_000;
                case "s" -> v * 1_000;
                case "ms" -> v;
                case "µs", "us" -> v / 1_000;
                default -> v / 1_000_000;
            };
        }
        return (long) Math.ceil(millis);
    }

    @SuppressWarnings("unchecked")
    private static boolean readyTrue(GenericKubernetesResource resource) {
        if (resource == null || !(resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
            return false;
        }
        if (!(status.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        for (Object c : conditions) {
            Map<String, Object> condition = (Map<String, Object>) c;
            if ("Ready".equals(condition.get("type"))) {
                return "True".equals(condition.get("status"));
            }
        }
        return false;
    }

    /** Until the outputs hold {@code count} scrape files, Prometheus that many jobs, and that many probes are Ready. */
    private static void awaitLoaded(Process lookout, Path log, PrometheusProcess prometheus,
                                    NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> probes,
                                    Path out, int count, Duration atMost) throws Exception {
        long until = System.nanoTime() + atMost.toNanos();
        long files = 0;
        int pools = 0;
        long readyCount = 0;
        while (System.nanoTime() < until) {
            if (!lookout.isAlive()) {
                throw new IllegalStateException("the operator exited with " + lookout.exitValue());
            }
            files = scrapeFiles(out);
            if (files >= count) {
                pools = prometheus.scrapePools().size();
                if (pools >= count) {
                    readyCount = probes.list().getItems().stream().filter(KubernetesBench::readyTrue).count();
                    if (readyCount >= count) {
                        return;
                    }
                }
            }
            Thread.sleep(2_000);
        }
        throw new IllegalStateException("not loaded in " + atMost + ": " + files + " scrape files, " + pools
                + " jobs in Prometheus, " + readyCount + " Ready, of " + count);
    }

    private static long scrapeFiles(Path out) throws IOException {
        Path scrape = out.resolve("prometheus/scrape");
        if (!Files.isDirectory(scrape)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(scrape)) {
            return list.filter(p -> p.getFileName().toString().startsWith("comfyprobe.")).count();
        }
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /** The operator's used heap after a full GC, read with jcmd; with {@code histogram}, its 15 largest classes. */
    private static void heap(Process lookout, int resources, boolean histogram) {
        if (!lookout.isAlive()) {
            System.out.println("operator heap with " + resources + " ComfyProbes: the operator is not running");
            return;
        }
        String pid = Long.toString(lookout.pid());
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = USED.matcher(info);
        String usedMiB = used.find() ? "%.1f MiB".formatted(Long.parseLong(used.group(1)) / 1024.0) : "? (" + info + ")";
        System.out.printf("operator heap (%s) with %d ComfyProbes, after GC.run: %s used; load average %s%n",
                lookout.info().arguments().map(a -> a[0]).orElse("?"), resources, usedMiB, loadAverage());
        if (histogram) {
            List<String> lines = jcmd(pid, "GC.class_histogram").lines().toList();
            System.out.println("  GC.class_histogram, top 15:");
            lines.stream().skip(1).limit(17).forEach(l -> System.out.println("  " + l));
        }
    }

    private static String jcmd(String pid, String command) {
        ToolProcess.Result result = Tools.run(List.of("jcmd", pid, command), Duration.ofSeconds(60));
        if (result.exit() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + ": " + result.output());
        }
        return result.output();
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String tailOf(String text, int chars) {
        return text.length() > chars ? text.substring(text.length() - chars) : text;
    }

    private static String tail(Path file, int chars) {
        try {
            String text = Files.readString(file);
            return text.length() > chars ? text.substring(text.length() - chars) : text;
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static double max(List<Double> sorted) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
    }

    private static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
