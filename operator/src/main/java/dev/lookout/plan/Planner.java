package dev.lookout.plan;

import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.ContainerChange;
import dev.lookout.docker.ContainerInfo;
import dev.lookout.docker.ContainerPlanner;
import dev.lookout.docker.ContainerSpec;
import dev.lookout.docker.DockerApi;
import dev.lookout.docker.DockerException;
import dev.lookout.docker.EngineInfo;
import dev.lookout.docker.Ownership;
import dev.lookout.gpu.DcgmExporterContainer;
import dev.lookout.gpu.GpuNode;
import dev.lookout.gpu.GpuNodeReconciler;
import dev.lookout.load.LoadedResource;
import dev.lookout.probe.ComfyProbe;
import dev.lookout.probe.ContainerTargets;
import dev.lookout.probe.DockerDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code lookout plan}: for every Docker host of the operator config, the changes {@code lookout run} would make
 * there for these resources, computed by the same {@link ContainerPlanner} the reconcilers use, without changing
 * anything (only list, inspect and info calls).
 */
public final class Planner {
    private final OperatorConfig config;
    private final Function<OperatorConfig.DockerHost, DockerApi> clients;

    public Planner(OperatorConfig config, Function<OperatorConfig.DockerHost, DockerApi> clients) {
        this.config = config;
        this.clients = clients;
    }

    public List<HostPlan> plan(List<LoadedResource> resources) {
        Set<String> declared = new TreeSet<>();
        resources.forEach(r -> declared.add(Ownership.owner(r.key())));
        List<HostPlan> plans = new ArrayList<>();
        for (OperatorConfig.DockerHost host : config.docker().hosts()) {
            plans.add(planHost(host, resources, declared));
        }
        return plans;
    }

    private HostPlan planHost(OperatorConfig.DockerHost host, List<LoadedResource> resources, Set<String> declared) {
        try {
            return askHost(host, resources, declared);
        } catch (DockerException | IllegalArgumentException e) {
            // IllegalArgumentException: a url or TLS folder the client refuses before any call.
            return new HostPlan(host.name(), host.url(), e.getMessage(), List.of(), List.of());
        }
    }

    private HostPlan askHost(OperatorConfig.DockerHost host, List<LoadedResource> resources, Set<String> declared) {
        List<ContainerChange> changes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        DockerApi api = clients.apply(host);
        EngineInfo engine = api.info();
        List<ContainerInfo> all = api.list(java.util.Map.of());
        // What this instance manages: the same filter the orphan sweep asks the engine for (Ownership.managed).
        Map<String, String> ours = Ownership.managed(config.lookout().instance());
        List<ContainerInfo> managed = all.stream().filter(c -> c.hasLabels(ours) && Ownership.ownerOf(c).isPresent()).toList();
        for (LoadedResource r : resources) {
            if (r.resource() instanceof GpuNode node && node.getSpec().host().equals(host.name())) {
                String owner = Ownership.owner(r.key());
                Optional<String> noRuntime = GpuNodeReconciler.noGpuRuntime(engine);
                if (noRuntime.isPresent()) {
                    changes.add(new ContainerChange(ContainerChange.Action.BLOCKED, host.name(),
                            DcgmExporterContainer.name(r.key()), owner, "NoGpuRuntime: " + noRuntime.get()));
                    continue;
                }
                ContainerSpec desired = Ownership.stamp(DcgmExporterContainer.spec(node, r.key(), config), config.lookout().instance(), r.key());
                List<ContainerInfo> owned = managed.stream().filter(c -> Ownership.ownerOf(c).filter(owner::equals).isPresent()).toList();
                List<ContainerChange> planned = ContainerPlanner.plan(host.name(), owner, desired, owned, all);
                changes.addAll(planned);
                boolean creates = planned.stream().anyMatch(c -> c.action() == ContainerChange.Action.CREATE
                        || c.action() == ContainerChange.Action.RECREATE);
                if (creates && !api.imageExists(desired.image())) {
                    notes.add("image " + desired.image() + " is not on the host: run pulls it, or reports ImageNotFound");
                }
            } else if (r.resource() instanceof ComfyProbe probe && probe.getSpec().discover() != null
                    && probe.getSpec().discover().docker() != null && probe.getSpec().discover().docker().host().equals(host.name())) {
                DockerDiscovery d = probe.getSpec().discover().docker();
                ContainerTargets.Found found = ContainerTargets.find(d, probe.getSpec().http().path(), config.prometheus().network(), all);
                notes.add(r.key() + " would probe " + found.targets().size() + " container(s)"
                        + (found.targets().isEmpty() ? "" : ": " + String.join(", ", found.targets().stream()
                                .map(t -> t.labels().get("container")).toList()))
                        + (found.unreachable().isEmpty() ? "" : "; " + ContainerTargets.unreachableMessage(found.unreachable(),
                                config.prometheus().network())));
            }
        }
        changes.addAll(ContainerPlanner.orphans(host.name(), managed, declared));
        return new HostPlan(host.name(), host.url(), null, changes, notes);
    }
}
