package dev.lookout.runtime;

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
import dev.lookout.engine.OutputPublisher;
import dev.lookout.engine.ResourceTable;
import dev.lookout.engine.StateStore;
import dev.lookout.http.LookoutMetrics;
import dev.lookout.http.OperatorHttpServer;
import dev.lookout.kind.KindDefinition;
import dev.lookout.kind.KindServices;
import dev.lookout.kind.Reconciler;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.registry.KindRegistry;
import dev.lookout.reload.BlackboxClient;
import dev.lookout.reload.OutputChecks;
import dev.lookout.reload.PrometheusClient;
import dev.lookout.reload.PromtoolCheck;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.render.RenderInput;
import dev.lookout.statuspage.StatusPage;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both run modes share, assembled once: the engine (table, reconcilers, output pipeline, state), the Docker
 * hosts the kinds act on ({@code spec.host} names them in either mode), the orphan sweep, and the HTTP endpoint
 * (metrics, health, resources, status page). A run mode adds only its source: a watched folder, or the Kubernetes API.
 * {@link #close()} stops in order: stop serving, finish the cycle in progress, save the state, close the hosts.
 */
public final class OperatorCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorCore.class);
    /** Reloads answer in milliseconds; an unresolvable or silent host must not hold a cycle up for long. */
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(3);
    /**
     * Prometheus answers {@code POST /-/reload} when the reload is done: 0.1 s for tens of jobs, about 70 s for 10,000
     * (docs/benchmarks.md). Within this, an answer is waited for rather than taken as a failure and retried, which would
     * only queue another reload behind the first. A Prometheus that does not answer at all is still found out by the
     * connect timeout.
     */
    private static final Duration RELOAD_TIMEOUT = Duration.ofMinutes(5);
    /** The status page asks Prometheus on the HTTP thread: an absent Prometheus may cost a view this much, no more. */
    private static final Duration STATUS_PAGE_TIMEOUT = Duration.ofMillis(1500);

    /**
     * @param promtool    promtool to check outputs with; null: look it up (PATH, Lookout's cache), absent means skip
     * @param checks      Lookout's own checks of the rendered tree; false only in tests that need a bad output
     * @param usePromtool false only in tests that need a bad output to reach Prometheus
     * @param renderer    the renderer; tests may wrap it to inject an output only Prometheus refuses
     */
    public record Parts(OperatorConfig config, Path configFile, Path outRoot, Path stateDir, InetSocketAddress listen,
                        Path promtool, boolean checks, boolean usePromtool,
                        Function<RenderInput, PrometheusRenderer.Result> renderer, Engine.Settings engine,
                        DockerSettings docker) {
    }

    private final Engine engine;
    private final ResourceTable table;
    private final OperatorHttpServer http;
    private final PrometheusMeterRegistry registry;
    private final DockerHosts hosts;
    private final OrphanSweep sweep;
    private final ObjectMapper mapper;
    private final Path outRoot;
    private final AtomicBoolean standby;

    private OperatorCore(Engine engine, ResourceTable table, OperatorHttpServer http, PrometheusMeterRegistry registry,
                         DockerHosts hosts, OrphanSweep sweep, ObjectMapper mapper, Path outRoot,
                         AtomicBoolean standby) {
        this.standby = standby;
        this.engine = engine;
        this.table = table;
        this.http = http;
        this.registry = registry;
        this.hosts = hosts;
        this.sweep = sweep;
        this.mapper = mapper;
        this.outRoot = outRoot;
    }

    /** Starts the engine and the Docker hosts; the HTTP endpoint is bound but serves from {@link #serve()} on. */
    /**
     * Where the kinds' workloads and instances go besides the Docker hosts: directory mode has only those; Kubernetes
     * mode routes what names no Docker host to the cluster.
     */
    public interface Platforms {
        Platforms DOCKER_ONLY = new Platforms() {
        };

        default dev.lookout.platform.Workloads workloads(dev.lookout.platform.Workloads docker) {
            return docker;
        }

        default dev.lookout.platform.Instances instances(dev.lookout.platform.Instances docker) {
            return docker;
        }

        /**
         * Where outputs go besides files, for {@code prometheus.mode: operator}; null: Prometheus reads the files. Only
         * Kubernetes mode has one.
         */
        default OutputPublisher publisher() {
            return null;
        }
    }

    public static OperatorCore start(Parts o) throws IOException {
        return start(o, Platforms.DOCKER_ONLY);
    }

    public static OperatorCore start(Parts o, Platforms platforms) throws IOException {
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
        PrometheusClient prometheus = new PrometheusClient(URI.create(config.prometheus().url()), HTTP_TIMEOUT, RELOAD_TIMEOUT);
        OutputPublisher publisher = platforms.publisher();
        boolean operatorMode = config.prometheus().mode() == OperatorConfig.Mode.OPERATOR;
        if (operatorMode != (publisher != null)) {
            throw new IllegalArgumentException(operatorMode
                    ? "prometheus.mode: operator makes prometheus-operator objects, which needs Kubernetes mode (lookout run --kubernetes)"
                    : "a publisher of objects is only for prometheus.mode: operator");
        }
        // In operator mode prometheus-operator writes Prometheus's configuration and its config-reloader reloads it, and
        // blackbox reads the ConfigMap Lookout publishes (reloaded beside it, docs/kubernetes.md): Lookout reloads neither.
        OutputPipeline.Parts parts = new OutputPipeline.Parts(config, outRoot, o.stateDir().resolve("staging"), o.renderer(),
                o.checks() ? new OutputChecks(config) : null, promtool, operatorMode ? null : prometheus,
                operatorMode ? null : new BlackboxClient(URI.create(config.blackbox().url()), HTTP_TIMEOUT, RELOAD_TIMEOUT),
                operatorMode ? publisher.userBlackboxConfig() : userBlackboxConfig(outRoot, config),
                OperatorConfigLoader.readPrometheusBase(o.configFile(), config), publisher);
        OutputPipeline pipeline = new OutputPipeline(parts, metrics, Clock.systemUTC());
        ResourceTable table = new ResourceTable();
        DockerHosts hosts = new DockerHosts(config.docker().hosts(), o.docker());
        // What is started so far, closed in reverse if a later step fails (a port in use, a folder that vanished):
        // a failed start must not leave Docker clients or threads behind.
        Deque<AutoCloseable> started = new ArrayDeque<>();
        started.push(hosts);
        try {
            HostWatch watch = new HostWatch();
            DockerPlatform docker = DockerPlatform.live(hosts, watch, config, o.stateDir());
            KindServices services = new KindServices(config, platforms.workloads(docker.workloads()),
                    platforms.instances(docker.instances()), docker.networks(), registry,
                    prometheus, Clock.systemUTC(), o.stateDir(), table::discovered, table.inputs());
            Map<String, Reconciler<?>> reconcilers = new HashMap<>();
            for (KindDefinition<?> kind : KindRegistry.ALL) {
                reconcilers.put(kind.kind(), kind.reconcilers().create(services));
            }
            Engine engine = new Engine(table, reconcilers, pipeline, new StateStore(o.stateDir(), mapper), metrics, o.engine(),
                    Clock.systemUTC(), mapper);
            metrics.queueDepth(engine::queueDepth);
            for (KindDefinition<?> kind : KindRegistry.ALL) {
                metrics.resources(kind.kind(), ready -> table.count(kind.kind(), ready));
            }
            AtomicBoolean standby = new AtomicBoolean();
            OperatorHttpServer http = new OperatorHttpServer(o.listen(), registry, () -> table.objects(mapper),
                    () -> standby.get() ? List.of() : engine.notReady(),
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
            return new OperatorCore(engine, table, http, registry, hosts, sweep, mapper, outRoot, standby);
        } catch (IOException | RuntimeException e) {
            closeAll(started, e);
            throw e;
        }
    }

    /** Closes what a failed start had started, newest first; what fails to close is kept on {@code cause}. */
    public static void closeAll(Deque<AutoCloseable> started, Exception cause) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception suppressed) {
                cause.addSuppressed(suppressed);
            }
        }
    }

    private static Set<String> owners(ResourceTable table) {
        Set<String> owners = new HashSet<>();
        table.keys().forEach(key -> owners.add(Ownership.owner(key)));
        return owners;
    }

    /** The user's blackbox config as Lookout found it (Lookout's own modules are replaced on merge). */
    private static String userBlackboxConfig(Path outRoot, OperatorConfig config) throws IOException {
        String name = config.blackbox().configFileName();
        Path file = outRoot.resolve(OutputTree.BLACKBOX + name);
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    }

    /** Serves /metrics, /healthz, /readyz and the resources from now on. */
    public void serve() throws IOException {
        http.start();
    }

    /**
     * A replica standing by for the leader lease (Kubernetes mode with leader election) has nothing to sync, so it is
     * ready: /readyz answers 200 while {@code on}; the engine's own readiness (first sync, last reload) applies again
     * once it leads.
     */
    public void standby(boolean on) {
        standby.set(on);
    }

    /** The source has delivered every resource once: the orphan sweep may now remove what no resource owns. */
    public void ownersKnown() {
        sweep.ownersKnown();
    }

    public Engine engine() {
        return engine;
    }

    public ResourceTable table() {
        return table;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public Path outRoot() {
        return outRoot;
    }

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
        http.close(); // frees the port at once, even while a reload in flight finishes
        engine.close();
        sweep.close();
        hosts.close();
        registry.close();
    }
}
