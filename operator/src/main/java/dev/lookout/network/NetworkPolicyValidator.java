package dev.lookout.network;

import dev.lookout.validation.CommonRules;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.KindValidator;
import dev.lookout.validation.ProblemReporter;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

public final class NetworkPolicyValidator implements KindValidator<NetworkPolicy> {
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final Set<String> PREDEFINED = Set.of("bridge", "host", "none");
    private static final Pattern NETWORK_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    private static final int MAX_POOL_SIZE = 30;

    @Override
    public Optional<Exclusive> exclusive(NetworkPolicy policy) {
        return Optional.of(new Exclusive(FieldPath.of("spec", "host"), policy.getSpec().host(),
                "one NetworkPolicy per host: their pools would contradict"));
    }

    @Override
    public void validate(NetworkPolicy policy, ProblemReporter r) {
        NetworkPolicySpec spec = policy.getSpec();
        CommonRules.hostName(r, SPEC.child("host"), spec.host());
        List<IPAddress> avoid = new ArrayList<>();
        for (int i = 0; i < spec.avoid().size(); i++) {
            Cidr.parse(spec.avoid().get(i), false).report(r, SPEC.child("avoid").index(i)).ifPresent(avoid::add);
        }
        List<IPAddress> pools = new ArrayList<>();
        if (spec.allowedPools().isEmpty()) {
            r.error(SPEC.child("allowedPools"), "required (at least one {base, size}, such as {base: 192.168.240.0/20, size: 24})");
        }
        for (int i = 0; i < spec.allowedPools().size(); i++) {
            validatePool(spec.allowedPools().get(i), SPEC.child("allowedPools").index(i), avoid, r).ifPresent(pools::add);
        }
        for (int i = 0; i < pools.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (pools.get(i).overlaps(pools.get(j))) {
                    r.warning(SPEC.child("allowedPools"), "pools " + pools.get(j) + " and " + pools.get(i) + " overlap");
                }
            }
        }
        if (spec.sharedNetwork() != null) {
            validateSharedNetwork(spec.sharedNetwork(), pools, avoid, r);
        }
        NetworkScope scope = spec.scope();
        CommonRules.composeProjects(r, SPEC.child("scope").child("composeProjects"), scope.composeProjects());
        CommonRules.labelSelector(r, SPEC.child("scope").child("labelSelector"), scope.labelSelector());
        if (!scope.allUserBridges() && scope.composeProjects().isEmpty() && scope.labelSelector().isEmpty()) {
            r.warning(SPEC.child("scope"), "empty: no network is checked besides sharedNetwork"
                    + " (set composeProjects, labelSelector or allUserBridges: true)");
        }
    }

    private static Optional<IPAddress> validatePool(AddressPool pool, FieldPath p, List<IPAddress> avoid, ProblemReporter r) {
        if (!CommonRules.required(r, p.child("base"), pool.base(), "an IPv4 CIDR such as 192.168.240.0/20")) {
            return Optional.empty();
        }
        Optional<IPAddress> base = Cidr.parse(pool.base(), true).report(r, p.child("base"));
        if (base.isEmpty()) {
            return base;
        }
        int prefix = base.get().getNetworkPrefixLength();
        if (pool.size() == null) {
            r.error(p.child("size"), "required (prefix length of each network, " + prefix + "-" + MAX_POOL_SIZE + ")");
        } else if (pool.size() < prefix || pool.size() > MAX_POOL_SIZE) {
            r.error(p.child("size"), pool.size() + " is out of range (" + prefix + "-" + MAX_POOL_SIZE
                    + ": at least the base's prefix /" + prefix + ", at most /" + MAX_POOL_SIZE + ")");
        } else if (!Cidr.hasFreeBlock(base.get(), pool.size(), avoid)) {
            r.error(p, pool.base() + " is entirely covered by avoided ranges: no /" + pool.size() + " is left to hand out");
        }
        return base;
    }

    private static void validateSharedNetwork(SharedNetwork network, List<IPAddress> pools, List<IPAddress> avoid, ProblemReporter r) {
        FieldPath p = SPEC.child("sharedNetwork");
        if (CommonRules.required(r, p.child("name"), network.name(), "a Docker network name such as dnet1")) {
            if (PREDEFINED.contains(network.name())) {
                r.error(p.child("name"), "\"" + network.name() + "\" is one of Docker's predefined networks (bridge, host, none)");
            } else if (!NETWORK_NAME.matcher(network.name()).matches()) {
                r.error(p.child("name"), "\"" + CommonRules.printable(network.name())
                        + "\" is not a Docker network name (letters, digits, '_', '.', '-')");
            }
        }
        if (!CommonRules.required(r, p.child("subnet"), network.subnet(), "an IPv4 CIDR inside an allowed pool")) {
            return;
        }
        Optional<IPAddress> subnet = Cidr.parse(network.subnet(), true).report(r, p.child("subnet"));
        if (subnet.isEmpty()) {
            return;
        }
        if (!pools.isEmpty() && pools.stream().noneMatch(pool -> pool.contains(subnet.get()))) {
            r.error(p.child("subnet"), network.subnet() + " is outside every allowed pool ("
                    + String.join(", ", pools.stream().map(IPAddress::toString).toList()) + ")");
        }
        avoid.stream().filter(a -> a.overlaps(subnet.get())).findFirst().ifPresent(a ->
                r.error(p.child("subnet"), network.subnet() + " overlaps the avoided range " + a));
        if (network.gateway() != null) {
            Cidr.gateway(network.gateway(), subnet.get()).ifPresent(msg -> r.error(p.child("gateway"), msg));
        }
    }
}
