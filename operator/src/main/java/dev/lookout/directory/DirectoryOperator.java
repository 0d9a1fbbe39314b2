package dev.lookout.directory;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.config.OperatorConfig;
import dev.lookout.config.OperatorConfigLoader;
import dev.lookout.docker.DockerHosts;
import dev.lookout.docker.DockerPlatform;
import dev.lookout.docker.DockerSettings;
import dev.lookout.docker.HostListener;
import dev.lookout.docker.HostWatch;
import dev.lookout.docker.OrphanSweep;
import dev.lookout.docker.Ownership;
import dev.lookout.engine.Engine;
import dev.lookout.engine.OutputPipeline;
import dev.lookout.engine.ResourceTable;
import dev.lookout.engine.StateStore;
import dev.lookout.http.LookoutMetrics;
import dev.lookout.http.OperatorHttpServer;
import dev.lookout.kind.KindDefinition;
import dev.lookout.kind.KindServices;
import dev.lookout.kind.Reconciler;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.registry.KindRegistry;
import dev.lookout.statuspage.StatusPage;
import dev.lookout.reload.BlackboxClient;
import dev.lookout.reload.OutputChecks;
import dev.lookout.reload.PrometheusClient;
import dev.lookout.reload.PromtoolCheck;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.render.RenderInput;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lookout run --watch DIR}, assembled: the directory source feeds the engine; the engine writes the
 * outputs under {@code outRoot} and reloads Prometheus and blackbox; the HTTP endpoint serves metrics,
 * health and the resources. {@link #close()} shuts down in order: stop watching, finish the cycle in
 * progress, save the state, stop serving.
 */
public final class DirectoryOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryOperator.class);
    /** Reloads answer in milliseconds; an unresolvable or silent host must not hold a cycle up for long. */
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(3);
    /** The status page asks Prometheus on the HTTP thread: an absent Prometheus may cost a view this much, no more. */
    private static final Duration STATUS_PAGE_TIMEOUT = Duration.ofMillis(1500);

    /**
     * @param promtool  promtool to check outputs with; null: look it up (PATH, Lookout's cache), absent means skip
     * @param checks    Lookout's own checks of the rendered tree; false only in tests that need a bad output
     *                  to get further (promtool, or Prometheus itself)
     * @param usePromtool false only in tests that need a bad output to reach Prometheus
     * @param renderer  the renderer; tests may wrap it to inject an output only Prometheus refuses
     */
    public record Options(Path watch, OperatorConfig config, Path configFile, Path outRoot, Path stateDir,
                          InetSocketAddress listen, Path promtool, boolean checks, boolean usePromtool,
                          Function<RenderInput, PrometheusRenderer.Result> renderer,
                          DirectorySource.Settings source, Engine.Settings engine, DockerSettings docker) {
        public Options withRenderer(Function<RenderInput, PrometheusRenderer.Result> r) {
            return new Options(watch, config, configFile, outRoot, stateDir, listen, promtool, checks, usePromtool, r, source, engine, docker);
        }

        public Options withPromtool(Path p) {
            return new Options(watch, config, configFile, outRoot, stateDir, listen, p, checks, usePromtool, renderer, source, engine, docker);
        }

        public Options withResync(Duration every) {
            DirectorySource.Settings s = new DirectorySource.Settings(source.quiet(), source.maxDelay(), source.settle(), every);
            return new Options(watch, config, configFile, outRoot, stateDir, listen, promtool, checks, usePromtool, renderer, s, engine, docker);
        }

        /** Lookout's own checks off, promtool still on. */
        public Options withoutOwnChecks() {
            return new Options(watch, config, configFile, outRoot, stateDir, listen, promtool, false, usePromtool, renderer, source, engine, docker);
        }

        /** Every check off, so that a planted output reaches Prometheus. */
        public Options withoutChecks() {
            return new Options(watch, config, configFile, outRoot, stateDir, listen, promtool, false, false, renderer, source, engine, docker);
        }

        public Options withDocker(DockerSettings d) {
            return new Options(watch, config, configFile, outRoot, stateDir, listen, promtool, checks, usePromtool, renderer, source, engine, d);
        }

        public static Options of(Path watch, OperatorConfig config, Path configFile, Path outRoot, Path stateDir, InetSocketAddress listen) {
            PrometheusRenderer renderer = new PrometheusRenderer();
            return new Options(watch, config, configFile, outRoot, stateDir, listen, null, true, true, renderer::render,
                    DirectorySource.Settings.DEFAULT, Engine.Settings.DEFAULT, DockerSettings.defaults());
        }
    }

    private final Engine engine;
    private final DirectorySource source;
    private final OperatorHttpServer http;
    private final PrometheusMeterRegistry registry;
    private final DockerHosts hosts;
    private final OrphanSweep sweep;

    private DirectoryOperator(Engine engine, DirectorySource source, OperatorHttpServer http, PrometheusMeterRegistry registry,
                              DockerHosts hosts, OrphanSweep sweep) {
        this.engine = engine;
        this.source = source;
        this.http = http;
        this.registry = registry;
        this.hosts = hosts;
        this.sweep = sweep;
    }

    public static DirectoryOperator start(Options o) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LookoutMetrics metrics = new LookoutMetrics(registry);
        OperatorConfig config = o.config();
        Path outRoot = o.outRoot().toAbsolutePath();
        Files.createDirectories(outRoot);
        PromtoolCheck promtool = null;
        if (o.usePromtool()) {
            promtool = PromtoolCheck.locate(o.promtool()).orElse(null);
            LOG.info(promtool == null ? "promtool not found (PATH, ~/.cache/lookout/bin): outputs are checked by Lookout alone"
                    : "outputs are checked with " + promtool.executable() + " before Prometheus sees them");
        }
        PrometheusClient prometheus = new PrometheusClient(URI.create(config.prometheus().url()), HTTP_TIMEOUT);
        OutputPipeline.Parts parts = new OutputPipeline.Parts(config, outRoot, o.stateDir().resolve("staging"), o.renderer(),
                o.checks() ? new OutputChecks(config) : null, promtool, prometheus,
                new BlackboxClient(URI.create(config.blackbox().url()), HTTP_TIMEOUT),
                userBlackboxConfig(outRoot, config), OperatorConfigLoader.readPrometheusBase(o.configFile(), config));
        OutputPipeline pipeline = new OutputPipeline(parts, metrics, Clock.systemUTC());
        ResourceTable table = new ResourceTable();
        DockerHosts hosts = new DockerHosts(config.docker().hosts(), o.docker());
        // What is started so far, closed in reverse if a later step fails (a port in use, a folder that vanished):
        // a failed start must not leave Docker clients or threads behind.
        java.util.Deque<AutoCloseable> started = new java.util.ArrayDeque<>();
        started.push(hosts);
        try {
            HostWatch watch = new HostWatch();
            DockerPlatform docker = DockerPlatform.live(hosts, watch, config, o.stateDir());
            KindServices services = new KindServices(config, docker.workloads(), docker.instances(), docker.networks(), registry,
                    prometheus, Clock.systemUTC(), o.stateDir(), table::discovered, table.inputs());
            Map<String, Reconciler<?>> reconcilers = new java.util.HashMap<>();
            for (KindDefinition<?> kind : KindRegistry.ALL) {
                reconcilers.put(kind.kind(), kind.reconcilers().create(services));
            }
            Engine engine = new Engine(table, reconcilers, pipeline, new StateStore(o.stateDir(), mapper), metrics, o.engine(),
                    Clock.systemUTC(), mapper);
            metrics.queueDepth(engine::queueDepth);
            for (KindDefinition<?> kind : KindRegistry.ALL) {
                metrics.resources(kind.kind(), ready -> table.count(kind.kind(), ready));
            }
            OperatorHttpServer http = new OperatorHttpServer(o.listen(), registry, () -> table.objects(mapper), engine::notReady,
                    () -> engine.alive() ? List.of() : List.of("the output loop stopped; see the log"));
            started.push(http);
            StatusPage page = new StatusPage(() -> table.objects(mapper), engine::lastOutputs, outRoot,
                    new PrometheusClient(URI.create(config.prometheus().url()), STATUS_PAGE_TIMEOUT),
                    URI.create(config.prometheus().externalUrl()), Clock.systemUTC());
            http.withStatusPage(page::html);
            watch.onChange(engine::requeue, engine::reconcileNow);
            OrphanSweep sweep = new OrphanSweep(hosts, config.lookout().instance(), () -> owners(table));
            started.push(sweep);
            engine.start();
            started.push(engine);
            hosts.start(HostListener.all(watch, sweep));
            DirectorySource source = new DirectorySource(o.watch(), snapshot -> {
                engine.accept(snapshot);
                sweep.ownersKnown();
            }, engine::requeueReaders, o.source(), Clock.systemUTC());
            started.push(source);
            http.start();
            source.start();
            LOG.info("watching {}; outputs in {}; state in {}; http://{}:{}/ (metrics, healthz, readyz, api/v1/resources)",
                    o.watch().toAbsolutePath(), outRoot, o.stateDir().toAbsolutePath(), o.listen().getHostString(), http.port());
            return new DirectoryOperator(engine, source, http, registry, hosts, sweep);
        } catch (IOException | RuntimeException e) {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static Set<String> owners(ResourceTable table) {
        Set<String> owners = new HashSet<>();
        table.keys().forEach(key -> owners.add(Ownership.owner(key)));
        return owners;
    }

    /** The user's blackbox config as Lookout found it (Lookout's own modules are replaced on merge). */
    private static String userBlackboxConfig(Path outRoot, OperatorConfig config) throws IOException {
        String name = Path.of(config.blackbox().configFile()).getFileName().toString();
        Path file = outRoot.resolve(OutputTree.BLACKBOX + name);
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    }

    /** Waits until the folder's changes are all published and the engine is quiet (tests and benches). */
    public boolean awaitQuiet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            while (!source.idle() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            if (!engine.awaitQuiet(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                return false;
            }
        } while (!source.idle() && System.nanoTime() < deadline);
        return source.idle();
    }

    public Engine engine() {
        return engine;
    }

    /** The Docker hosts and what Lookout has seen on them (tests and benches). */
    public DockerHosts hosts() {
        return hosts;
    }

    public int httpPort() {
        return http.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() throws Exception {
        source.close();
        http.close(); // frees the port at once, even while a reload in flight finishes
        engine.close();
        sweep.close();
        hosts.close();
        registry.close();
    }
}
