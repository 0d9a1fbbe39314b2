package dev.lookout.gpu;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.ContainerApplier;
import dev.lookout.docker.ContainerChange;
import dev.lookout.docker.ContainerInfo;
import dev.lookout.docker.ContainerPlanner;
import dev.lookout.docker.ContainerSpec;
import dev.lookout.docker.DockerApi;
import dev.lookout.docker.DockerException;
import dev.lookout.docker.DockerHosts;
import dev.lookout.docker.EngineInfo;
import dev.lookout.docker.HostState;
import dev.lookout.docker.HostWatch;
import dev.lookout.docker.Ownership;
import dev.lookout.engine.ReconcileResult;
import dev.lookout.engine.Reconciler;
import dev.lookout.load.ObjectKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GpuNode on a compose host: dcgm-exporter runs there with the GPUs requested, and Ready means its metrics
 * flow: the status lists the GPUs read back from the exporter's own {@code /metrics}. An engine without an
 * NVIDIA runtime is said once ({@code NoGpuRuntime}) and looked at again only when the engine reconnects or
 * is resynced, not in a loop.
 */
public final class GpuNodeReconciler implements Reconciler<GpuNode> {
    /** How often a working exporter is read again (GPUs can fall off the bus; MIG can be reconfigured). */
    static final Duration RECHECK = Duration.ofMinutes(1);
    /** How soon an exporter that does not answer yet is asked again (it takes seconds to start DCGM). */
    static final Duration STARTING = Duration.ofSeconds(5);

    private final DockerHosts hosts;
    private final HostWatch watch;
    private final OperatorConfig config;
    private final ExporterMetrics metrics;

    public GpuNodeReconciler(DockerHosts hosts, HostWatch watch, OperatorConfig config, ExporterMetrics metrics) {
        this.hosts = hosts;
        this.watch = watch;
        this.config = config;
        this.metrics = metrics;
    }

    /** Why {@code engine} cannot run a GPU container, or empty when it has an NVIDIA runtime. */
    public static Optional<String> noGpuRuntime(EngineInfo engine) {
        if (engine.runtimes().contains("nvidia")) {
            return Optional.empty();
        }
        return Optional.of("Docker host " + engine.host() + " (engine " + engine.serverVersion() + ") has the runtimes "
                + String.join(", ", new java.util.TreeSet<>(engine.runtimes())) + " and none is named nvidia, so it cannot "
                + "give a container GPUs. Install the NVIDIA Container Toolkit there and run `nvidia-ctk runtime configure "
                + "--runtime=docker`, then restart dockerd; Lookout checks again when the engine reconnects.");
    }

    @Override
    public ReconcileResult reconcile(GpuNode node, ObjectKey key) {
        String host = node.getSpec().host();
        ContainerSpec desired = Ownership.stamp(DcgmExporterContainer.spec(node, key, config), config.lookout().instance(), key);
        // Its own exporter, and whatever holds the name it wants (a foreign container, until it is removed).
        Map<String, String> ownLabels = Ownership.ownedBy(config.lookout().instance(), key);
        watch.watch(host, key, c -> c.name().equals(desired.name()) || c.hasLabels(ownLabels));
        removeFromOtherHosts(key, host); // spec.host changed: the exporter moves
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        HostState state = hosts.state(host);
        if (state instanceof HostState.Down down) {
            return ReconcileResult.status(status).blocked("DockerUnavailable",
                    "Docker host " + host + " does not answer (" + down.reason() + "); retried with backoff");
        }
        EngineInfo engine = ((HostState.Up) state).engine();
        Optional<String> noRuntime = noGpuRuntime(engine);
        if (noRuntime.isPresent()) {
            status.putArray("runtimes").addAll(engine.runtimes().stream().sorted()
                    .map(JsonNodeFactory.instance::textNode).toList());
            return ReconcileResult.status(status).blocked("NoGpuRuntime", noRuntime.get());
        }
        DockerApi api = hosts.api(host).orElseThrow();
        // Asked of the engine, not read from the inventory: what Lookout acts on must not be a moment old (its own
        // create a moment ago may not have reached the inventory yet).
        List<ContainerInfo> owned = api.list(ownLabels);
        List<ContainerInfo> named = api.inspect(desired.name()).map(List::of).orElse(List.of());
        List<ContainerChange> changes = ContainerPlanner.plan(host, Ownership.owner(key), desired, owned, named);
        status.put("image", desired.image());
        try {
            ContainerApplier.apply(api, changes, desired);
        } catch (DockerException.ImageNotFound e) {
            // An image loaded or pushed meanwhile makes no container event: looked for again every minute.
            return ReconcileResult.status(status).blocked("ImageNotFound", e.getMessage()).requeueAfter(RECHECK);
        } catch (ContainerApplier.NameTaken e) {
            return ReconcileResult.status(status).blocked("ContainerNameTaken", e.getMessage());
        }
        Optional<ContainerInfo> container = api.inspect(desired.name());
        if (container.isEmpty()) {
            throw new IllegalStateException("container " + desired.name() + " vanished right after it was started on host " + host);
        }
        ContainerInfo c = container.get();
        status.putObject("container").put("name", c.name()).put("id", c.id()).put("state", c.state());
        String ip = c.networks().get(config.prometheus().network());
        if (!c.running() || ip == null || ip.isEmpty()) {
            return ReconcileResult.status(status).blocked("ExporterNotRunning", "container " + c.name() + " is " + c.state()
                    + (c.running() ? " but has no address on network " + config.prometheus().network() : "")
                    + "; see `docker logs " + c.name() + "` on host " + host).requeueAfter(STARTING);
        }
        ExporterMetrics.Reading reading = metrics.read(ip + ":" + node.getSpec().exporter().port());
        if (reading instanceof ExporterMetrics.Unreadable unreadable) {
            return ReconcileResult.status(status).blocked("MetricsNotFlowing", "dcgm-exporter in " + c.name() + " on host " + host
                    + ": " + unreadable.reason()).requeueAfter(STARTING);
        }
        GpuInventory inventory = ((ExporterMetrics.Flowing) reading).inventory();
        ArrayNode gpus = status.putArray("gpus");
        for (GpuInventory.GpuInfo gpu : inventory.gpus()) {
            ObjectNode g = gpus.addObject().put("index", gpu.index()).put("uuid", gpu.uuid()).put("model", gpu.model())
                    .put("memoryMiB", gpu.memoryMiB());
            if (!gpu.mig().isEmpty()) {
                ArrayNode mig = g.putArray("mig");
                gpu.mig().forEach(m -> mig.addObject().put("instance", m.instanceId()).put("profile", m.profile()));
            }
        }
        if (inventory.hostname() != null) {
            status.put("hostname", inventory.hostname());
        }
        return ReconcileResult.status(status).requeueAfter(RECHECK);
    }

    @Override
    public void cleanup(ObjectKey key) {
        watch.unwatch(key);
        removeFromOtherHosts(key, null);
    }

    /**
     * Removes what {@code key} owns on every host but {@code keep} (null: on every host). A host that is down, or
     * fails, is left to the orphan sweep or the next try; the others are still cleaned.
     */
    private void removeFromOtherHosts(ObjectKey key, String keep) {
        DockerException failed = null;
        for (String host : hosts.hostNames()) {
            Optional<DockerApi> api = hosts.api(host);
            if (host.equals(keep) || api.isEmpty() || !hosts.state(host).up()) {
                continue;
            }
            try {
                List<ContainerInfo> owned = api.get().list(Ownership.ownedBy(config.lookout().instance(), key));
                ContainerApplier.apply(api.get(), ContainerPlanner.plan(host, Ownership.owner(key), null, owned, owned), null);
            } catch (DockerException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed; // retried with backoff
        }
    }
}
