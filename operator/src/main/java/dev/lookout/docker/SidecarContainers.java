package dev.lookout.docker;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadChange;
import dev.lookout.platform.WorkloadState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workload's sidecars as containers in its container's network namespace ({@code --network container:<name>}): they
 * reach it on 127.0.0.1 and their ports are its ports. Docker ties such a container to the namespace the first one had
 * when it was created, and a restarted or recreated first container has a new one: so each sidecar is labelled with
 * the id and start time of the container it joined (part of its spec hash), and recreated when either changes.
 */
final class SidecarContainers {
    /** {@code <id>@<start time>} of the container whose network a sidecar joined. */
    static final String JOINED = "lookout.dev/joined";

    private final String instance;

    SidecarContainers(String instance) {
        this.instance = instance;
    }

    /** What {@code lookout plan} shows: {@code main} is the container they would join as it is now, empty when it changes first. */
    List<WorkloadChange> plan(DockerApi api, String host, ObjectKey owner, Workload desired, Optional<ContainerInfo> main,
                              List<ContainerInfo> owned) {
        List<WorkloadChange> changes = new ArrayList<>();
        for (Workload.Sidecar sidecar : desired.sidecars()) {
            String joined = main.map(SidecarContainers::joined).orElse("the new " + desired.name());
            ContainerSpec spec = Ownership.stamp(spec(sidecar, desired.name(), joined), instance, owner);
            changes.addAll(ContainerPlanner.plan(host, Ownership.owner(owner), spec, mine(owned, sidecar),
                    api.inspect(sidecar.name()).map(List::of).orElse(List.of())));
        }
        return changes;
    }

    /**
     * Makes each sidecar run in {@code main}'s network.
     *
     * @return where the workload stands while a sidecar does not run yet; empty once all of them run
     * @throws ContainerApplier.NameTaken      when a container Lookout does not own has a sidecar's name
     * @throws DockerException.ImageNotFound   when a sidecar's image is neither on the host nor pullable
     */
    Optional<WorkloadState> apply(DockerApi api, String host, ObjectKey owner, Workload desired, ContainerInfo main,
                                  List<ContainerInfo> owned) {
        for (Workload.Sidecar sidecar : desired.sidecars()) {
            ContainerSpec spec = Ownership.stamp(spec(sidecar, main.name(), joined(main)), instance, owner);
            List<WorkloadChange> changes = ContainerPlanner.plan(host, Ownership.owner(owner), spec, mine(owned, sidecar),
                    api.inspect(sidecar.name()).map(List::of).orElse(List.of()));
            ContainerApplier.apply(api, changes, spec);
            ContainerInfo c = api.inspect(sidecar.name()).orElseThrow(() -> new IllegalStateException(
                    "container " + sidecar.name() + " vanished right after it was started on host " + host));
            if (!c.running()) {
                return Optional.of(new WorkloadState.Starting(host, c.name(), c.id(), c.state(), "sidecar " + c.name() + " is "
                        + c.state() + "; see `docker logs " + c.name() + "` on host " + host, DockerWorkloads.STARTING));
            }
        }
        return Optional.empty();
    }

    static ContainerSpec spec(Workload.Sidecar sidecar, String mainName, String joined) {
        // No hostname, aliases or ports of its own: Docker refuses them in another container's network.
        return new ContainerSpec(sidecar.name(), sidecar.image(), sidecar.args(), sidecar.env(), Map.of(JOINED, joined), null,
                "container:" + mainName, List.of(), null, List.of(), "unless-stopped", List.of(), List.of());
    }

    private static String joined(ContainerInfo main) {
        return main.id() + "@" + main.startedAt();
    }

    private static List<ContainerInfo> mine(List<ContainerInfo> owned, Workload.Sidecar sidecar) {
        return owned.stream().filter(c -> c.name().equals(sidecar.name())).toList();
    }
}
