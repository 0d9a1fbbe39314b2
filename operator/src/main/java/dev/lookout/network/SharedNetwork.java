package dev.lookout.network;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public record SharedNetwork(
        @JsonPropertyDescription("Docker network name; not bridge, host or none.") String name,
        @JsonPropertyDescription("IPv4 CIDR inside an allowed pool.") String subnet,
        @JsonPropertyDescription("Gateway address inside the subnet.") String gateway) {
}
