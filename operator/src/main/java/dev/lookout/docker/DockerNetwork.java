package dev.lookout.docker;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Docker network as recreating it needs it: everything {@code docker network create} was given, and every
 * container on it (running or stopped) with what {@code docker network connect} needs to put it back.
 *
 * @param id        empty in a definition that is yet to be created
 * @param ipamDriver null for the default
 */
public record DockerNetwork(String id, String name, String driver, Map<String, String> options, Map<String, String> labels,
                            boolean enableIpv6, boolean internal, boolean attachable, String ipamDriver,
                            List<IpamSubnet> subnets, List<Endpoint> endpoints) {
    /** Docker's own networks, which nothing may move or remove. */
    public static final List<String> BUILT_IN = List.of("bridge", "host", "none");

    public DockerNetwork {
        options = options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options));
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    public boolean builtIn() {
        return BUILT_IN.contains(name);
    }

    /** The same network with other subnets (what a move creates). */
    public DockerNetwork withSubnets(List<IpamSubnet> replaced) {
        return new DockerNetwork("", name, driver, options, labels, enableIpv6, internal, attachable, ipamDriver, replaced, endpoints);
    }

    /** @param ipRange null when the whole subnet is handed out */
    public record IpamSubnet(String subnet, String gateway, String ipRange) {
        public boolean ipv4() {
            return subnet != null && !subnet.contains(":");
        }
    }

    /**
     * One container's endpoint.
     *
     * @param aliases    without the container's short id, which Docker adds by itself on connect
     * @param links      legacy links on this network ({@code container:alias})
     * @param staticIpv4 the address given explicitly; null when Docker chose it
     */
    public record Endpoint(String containerId, String containerName, List<String> aliases, List<String> links, String staticIpv4) {
        public Endpoint {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            links = links == null ? List.of() : List.copyOf(links);
        }
    }
}
