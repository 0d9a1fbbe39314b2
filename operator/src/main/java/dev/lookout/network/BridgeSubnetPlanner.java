package dev.lookout.network;

import dev.lookout.network.BridgeSubnetPlan.NetworkPlan;
import dev.lookout.network.BridgeSubnetPlan.SharedNetworkToCreate;
import dev.lookout.platform.HostNetwork;
import dev.lookout.platform.HostRoute;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * NetworkPolicy's decision for one Docker host (DESIGN.md, "NetworkPolicy"), pure and deterministic: which networks
 * are in scope, which of them break the policy and why, and the subnet each of those should move to — the first free
 * aligned block of the allowed pools, clear of every subnet on the host, every avoided range, every given route, every
 * block planned before it and the shared network's reserved subnet.
 */
public final class BridgeSubnetPlanner {
    static final String COMPOSE_PROJECT = "com.docker.compose.project";
    private static final Comparator<HostNetwork> BY_NAME = Comparator
            .comparing(HostNetwork::name, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(HostNetwork::id, Comparator.nullsFirst(Comparator.<String>naturalOrder()));

    private record Pool(String text, IPAddress base, int size) {
    }

    private record Route(IPAddress destination, String device) {
    }

    private final NetworkPolicySpec spec;
    private final List<HostNetwork> hostNetworks;
    private final List<Pool> pools = new ArrayList<>();
    private final List<IPAddress> avoid;
    private final List<Route> routes;
    private final List<IPAddress> taken;
    private final String sharedName;
    private final IPAddress reserved;
    private final List<IPAddress> planned = new ArrayList<>();

    private BridgeSubnetPlanner(NetworkPolicySpec spec, List<HostNetwork> hostNetworks, List<HostRoute> hostRoutes) {
        this.spec = spec;
        this.hostNetworks = hostNetworks.stream().sorted(BY_NAME).toList();
        for (AddressPool pool : spec.allowedPools()) {
            if (pool.base() != null && pool.size() != null) {
                ipv4(pool.base()).filter(b -> pool.size() >= b.getNetworkPrefixLength() && pool.size() <= b.getBitCount())
                        .ifPresent(b -> pools.add(new Pool(pool.base(), b, pool.size())));
            }
        }
        avoid = spec.avoid().stream().flatMap(a -> ipv4(a).stream()).toList();
        routes = hostRoutes.stream().flatMap(r -> ipv4(r.destination()).map(d -> new Route(d, r.device())).stream())
                .sorted(Comparator.comparing((Route r) -> r.destination().getValue())
                        .thenComparing(r -> r.destination().getNetworkPrefixLength())
                        .thenComparing(Route::device, Comparator.nullsFirst(Comparator.<String>naturalOrder())))
                .toList();
        taken = this.hostNetworks.stream().flatMap(n -> n.subnets().stream()).flatMap(s -> ipv4(s.cidr()).stream()).toList();
        SharedNetwork shared = spec.sharedNetwork();
        sharedName = shared == null ? null : shared.name();
        reserved = sharedName == null || shared.subnet() == null ? null : ipv4(shared.subnet()).orElse(null);
    }

    /**
     * @param networks every network of the host, in scope or not (their subnets are never planned over)
     * @param routes   the host's routes Docker did not make; empty unless {@code spec.detectRoutes()}
     */
    public static BridgeSubnetPlan plan(NetworkPolicySpec spec, List<HostNetwork> networks, List<HostRoute> routes) {
        return new BridgeSubnetPlanner(spec, networks, routes).plan();
    }

    private BridgeSubnetPlan plan() {
        List<NetworkPlan> plans = new ArrayList<>();
        hostNetworks.stream().filter(this::inScope).forEach(n -> plans.add(check(n)));
        Set<String> moving = new BridgeSubnetPlan(plans, Optional.empty(), List.of()).moves().stream()
                .map(NetworkPlan::name).collect(Collectors.toSet());
        for (int i = 0; i < plans.size(); i++) {
            NetworkPlan p = plans.get(i);
            Optional<String> held = p.shared() && p.movable() && reserved != null && reserved.toString().equals(p.plannedSubnet())
                    ? heldBy(moving) : Optional.empty();
            if (held.isPresent()) {
                plans.set(i, new NetworkPlan(p.name(), p.subnet(), p.compliant(), join(p.reason(), held.get()),
                        p.plannedSubnet(), p.plannedGateway(), false, true));
            }
        }
        return new BridgeSubnetPlan(plans, missingShared(moving), spec.allowedPools());
    }

    private boolean inScope(HostNetwork n) {
        if (n.builtIn()) {
            return false;
        }
        if (sharedName != null && sharedName.equals(n.name())) {
            return true;
        }
        if (!"bridge".equals(n.driver())) {
            return false;
        }
        NetworkScope scope = spec.scope();
        String project = n.labels().get(COMPOSE_PROJECT);
        return scope.allUserBridges() || (project != null && scope.composeProjects().contains(project))
                || (!scope.labelSelector().isEmpty() && scope.labelSelector().entrySet().stream()
                        .allMatch(e -> Objects.equals(e.getValue(), n.labels().get(e.getKey()))));
    }

    private NetworkPlan check(HostNetwork n) {
        boolean shared = sharedName != null && sharedName.equals(n.name());
        List<String> texts = new ArrayList<>();
        List<IPAddress> subnets = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (HostNetwork.Subnet s : n.subnets()) {
            Cidr.Parsed parsed = s.cidr() == null ? null : Cidr.parse(s.cidr(), false);
            if (parsed == null || (parsed.address().isPresent() && !parsed.address().get().isIPv4())) {
                continue;
            }
            texts.add(s.cidr());
            parsed.address().ifPresentOrElse(subnets::add, () -> reasons.add(parsed.error()));
        }
        List<String> pinned = n.attachments().stream().filter(a -> a.staticIpv4() != null)
                .sorted(Comparator.comparing((HostNetwork.Attachment a) -> a.containerName() != null ? a.containerName()
                        : String.valueOf(a.containerId())).thenComparing(HostNetwork.Attachment::staticIpv4))
                .map(a -> "container " + (a.containerName() != null ? a.containerName() : a.containerId()) + " has the static "
                        + "address " + a.staticIpv4() + " on it: moving the network would break it; move it by hand")
                .toList();
        if (texts.isEmpty()) {
            return new NetworkPlan(n.name(), null, true, "no IPv4 subnet", null, null, pinned.isEmpty(), shared);
        }
        boolean atReserved = reasons.isEmpty() && subnets.size() == 1 && subnets.get(0).equals(reserved);
        if (shared && reserved != null && !atReserved) {
            reasons.add(0, "has " + String.join(", ", texts) + ", the policy says " + reserved);
        }
        for (IPAddress s : subnets) {
            reasons.addAll(violations(s, shared));
        }
        if (reasons.isEmpty()) {
            return new NetworkPlan(n.name(), texts.get(0), true, null, null, null, pinned.isEmpty(), shared);
        }
        IPAddress target = null;
        if (subnets.size() < texts.size()) {
            reasons.add("no move is planned for a network whose subnet cannot be read");
        } else if (subnets.size() > 1) {
            // A move replaces one subnet; which of several to replace, and with what, is a person's call.
            reasons.add("it has " + subnets.size() + " IPv4 subnets: move it by hand");
            pinned = new ArrayList<>(pinned);
            pinned.add("several IPv4 subnets");
        } else if (shared && reserved != null) {
            target = atReserved ? null : reserved;
        } else {
            target = firstFreeBlock();
            if (target == null) {
                reasons.add(noFreeBlock());
            }
        }
        if (target != null) {
            planned.add(target);
        }
        pinned.stream().filter(p -> p.startsWith("container ")).forEach(reasons::add);
        return new NetworkPlan(n.name(), texts.get(0), false, String.join("; ", reasons),
                target == null ? null : target.toString(), target == null ? null : gateway(target, shared), pinned.isEmpty(), shared);
    }

    private List<String> violations(IPAddress s, boolean shared) {
        List<String> reasons = new ArrayList<>();
        if (pools.stream().noneMatch(p -> p.base().contains(s))) {
            reasons.add(s + " is outside every allowed pool (" + (pools.isEmpty() ? "none is valid"
                    : pools.stream().map(p -> p.base().toString()).collect(Collectors.joining(", "))) + ")");
        }
        avoid.stream().filter(a -> a.overlaps(s)).forEach(a -> reasons.add(s + " overlaps the avoided range " + a));
        routes.stream().filter(r -> r.destination().overlaps(s)).forEach(r -> reasons.add(s + " overlaps the host route "
                + r.destination() + (r.device() == null ? "" : " (dev " + r.device() + ")")));
        if (!shared && reserved != null && reserved.overlaps(s)) {
            reasons.add(s + " overlaps " + reserved + ", reserved for the shared network " + sharedName);
        }
        return reasons;
    }

    /** The first aligned block of the pools (in spec order, then by address) clear of everything taken or planned. */
    private IPAddress firstFreeBlock() {
        List<IPAddress> obstacles = new ArrayList<>(taken);
        obstacles.addAll(avoid);
        routes.forEach(r -> obstacles.add(r.destination()));
        obstacles.addAll(planned);
        if (reserved != null) {
            obstacles.add(reserved);
        }
        for (Pool pool : pools) {
            List<IPAddress> free = List.of(pool.base());
            for (IPAddress obstacle : obstacles) {
                List<IPAddress> rest = new ArrayList<>();
                for (IPAddress piece : free) {
                    IPAddress[] left = piece.subtract(obstacle);
                    if (left != null) {
                        rest.addAll(List.of(left));
                    }
                }
                free = rest;
            }
            Optional<IPAddress> block = free.stream().flatMap(piece -> List.of(piece.spanWithPrefixBlocks()).stream())
                    .filter(b -> (b.getNetworkPrefixLength() != null ? b.getNetworkPrefixLength() : b.getBitCount()) <= pool.size())
                    .min(Comparator.comparing(IPAddress::getValue))
                    .map(b -> b.getLower().toPrefixBlock(pool.size()));
            if (block.isPresent()) {
                return block.get();
            }
        }
        return null;
    }

    private String noFreeBlock() {
        return "no free " + pools.stream().map(p -> "/" + p.size()).distinct().collect(Collectors.joining(" or "))
                + " left in the allowed pools";
    }

    private String gateway(IPAddress subnet, boolean shared) {
        if (shared && subnet.equals(reserved) && spec.sharedNetwork().gateway() != null) {
            return spec.sharedNetwork().gateway();
        }
        return subnet.getLower().withoutPrefixLength().increment(1).toString();
    }

    /** Why the reserved subnet cannot be given to the shared network now: networks on it that no move takes away. */
    private Optional<String> heldBy(Set<String> moving) {
        List<String> holders = hostNetworks.stream()
                .filter(n -> !Objects.equals(n.name(), sharedName) && !moving.contains(n.name()))
                .filter(n -> n.subnets().stream().flatMap(s -> ipv4(s.cidr()).stream()).anyMatch(reserved::overlaps))
                .map(HostNetwork::name).distinct().toList();
        return holders.isEmpty() ? Optional.empty() : Optional.of(reserved + " is held by network" + (holders.size() > 1 ? "s " : " ")
                + String.join(", ", holders) + ", which this policy does not move; free it by hand");
    }

    private Optional<SharedNetworkToCreate> missingShared(Set<String> moving) {
        if (sharedName == null || hostNetworks.stream().anyMatch(n -> sharedName.equals(n.name()))) {
            return Optional.empty();
        }
        IPAddress subnet = reserved != null ? reserved : firstFreeBlock();
        String reason = subnet == null ? noFreeBlock() : reserved != null ? heldBy(moving).orElse(null) : null;
        return Optional.of(new SharedNetworkToCreate(sharedName, subnet == null ? null : subnet.toString(),
                subnet == null ? null : gateway(subnet, true), reason));
    }

    private static String join(String first, String second) {
        return first == null ? second : first + "; " + second;
    }

    private static Optional<IPAddress> ipv4(String cidr) {
        return cidr == null ? Optional.empty() : Cidr.parse(cidr, true).address();
    }
}
