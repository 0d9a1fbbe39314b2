package dev.lookout.plan;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.ContainerInfo;
import dev.lookout.docker.ContainerPlanner;
import dev.lookout.docker.DockerApi;
import dev.lookout.docker.DockerPlatform;
import dev.lookout.docker.HostState;
import dev.lookout.docker.Ownership;
import dev.lookout.docker.PlanHosts;
import dev.lookout.docker.PlanRecorder;
import dev.lookout.kind.KindDefinition;
import dev.lookout.kind.KindServices;
import dev.lookout.kind.LoadedResource;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.kind.Reconciler;
import dev.lookout.kind.ResourceInputs;
import dev.lookout.manifest.LoadedSecret;
import dev.lookout.platform.WorkloadChange;
import dev.lookout.prometheus.DiscoveredTarget;
import dev.lookout.registry.KindRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code lookout plan}: for every Docker host of the operator config, the changes {@code lookout run} would make
 * there. It is {@code run}'s own decision: every resource goes through its kind's reconciler, exactly as
 * {@code run} builds it, against a dry-run Docker platform that records the changes instead of making them (only
 * info, list and inspect calls reach the engines). Then the orphans: what this instance manages that no resource
 * declares any more, which {@code run}'s sweep would remove.
 */
public final class Planner {
    private final OperatorConfig config;
    private final Function<OperatorConfig.DockerHost, DockerApi> clients;

    public Planner(OperatorConfig config, Function<OperatorConfig.DockerHost, DockerApi> clients) {
        this.config = config;
        this.clients = clients;
    }

    public List<HostPlan> plan(List<LoadedResource> resources) {
        return plan(resources, Map.of());
    }

    /** @param secrets the Secrets loaded with the resources (an htpasswd is made from one) */
    public List<HostPlan> plan(List<LoadedResource> resources, Map<ObjectKey, LoadedSecret> secrets) {
        PlanHosts hosts = new PlanHosts(config.docker().hosts(), clients);
        PlanRecorder recorder = new PlanRecorder();
        DockerPlatform platform = DockerPlatform.dry(hosts, config, recorder);
        KindServices dry = new KindServices(config, platform.workloads(), platform.instances(), platform.networks(),
                new SimpleMeterRegistry(), null, Clock.systemUTC(), null,
                key -> List.of(), inputs(resources, secrets));
        Map<String, Reconciler<?>> reconcilers = new HashMap<>();
        for (KindDefinition<?> kind : KindRegistry.ALL) {
            reconcilers.put(kind.kind(), kind.reconcilers().create(dry));
        }
        Map<String, List<String>> found = new LinkedHashMap<>();
        List<LoadedResource> sorted = resources.stream().sorted(Comparator.comparing(LoadedResource::key)).toList();
        Map<String, List<WorkloadChange>> failed = new LinkedHashMap<>();
        for (LoadedResource r : sorted) {
            ReconcileResult result;
            try {
                result = reconcile(reconcilers.get(r.kind().kind()), r);
            } catch (Exception e) {
                // What run would retry with backoff: a change that cannot be planned, which a person must look at.
                String host = recorder.askedOn(r.key()).orElse(config.docker().hosts().get(0).name());
                failed.computeIfAbsent(host, h -> new ArrayList<>()).add(new WorkloadChange(WorkloadChange.Action.BLOCKED, host,
                        r.key().toString(), Ownership.owner(r.key()), "cannot be planned: " + (e.getMessage() == null
                        ? e.toString() : e.getMessage())));
                continue;
            }
            recorder.searchedOn(r.key()).ifPresent(host -> found.computeIfAbsent(host, h -> new ArrayList<>())
                    .add(foundNote(r, result)));
        }
        Set<String> declared = new TreeSet<>();
        resources.forEach(r -> declared.add(Ownership.owner(r.key())));
        List<HostPlan> plans = new ArrayList<>();
        for (OperatorConfig.DockerHost host : config.docker().hosts()) {
            if (hosts.state(host.name()) instanceof HostState.Down down) {
                plans.add(new HostPlan(host.name(), host.url(), down.reason(), List.of(), List.of()));
                continue;
            }
            List<WorkloadChange> changes = new ArrayList<>(recorder.changes(host.name()));
            changes.addAll(failed.getOrDefault(host.name(), List.of()));
            Map<String, String> ours = Ownership.managed(config.lookout().instance());
            List<ContainerInfo> managed = hosts.containers(host.name()).stream()
                    .filter(c -> c.hasLabels(ours) && Ownership.ownerOf(c).isPresent()).toList();
            changes.addAll(ContainerPlanner.orphans(host.name(), managed, declared));
            List<String> notes = new ArrayList<>(recorder.notes(host.name()));
            notes.addAll(found.getOrDefault(host.name(), List.of()));
            plans.add(new HostPlan(host.name(), host.url(), null, changes, notes));
        }
        return plans;
    }

    /** The files and Secrets as plan loaded them. */
    private static ResourceInputs inputs(List<LoadedResource> resources, Map<ObjectKey, LoadedSecret> secrets) {
        return new ResourceInputs() {
            @Override
            public Optional<Path> manifestFile(ObjectKey key) {
                return resources.stream().filter(r -> r.key().equals(key)).findFirst().map(r -> r.source().file());
            }

            @Override
            public Optional<byte[]> secretValue(String namespace, String name, String key) {
                return Optional.ofNullable(secrets.get(new ObjectKey("Secret", namespace, name))).map(s -> s.value(key));
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static ReconcileResult reconcile(Reconciler<?> reconciler, LoadedResource r) throws Exception {
        return ((Reconciler<Object>) reconciler).reconcile(r.resource(), r.key());
    }

    /** What a discovery would find: {@code ComfyProbe default/comfy would probe 2 container(s): a, b}. */
    private static String foundNote(LoadedResource r, ReconcileResult result) {
        List<DiscoveredTarget> targets = Optional.ofNullable(result.discovered()).orElse(List.of());
        StringBuilder note = new StringBuilder(r.key() + " would probe " + targets.size() + " container(s)");
        if (!targets.isEmpty()) {
            note.append(": ").append(String.join(", ", targets.stream()
                    .map(t -> t.labels().getOrDefault("container", t.target())).toList()));
        }
        if (result.blocked() != null) {
            note.append("; ").append(result.blocked().message());
        }
        return note.toString();
    }
}
