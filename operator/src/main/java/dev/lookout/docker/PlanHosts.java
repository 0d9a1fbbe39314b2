package dev.lookout.docker;

import dev.lookout.config.OperatorConfig;
import java.time.Instant;
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
 * The hosts as {@code lookout plan} sees them: each asked once ({@code info}, then one list of every container),
 * with read calls only; a host that fails either is Down with the engine's answer.
 */
public final class PlanHosts implements EngineAccess {
    private final Map<String, DockerApi> clients = new LinkedHashMap<>();
    private final Map<String, HostState> states = new HashMap<>();
    private final Map<String, List<ContainerInfo>> containers = new HashMap<>();

    /** @param clients makes the client of a host (the caller closes it) */
    public PlanHosts(List<OperatorConfig.DockerHost> hosts, Function<OperatorConfig.DockerHost, DockerApi> clients) {
        for (OperatorConfig.DockerHost host : hosts) {
            Instant now = Instant.now();
            try {
                DockerApi api = clients.apply(host);
                this.clients.put(host.name(), api);
                EngineInfo engine = api.info();
                List<ContainerInfo> all = new ArrayList<>(api.list(Map.of()));
                all.sort(Comparator.comparing(ContainerInfo::name));
                states.put(host.name(), new HostState.Up(now, engine));
                containers.put(host.name(), List.copyOf(all));
            } catch (DockerException | IllegalArgumentException e) {
                // IllegalArgumentException: a url or TLS folder the client refuses before any call.
                states.put(host.name(), new HostState.Down(e.getMessage(), now, Instant.MAX));
            }
        }
    }

    @Override
    public Set<String> hostNames() {
        return new TreeSet<>(states.keySet());
    }

    @Override
    public HostState state(String host) {
        HostState s = states.get(host);
        return s != null ? s : new HostState.Down("no Docker host named '" + host + "' in the operator config", Instant.EPOCH, Instant.MAX);
    }

    @Override
    public Optional<DockerApi> api(String host) {
        return state(host).up() ? Optional.ofNullable(clients.get(host)) : Optional.empty();
    }

    @Override
    public List<ContainerInfo> containers(String host) {
        return containers.getOrDefault(host, List.of());
    }
}
