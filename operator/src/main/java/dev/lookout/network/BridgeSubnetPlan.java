package dev.lookout.network;

import dev.lookout.platform.NetworkMove;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@link BridgeSubnetPlanner} decided for one Docker host; nothing here has been done yet.
 *
 * @param networks            every network in scope, sorted by name
 * @param create              the shared network to create, when the host lacks it; apply {@link #moves()} first, as it
 *                            may take the subnet one of them leaves
 * @param defaultAddressPools the {@code default-address-pools} block daemon.json should carry, in spec order
 */
public record BridgeSubnetPlan(List<NetworkPlan> networks, Optional<SharedNetworkToCreate> create,
                               List<AddressPool> defaultAddressPools) {
    public BridgeSubnetPlan {
        networks = List.copyOf(networks);
        defaultAddressPools = List.copyOf(defaultAddressPools);
    }

    /**
     * The networks to recreate elsewhere: non-compliant, movable, with a planned subnet. The shared network comes last:
     * its reserved subnet may be the one another of these leaves; every other planned subnet is free already.
     */
    public List<NetworkPlan> moves() {
        return networks.stream().filter(n -> !n.compliant() && n.movable() && n.plannedSubnet() != null)
                .sorted(Comparator.comparing(NetworkPlan::shared)).toList();
    }

    /** The networks as status shows them. */
    public List<NetworkPolicyStatus.NetworkReport> reports() {
        return networks.stream().map(NetworkPlan::toReport).toList();
    }

    /**
     * Whether dockerd's own {@code default-address-pools} differ from {@link #defaultAddressPools} (order counts: dockerd
     * hands out from the first pool first). False when {@code daemonPools} is empty: unknown is not known to differ.
     */
    public boolean daemonPoolsDiffer(List<AddressPool> daemonPools) {
        if (daemonPools == null || daemonPools.isEmpty()) {
            return false;
        }
        return !normalized(daemonPools).equals(normalized(defaultAddressPools));
    }

    private static List<String> normalized(List<AddressPool> pools) {
        return pools.stream().map(p -> (p.base() == null ? null
                : Cidr.parse(p.base(), false).address().map(Object::toString).orElse(p.base())) + " size " + p.size()).toList();
    }

    /**
     * One network in scope.
     *
     * @param subnet         its first IPv4 subnet as Docker reports it; null when it has none
     * @param reason         why it is not compliant, or what stops its move ("; " between reasons); null when there is
     *                       nothing to say
     * @param plannedSubnet  where it should go; null when compliant, when no block is free, or when it is already there
     * @param plannedGateway the gateway it should get there
     * @param movable        whether Lookout may move it (false when a container pins a static address on it, or the
     *                       shared network's reserved subnet is held by a network no move frees)
     * @param shared         whether it is the policy's shared network
     */
    public record NetworkPlan(String name, String subnet, boolean compliant, String reason, String plannedSubnet,
                              String plannedGateway, boolean movable, boolean shared) {
        public NetworkPolicyStatus.NetworkReport toReport() {
            return new NetworkPolicyStatus.NetworkReport(name, subnet, compliant, reason, plannedSubnet);
        }

        /** The move for the platform; only meaningful for a member of {@link BridgeSubnetPlan#moves()}. */
        public NetworkMove toMove() {
            return new NetworkMove(name, subnet, plannedSubnet, plannedGateway);
        }
    }

    /**
     * The shared network the host lacks.
     *
     * @param subnet null when no block is free
     * @param reason what stands in the way of creating it; null when nothing does
     */
    public record SharedNetworkToCreate(String name, String subnet, String gateway, String reason) {
    }
}
