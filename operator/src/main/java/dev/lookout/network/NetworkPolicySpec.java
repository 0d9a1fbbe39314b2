package dev.lookout.network;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.List;

public record NetworkPolicySpec(
        @JsonPropertyDescription("Docker host name from the operator configuration.") @Default("local") String host,
        @JsonPropertyDescription("Pools networks must take their subnets from.") @Size(min = 1) List<AddressPool> allowedPools,
        @JsonPropertyDescription("CIDRs no network may overlap, e.g. a VPN's range.") List<String> avoid,
        @JsonPropertyDescription("Also avoid every route of the host that Docker did not make.") @Default("false") Boolean detectRoutes,
        @JsonPropertyDescription("The external network every compose project joins.") SharedNetwork sharedNetwork,
        @JsonPropertyDescription("Which networks this policy may touch.") NetworkScope scope,
        @JsonPropertyDescription("Report only, or Recreate non-compliant networks.") NetworkAction action) {
    public NetworkPolicySpec {
        host = host == null ? "local" : host;
        allowedPools = allowedPools == null ? List.of() : List.copyOf(allowedPools);
        avoid = avoid == null ? List.of() : List.copyOf(avoid);
        detectRoutes = detectRoutes == null ? Boolean.FALSE : detectRoutes;
        scope = scope == null ? new NetworkScope(null, null, null) : scope;
        action = action == null ? NetworkAction.Report : action;
    }
}
