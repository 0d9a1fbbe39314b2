package dev.lookout.platform;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One network of a Docker host, as a NetworkPolicy needs to see it.
 *
 * @param driver      bridge, overlay, macvlan, host, null…
 * @param subnets     its IPAM subnets with their gateways (IPv4 and IPv6)
 * @param builtIn     Docker's own {@code bridge}, {@code host} or {@code none}: never touched
 * @param attachments the containers on it, with what reconnecting them needs
 */
public record HostNetwork(String id, String name, String driver, List<Subnet> subnets, Map<String, String> labels,
                          boolean builtIn, List<Attachment> attachments) {
    public HostNetwork {
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** @param gateway null when Docker chose none explicitly */
    public record Subnet(String cidr, String gateway) {
    }

    /**
     * A container's endpoint on the network.
     *
     * @param aliases    the aliases it was connected with (compose's service name among them)
     * @param staticIpv4 the address it was given explicitly ({@code --ip}, compose's {@code ipv4_address}); null when
     *                   Docker chose it. A network with such a container cannot move without breaking it.
     */
    public record Attachment(String containerId, String containerName, List<String> aliases, String staticIpv4) {
        public Attachment {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }
    }
}
