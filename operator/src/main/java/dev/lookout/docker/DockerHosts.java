package dev.lookout.docker;

import dev.lookout.config.OperatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every Docker host of the operator config: a client for each, and a supervisor thread for each that keeps an
 * inventory of its containers current from its events stream. One host down delays none of the others.
 *
 * <p>Readers ({@link #containers}, {@link #container}, {@link #state}) read the inventory, never the engine: they
 * are cheap and safe from any thread. A name that is not in the config is no host: its state is Down saying so,
 * and it has no containers.
 */
public final class DockerHosts implements EngineAccess, AutoCloseable {
    /** How long {@link #close} waits for the supervisor threads, all together. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final Map<String, ContainerEventsSupervisor> supervisors;

    /** @throws IllegalArgumentException for a duplicate name, or a url or TLS folder that cannot work */
    public DockerHosts(List<OperatorConfig.DockerHost> hosts, DockerSettings settings) {
        Map<String, ContainerEventsSupervisor> byName = new LinkedHashMap<>();
        List<DockerEngineClient> made = new ArrayList<>();
        try {
            for (OperatorConfig.DockerHost host : hosts) {
                if (byName.containsKey(host.name())) {
                    throw new IllegalArgumentException("Docker host '" + host.name() + "' is configured twice");
                }
                DockerEngineClient client = new DockerEngineClient(host, settings);
                made.add(client);
                byName.put(host.name(), new ContainerEventsSupervisor(client, settings));
            }
        } catch (RuntimeException e) {
            made.forEach(DockerEngineClient::close);
            throw e;
        }
        this.supervisors = Collections.unmodifiableMap(byName);
    }

    /** Connects to every host, each on its own thread; the listener hears of each host as it comes up. */
    public void start(HostListener listener) {
        supervisors.values().forEach(s -> s.start(listener));
    }

    @Override
    public Set<String> hostNames() {
        return new TreeSet<>(supervisors.keySet());
    }

    /** The client of a configured host, up or not (calls to a host that is down throw Unavailable). */
    @Override
    public Optional<DockerApi> api(String host) {
        return Optional.ofNullable(supervisors.get(host)).map(ContainerEventsSupervisor::client);
    }

    @Override
    public HostState state(String host) {
        ContainerEventsSupervisor s = supervisors.get(host);
        return s != null ? s.state() : new HostState.Down("no Docker host named '" + host
                + "' in the operator config", Instant.EPOCH, Instant.MAX);
    }

    /** The host's containers as last seen, sorted by name; empty while it was never reached. */
    @Override
    public List<ContainerInfo> containers(String host) {
        ContainerEventsSupervisor s = supervisors.get(host);
        return s == null ? List.of() : s.inventory().all();
    }

    public Optional<ContainerInfo> container(String host, String id) {
        ContainerEventsSupervisor s = supervisors.get(host);
        return s == null ? Optional.empty() : s.inventory().get(id);
    }

    /** How often the periodic resync of {@code host} found its events stream stale (tests, metrics). */
    long staleStreams(String host) {
        ContainerEventsSupervisor s = supervisors.get(host);
        return s == null ? 0 : s.staleStreams();
    }

    /** Stops every supervisor (each within a bounded wait) and closes every client. */
    @Override
    public void close() {
        supervisors.values().forEach(ContainerEventsSupervisor::stop);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        supervisors.values().forEach(s -> s.awaitStopped(deadline));
        supervisors.values().forEach(s -> s.client().close());
    }
}
