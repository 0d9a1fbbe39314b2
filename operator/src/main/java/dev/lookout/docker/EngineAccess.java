package dev.lookout.docker;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How the Docker platform reaches its hosts: {@link DockerHosts} while running (supervised connections, an
 * inventory kept by events), {@link PlanHosts} for {@code lookout plan} (one look, read calls only).
 */
public interface EngineAccess {
    Set<String> hostNames();

    HostState state(String host);

    /** The client of a configured host, up or not (calls to a host that is down throw Unavailable). */
    Optional<DockerApi> api(String host);

    /** The host's containers, sorted by name; empty while it cannot be asked. */
    List<ContainerInfo> containers(String host);
}
