package dev.lookout.dashboards;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.gpu.DcgmExporterWorkload;
import dev.lookout.gpu.GpuNode;
import dev.lookout.kind.LoadedResource;
import dev.lookout.load.ManifestLoader;
import dev.lookout.load.ManifestSet;
import dev.lookout.nginx.NginxVtsOutputs;
import dev.lookout.nginx.NginxVtsTarget;
import dev.lookout.platform.Instance;
import dev.lookout.probe.ComfyProbe;
import dev.lookout.probe.ProbeTargets;
import dev.lookout.prometheus.DiscoveredTarget;
import dev.lookout.prometheus.JobNames;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.TreeSurgery;
import dev.lookout.prometheus.TreeWriter;
import dev.lookout.reload.BlackboxClient;
import dev.lookout.reload.ReloadOutcome;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.render.RenderInput;
import dev.lookout.testing.BlackboxProcess;
import dev.lookout.testing.ClasspathText;
import dev.lookout.testing.OutputFolders;
import dev.lookout.testing.PrometheusProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lookout's real scrape jobs and rules, run by a real Prometheus 3 against stand-ins on 127.0.0.1: the resources of
 * {@code dashboards/lookout-resources.yaml} rendered by Lookout's own renderer (so the job names cannot drift from what
 * a user gets), blackbox_exporter probing a ComfyUI-like server, VTS's Prometheus format, the captured dcgm-exporter
 * payload, and Lookout's own restart counter.
 *
 * <p>The renderer is told where everything is through what a user configures (the blackbox address, Lookout's metrics
 * address, a Docker host whose published ports are on 127.0.0.1, the discovered ComfyUI container). The NginxVtsTarget
 * is scraped where that host publishes its port (127.0.0.1:8080), which is not the stand-in's port: that one address
 * is rewritten to the stand-in's.
 */
final class LookoutJobsOnStandIns implements AutoCloseable {
    static final String RESOURCES = "/dashboards/lookout-resources.yaml";
    static final String VTS_PAYLOAD = "/dashboards/vts-0.2.4-format-prometheus.prom";
    static final ObjectKey COMFY = new ObjectKey("ComfyProbe", "default", "comfy");
    static final ObjectKey COMFY_MISSING_NODE = new ObjectKey("ComfyProbe", "default", "comfy-missing-node");
    static final ObjectKey EDGE = new ObjectKey("NginxVtsTarget", "default", "edge");
    static final ObjectKey GPU_NODE = new ObjectKey("GpuNode", "default", "gpu-node-01");

    private final List<AutoCloseable> running = new ArrayList<>();
    private final SortedSet<String> jobs = new TreeSet<>();
    private PrometheusProcess prometheus;

    private LookoutJobsOnStandIns() {
    }

    /** Renders, writes and starts everything; on any failure what already runs is stopped. */
    static LookoutJobsOnStandIns start(Path tmp) throws IOException {
        LookoutJobsOnStandIns jobs = new LookoutJobsOnStandIns();
        try {
            jobs.startAll(tmp);
            return jobs;
        } catch (RuntimeException | Error | IOException e) {
            jobs.close();
            throw e;
        }
    }

    private void startAll(Path tmp) throws IOException {
        OutputFolders folders = OutputFolders.create(tmp);
        HttpStandIn comfy = started(HttpStandIn.serve("/object_info/", "application/json", ComfyObjectInfo::answer));
        BlackboxProcess blackbox = started(BlackboxProcess.start(folders.blackboxConfig()));
        Instance container = RestartingContainers.comfyContainer("comfy-1", "comfy", HttpStandIn.HOST);
        RestartingContainers restarts = new RestartingContainers(List.of(COMFY, COMFY_MISSING_NODE), container);
        HttpStandIn lookoutMetrics = started(HttpStandIn.serve("/metrics", HttpStandIn.PROMETHEUS_TEXT, restarts::scrape));
        // Its payload depends on the GpuNode, whose port is its own: filled in once the resources are loaded.
        AtomicReference<String> dcgmPayload = new AtomicReference<>("");
        HttpStandIn dcgm = started(HttpStandIn.serve("/metrics", HttpStandIn.PROMETHEUS_TEXT, path -> dcgmPayload.get()));

        ManifestSet resources = load(tmp, Map.of("${COMFY_PORT}", comfy.port(), "${DCGM_PORT}", dcgm.port()));
        OperatorConfig config = config(folders, blackbox, lookoutMetrics);
        dcgmPayload.set(LookoutsDcgmExporter.payload(
                DcgmExporterWorkload.of(resource(resources, GPU_NODE, GpuNode.class), GPU_NODE, config)));
        URI vtsPage = URI.create(NginxVtsOutputs.scrapeEndpoint(resource(resources, EDGE, NginxVtsTarget.class).getSpec(), EDGE,
                config));
        HttpStandIn vts = started(HttpStandIn.serve(vtsPage.getPath(), "text/plain", // the content type VTS sends
                new GrowingCounters(ClasspathText.read(VTS_PAYLOAD))));

        PrometheusRenderer.Result rendered = new PrometheusRenderer().render(new RenderInput(resources.resources(),
                resources.secrets(), config, Files.readString(folders.blackboxConfig()), null, discovered(resources, container)));
        new TreeWriter().write(scrapedAt(rendered.tree(), vtsPage.getAuthority(), vts.address()), folders.out());
        resources.resources().forEach(r -> jobs.add(JobNames.job(r.key())));
        jobs.add(JobNames.OPERATOR_JOB);

        ReloadOutcome reload = new BlackboxClient(blackbox.uri(), Duration.ofSeconds(10)).reload();
        if (!(reload instanceof ReloadOutcome.Applied)) {
            throw new AssertionError("blackbox_exporter refused Lookout's modules: " + reload + "\n" + blackbox.log());
        }
        prometheus = started(PrometheusProcess.start(folders.prometheusConfig()));
    }

    /** lookout.yaml as a user would write it for this host, with everything Lookout scrapes or probes on 127.0.0.1. */
    private static OperatorConfig config(OutputFolders folders, BlackboxProcess blackbox, HttpStandIn lookoutMetrics) {
        return new OperatorConfig(
                new OperatorConfig.Docker(List.of(new OperatorConfig.DockerHost("local", "unix:///var/run/docker.sock", null,
                        HttpStandIn.HOST))), // published ports are on 127.0.0.1: the GpuNode is scraped there
                new OperatorConfig.Prometheus(null, folders.out().resolve("prometheus").toString(), null, null, null),
                new OperatorConfig.Blackbox(blackbox.uri().toString(), blackbox.address(), folders.blackboxConfig().toString()),
                new OperatorConfig.Lookout(lookoutMetrics.address()), null);
    }

    /** What Docker discovery finds for each ComfyProbe, decided by Lookout's own ProbeTargets: the one ComfyUI container. */
    private static Map<ObjectKey, List<DiscoveredTarget>> discovered(ManifestSet resources, Instance container) {
        Map<ObjectKey, List<DiscoveredTarget>> discovered = new TreeMap<>();
        for (ObjectKey probe : List.of(COMFY, COMFY_MISSING_NODE)) {
            ComfyProbe p = resource(resources, probe, ComfyProbe.class);
            discovered.put(probe, ProbeTargets.find(p.getSpec().discover().docker(), p.getSpec().http().path(),
                    List.of(container)).targets());
        }
        return discovered;
    }

    /** The tree with the NginxVtsTarget's container address replaced by the stand-in's (see the class comment). */
    private static OutputTree scrapedAt(OutputTree tree, String containerAddress, String standIn) {
        String file = "prometheus/scrape/" + JobNames.fileStem(EDGE) + ".yml";
        String before = tree.files().stream().filter(f -> f.path().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("Lookout rendered no " + file)).text();
        if (!before.contains(containerAddress)) {
            throw new AssertionError(file + " does not scrape " + containerAddress + " any more:\n" + before);
        }
        return TreeSurgery.editText(tree, file, text -> text.replace(containerAddress, standIn));
    }

    PrometheusProcess prometheus() {
        return prometheus;
    }

    /** Every job Lookout rendered for the resources, its own {@code lookout/operator} included. */
    SortedSet<String> jobs() {
        return jobs;
    }

    /** Waits until every rendered job has a target and each was scraped successfully. */
    void awaitEveryJobUp(Duration atMost) {
        prometheus.awaitTrue("every Lookout job up: " + jobs, () -> {
            SortedSet<String> up = new TreeSet<>();
            prometheus.activeTargets().stream().filter(t -> "up".equals(t.path("health").asText()))
                    .forEach(t -> up.add(t.path("scrapePool").asText()));
            return up.containsAll(jobs);
        }, atMost);
    }

    private ManifestSet load(Path tmp, Map<String, Integer> ports) throws IOException {
        String manifests = ClasspathText.read(RESOURCES);
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            manifests = manifests.replace(port.getKey(), String.valueOf(port.getValue()));
        }
        Path file = Files.createDirectories(tmp.resolve("resources")).resolve("lookout-resources.yaml");
        Files.writeString(file, manifests);
        ManifestSet set = new ManifestLoader().load(List.of(file));
        if (!set.valid()) {
            throw new AssertionError("Lookout refuses " + RESOURCES + ": " + set.errors());
        }
        return set;
    }

    private static <T> T resource(ManifestSet set, ObjectKey key, Class<T> type) {
        return set.resources().stream().filter(r -> r.key().equals(key)).map(LoadedResource::resource).map(type::cast)
                .findFirst().orElseThrow(() -> new AssertionError(RESOURCES + " has no " + key));
    }

    private <T extends AutoCloseable> T started(T thing) {
        running.add(thing);
        return thing;
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                // stopping the rest matters more than why one did not stop
            }
        }
        running.clear();
    }
}
