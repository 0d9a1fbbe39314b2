package dev.lookout.network;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Like daemon.json's default-address-pools entry: subnets of prefix {@code size} carved from {@code base}. */
public record AddressPool(
        @JsonPropertyDescription("IPv4 CIDR, aligned, e.g. 192.168.240.0/20.") String base,
        @JsonPropertyDescription("Prefix length of each network's subnet, from base's prefix to 30.") @Min(1) @Max(30) Integer size) {
}
