package dev.lookout.testing;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.HostNetwork;
import dev.lookout.platform.HostNetworks;
import dev.lookout.platform.HostRoute;
import dev.lookout.platform.NetworkMove;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The host networks seam in memory: networks by name, routes, moves made (a move really changes the subnet here). */
public class FakeHostNetworks implements HostNetworks {
    private final Map<String, HostNetwork> networks = new TreeMap<>();
    private final List<HostRoute> routes = new ArrayList<>();
    private final List<String> done = new ArrayList<>();
    private final Set<ObjectKey> watching = new HashSet<>();
    private List<String> unfinished = List.of();
    private boolean down;

    public synchronized FakeHostNetworks add(HostNetwork network) {
        networks.put(network.name(), network);
        return this;
    }

    public synchronized FakeHostNetworks route(String destination, String device) {
        routes.add(new HostRoute(destination, device));
        return this;
    }

    public synchronized FakeHostNetworks down(boolean isDown) {
        down = isDown;
        return this;
    }

    /** Moves a previous run left unfinished: {@link #resume} finishes them. */
    public synchronized FakeHostNetworks unfinished(String... names) {
        unfinished = List.of(names);
        return this;
    }

    @Override
    public synchronized Found list(ObjectKey owner, String host) {
        watching.add(owner);
        return down ? new Found.Unavailable("DockerUnavailable", "Docker host " + host + " does not answer")
                : new Found.Listed(List.copyOf(networks.values()));
    }

    @Override
    public synchronized List<HostRoute> routes(String host) {
        return List.copyOf(routes);
    }

    @Override
    public synchronized void ensure(ObjectKey owner, String host, String name, String subnet, String gateway) {
        if (!networks.containsKey(name)) {
            networks.put(name, new HostNetwork("id-" + name, name, "bridge", List.of(new HostNetwork.Subnet(subnet, gateway)),
                    Map.of(), false, List.of()));
            done.add("create " + name + " " + subnet);
        }
    }

    @Override
    public synchronized void move(ObjectKey owner, String host, NetworkMove move) {
        HostNetwork n = networks.get(move.network());
        networks.put(n.name(), new HostNetwork(n.id() + "'", n.name(), n.driver(),
                List.of(new HostNetwork.Subnet(move.toSubnet(), move.toGateway())), n.labels(), n.builtIn(), n.attachments()));
        done.add("move " + move.network() + " " + move.fromSubnet() + " -> " + move.toSubnet());
    }

    @Override
    public synchronized List<String> resume(String host) {
        List<String> finished = unfinished;
        finished.forEach(n -> done.add("resume " + n));
        unfinished = List.of();
        return finished;
    }

    @Override
    public synchronized void forget(ObjectKey owner) {
        watching.remove(owner);
    }

    /** What was done, in order: {@code create NAME SUBNET}, {@code move NAME FROM -> TO}, {@code resume NAME}. */
    public synchronized List<String> done() {
        return List.copyOf(done);
    }

    public synchronized boolean watches(ObjectKey owner) {
        return watching.contains(owner);
    }

    public static HostNetwork bridge(String name, String subnet, String project) {
        return new HostNetwork("id-" + name, name, "bridge", List.of(new HostNetwork.Subnet(subnet, null)),
                project == null ? Map.of() : Map.of("com.docker.compose.project", project), false, List.of());
    }
}
