package dev.lookout.docker;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.platform.HostNetwork;
import dev.lookout.platform.HostNetworks;
import dev.lookout.platform.HostRoute;
import dev.lookout.platform.NetworkMove;
import dev.lookout.platform.WorkloadChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Host networks on Docker engines: the networks with their containers, the host's own routes (read on the host by
 * a short-lived helper container in the host's network namespace, so a remote host's routes are its own), creating
 * the shared network, and moving a network ({@link NetworkMover}, journaled in the state folder). A dry run reads
 * the networks, records the moves in the plan and runs no helper.
 */
final class DockerHostNetworks implements HostNetworks {
    /** lookout.yaml's {@code images.helper} replaces it (an air-gapped site). */
    static final String HELPER_ROLE = "helper";
    static final String DEFAULT_HELPER = "busybox:1.37";
    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(30);

    private final DockerPlatform platform;
    private final NetworkMover mover;

    DockerHostNetworks(DockerPlatform platform) {
        this.platform = platform;
        this.mover = platform.stateDir() == null ? null : new NetworkMover(platform.stateDir());
    }

    @Override
    public Found list(ObjectKey owner, String host) {
        if (platform.isDryRun()) {
            platform.dryRun().asked(owner, host);
        }
        if (platform.watch() != null) {
            // Container events do not concern it; a resync or an outage of the host does (and the reconciler looks
            // again on a timer, as a network's own create and destroy are not among the events Lookout follows).
            platform.watch().watch(host, owner, c -> false);
        }
        if (platform.hosts().state(host) instanceof HostState.Down down) {
            return new Found.Unavailable("DockerUnavailable", "Docker host " + host + " does not answer (" + down.reason()
                    + "); retried with backoff");
        }
        DockerApi api = platform.hosts().api(host).orElseThrow();
        return new Found.Listed(api.networks().stream().map(DockerHostNetworks::hostNetwork).toList());
    }

    static HostNetwork hostNetwork(DockerNetwork n) {
        return new HostNetwork(n.id(), n.name(), n.driver(),
                n.subnets().stream().map(s -> new HostNetwork.Subnet(s.subnet(), s.gateway())).toList(), n.labels(), n.builtIn(),
                n.endpoints().stream().map(e -> new HostNetwork.Attachment(e.containerId(), e.containerName(), e.aliases(),
                        e.staticIpv4())).toList());
    }

    @Override
    public List<HostRoute> routes(String host) {
        if (platform.isDryRun()) {
            platform.dryRun().note(host, "host routes are not read by plan (that takes a helper container on the host); "
                    + "run reads them and may plan other subnets");
            return List.of();
        }
        DockerApi api = platform.hosts().api(host).orElseThrow();
        OperatorConfig config = platform.config();
        Map<String, String> labels = new TreeMap<>(Ownership.managed(config.lookout().instance()));
        labels.put(Ownership.OWNER, "helper.routes." + host); // no resource declares it: a leftover is swept
        ContainerSpec reader = new ContainerSpec("lookout-routes-" + Long.toHexString(System.nanoTime()),
                config.image(HELPER_ROLE, DEFAULT_HELPER), List.of("cat", "/proc/net/route"), Map.of(), labels, null, "host",
                List.of(), null, List.of(), "no", List.of(), List.of());
        ContainerApplier.ensureImage(api, reader.image());
        String table = api.runToEnd(reader, HELPER_TIMEOUT);
        Set<String> dockerSubnets = api.networks().stream().flatMap(n -> n.subnets().stream())
                .map(DockerNetwork.IpamSubnet::subnet).collect(Collectors.toSet());
        return RouteTable.parse(table).stream()
                .filter(r -> !RouteTable.dockerDevice(r.device()) && !dockerSubnets.contains(r.destination())).toList();
    }

    @Override
    public void ensure(ObjectKey owner, String host, String name, String subnet, String gateway) {
        DockerApi api = platform.hosts().api(host).orElseThrow();
        if (api.network(name).isPresent()) {
            return;
        }
        if (platform.isDryRun()) {
            platform.dryRun().changes(host, List.of(new WorkloadChange(WorkloadChange.Action.CREATE, host, "network " + name,
                    Ownership.owner(owner), "the shared network, subnet " + subnet + (gateway == null ? "" : ", gateway " + gateway))));
            return;
        }
        api.createNetwork(new DockerNetwork("", name, "bridge", Map.of(), Map.of(Ownership.MANAGED_BY, Ownership.LOOKOUT),
                false, false, true, null, List.of(new DockerNetwork.IpamSubnet(subnet, gateway, null)), List.of()));
    }

    @Override
    public void move(ObjectKey owner, String host, NetworkMove move) {
        DockerApi api = platform.hosts().api(host).orElseThrow();
        if (platform.isDryRun()) {
            List<String> containers = api.network(move.network()).map(n -> n.endpoints().stream()
                    .map(DockerNetwork.Endpoint::containerName).toList()).orElse(List.of());
            platform.dryRun().changes(host, List.of(new WorkloadChange(WorkloadChange.Action.RECREATE, host,
                    "network " + move.network(), Ownership.owner(owner), move.fromSubnet() + " → " + move.toSubnet()
                    + (containers.isEmpty() ? "" : "; disconnects and reconnects " + String.join(", ", containers)))));
            return;
        }
        mover.move(api, move);
    }

    @Override
    public List<String> resume(String host) {
        if (mover == null) {
            return List.of();
        }
        return mover.resume(platform.hosts().api(host).orElseThrow());
    }

    @Override
    public void forget(ObjectKey owner) {
        if (platform.watch() != null) {
            platform.watch().unwatch(owner);
        }
    }
}
