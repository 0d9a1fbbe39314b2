package dev.lookout.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.lookout.network.BridgeSubnetPlan.NetworkPlan;
import dev.lookout.network.BridgeSubnetPlan.SharedNetworkToCreate;
import dev.lookout.platform.HostNetwork.Attachment;
import dev.lookout.platform.HostNetwork.Subnet;
import dev.lookout.platform.HostNetwork;
import dev.lookout.platform.HostRoute;
import dev.lookout.platform.NetworkMove;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BridgeSubnetPlanner on one host: each scenario compares the whole plan (DESIGN.md, "NetworkPolicy"). */
class BridgeSubnetPlannerTest {
    private static final String PROJECT = BridgeSubnetPlanner.COMPOSE_PROJECT;
    /** examples/network.yaml's pool. */
    private static final List<AddressPool> POOLS = List.of(new AddressPool("192.168.240.0/20", 24));
    private static final SharedNetwork DNET1 = new SharedNetwork("dnet1", "192.168.250.0/24", "192.168.250.1");
    private static final NetworkScope ALL = new NetworkScope(null, null, true);
    /** examples/network.yaml. */
    private static final NetworkPolicySpec EXAMPLE = spec(POOLS, DNET1, ALL);
    private static final HostNetwork DOCKER_BRIDGE = new HostNetwork("id-bridge", "bridge", "bridge",
            List.of(new Subnet("172.17.0.0/16", "172.17.0.1")), null, true, null);
    private static final HostNetwork DNET1_THERE = bridge("dnet1", "192.168.250.0/24");
    private static final NetworkPlan DNET1_OK = ok("dnet1", "192.168.250.0/24", true);
    private static final String OUTSIDE = " is outside every allowed pool (192.168.240.0/20)";
    private static final String IN_VPN = " overlaps the avoided range 172.21.0.0/16";
    /** Why 172.21.5.0/24, in the VPN's range, breaks examples/network.yaml. */
    private static final String VPN_NET = "172.21.5.0/24" + OUTSIDE + "; 172.21.5.0/24" + IN_VPN;
    private static final String PINNED = "container shop-db-1 has the static address 172.21.5.10 on it: moving the network "
            + "would break it; move it by hand";
    private static final String SHARED_ELSEWHERE = "has 10.1.0.0/24, the policy says 192.168.250.0/24; 10.1.0.0/24" + OUTSIDE;

    static NetworkPolicySpec spec(List<AddressPool> pools, SharedNetwork shared, NetworkScope scope) {
        return new NetworkPolicySpec("local", pools, List.of("172.21.0.0/16"), true, shared, scope, NetworkAction.Report);
    }

    static HostNetwork bridge(String name, String... cidrs) {
        return network(name, "bridge", Map.of(), List.of(), cidrs);
    }

    static HostNetwork network(String name, String driver, Map<String, String> labels, List<Attachment> on, String... cidrs) {
        List<Subnet> subnets = Stream.of(cidrs).map(c -> new Subnet(c, null)).toList();
        return new HostNetwork("id-" + name, name, driver, subnets, labels, false, on);
    }

    static NetworkPlan ok(String name, String subnet, boolean shared) {
        return new NetworkPlan(name, subnet, true, null, null, null, true, shared);
    }

    static NetworkPlan move(String name, String subnet, String reason, String planned, String gateway) {
        return new NetworkPlan(name, subnet, false, reason, planned, gateway, true, false);
    }

    static Arguments scenario(String name, NetworkPolicySpec spec, List<HostNetwork> networks, List<HostRoute> routes,
                              List<NetworkPlan> expected, SharedNetworkToCreate create) {
        return arguments(name, spec, networks, routes, expected, Optional.ofNullable(create));
    }

    static Stream<Arguments> scenarios() {
        Attachment db = new Attachment("c1", "shop-db-1", List.of("db"), "172.21.5.10");
        return Stream.of(
                scenario("compliantNetworkIsReportedWithNothingPlanned", EXAMPLE,
                        List.of(DOCKER_BRIDGE, DNET1_THERE, bridge("shop_default", "192.168.241.0/24")), List.of(),
                        List.of(DNET1_OK, ok("shop_default", "192.168.241.0/24", false)), null),
                scenario("networkInAvoidedVpnRangeMovesToFirstPoolBlock", EXAMPLE,
                        List.of(DOCKER_BRIDGE, DNET1_THERE, bridge("shop_default", "172.21.5.0/24")), List.of(),
                        List.of(DNET1_OK, move("shop_default", "172.21.5.0/24", VPN_NET,
                                "192.168.240.0/24", "192.168.240.1")), null),
                scenario("secondNonCompliantNetworkGetsNextFreeBlock", EXAMPLE,
                        List.of(DNET1_THERE, bridge("shop_default", "172.21.5.0/24"), bridge("blog_default", "172.18.0.0/16")),
                        List.of(),
                        List.of(move("blog_default", "172.18.0.0/16", "172.18.0.0/16" + OUTSIDE, "192.168.240.0/24",
                                        "192.168.240.1"),
                                DNET1_OK,
                                move("shop_default", "172.21.5.0/24", VPN_NET,
                                        "192.168.241.0/24", "192.168.241.1")), null),
                scenario("existingInPoolNetworkBlockIsSkipped", EXAMPLE,
                        List.of(DNET1_THERE, bridge("a", "192.168.240.0/24"), bridge("b", "172.21.5.0/24")), List.of(),
                        List.of(ok("a", "192.168.240.0/24", false),
                                move("b", "172.21.5.0/24", VPN_NET,
                                        "192.168.241.0/24", "192.168.241.1"), DNET1_OK), null),
                scenario("hostRoutesMakeNetworksNonCompliantAndAreAvoided", EXAMPLE,
                        List.of(DNET1_THERE, bridge("lan", "192.168.241.0/24"), bridge("vpn", "10.8.0.0/24")),
                        List.of(new HostRoute("192.168.240.0/22", "eth1"), new HostRoute("10.8.0.0/24", "tun0")),
                        List.of(DNET1_OK,
                                move("lan", "192.168.241.0/24",
                                        "192.168.241.0/24 overlaps the host route 192.168.240.0/22 (dev eth1)",
                                        "192.168.244.0/24", "192.168.244.1"),
                                move("vpn", "10.8.0.0/24", "10.8.0.0/24" + OUTSIDE + "; 10.8.0.0/24 overlaps the host route "
                                        + "10.8.0.0/24 (dev tun0)", "192.168.245.0/24", "192.168.245.1")), null),
                scenario("staticAddressMakesNetworkUnmovable", EXAMPLE,
                        List.of(DNET1_THERE, network("shop_default", "bridge", Map.of(), List.of(db), "172.21.5.0/24")),
                        List.of(),
                        List.of(DNET1_OK, new NetworkPlan("shop_default", "172.21.5.0/24", false, VPN_NET + "; " + PINNED,
                                "192.168.240.0/24", "192.168.240.1", false, false)), null),
                scenario("outOfScopeNetworksAreNotReportedButAvoided",
                        spec(POOLS, DNET1, new NetworkScope(List.of("shop"), null, null)),
                        List.of(DNET1_THERE, new HostNetwork("id-bridge", "bridge", "bridge",
                                        List.of(new Subnet("192.168.240.0/24", null)), null, true, null),
                                network("blog_default", "bridge", Map.of(PROJECT, "blog"), List.of(), "192.168.241.0/24"),
                                network("lan", "macvlan", Map.of(PROJECT, "shop"), List.of(), "192.168.242.0/24"),
                                network("shop_default", "bridge", Map.of(PROJECT, "shop"), List.of(), "172.21.5.0/24")), List.of(),
                        List.of(DNET1_OK, move("shop_default", "172.21.5.0/24", VPN_NET,
                                "192.168.243.0/24", "192.168.243.1")), null),
                scenario("labelSelectorNeedsEveryLabel",
                        spec(POOLS, DNET1, new NetworkScope(null, Map.of("team", "ml", "tier", "gpu"), null)),
                        List.of(DNET1_THERE,
                                network("both", "bridge", Map.of("team", "ml", "tier", "gpu", "x", "y"), List.of(), "10.1.0.0/24"),
                                network("one", "bridge", Map.of("team", "ml"), List.of(), "10.2.0.0/24")), List.of(),
                        List.of(move("both", "10.1.0.0/24", "10.1.0.0/24" + OUTSIDE, "192.168.240.0/24", "192.168.240.1"),
                                DNET1_OK),
                        null),
                scenario("networkWithoutIpv4IsCompliant", EXAMPLE, List.of(DNET1_THERE, bridge("v6", "fd00:1::/64")), List.of(),
                        List.of(DNET1_OK, new NetworkPlan("v6", null, true, "no IPv4 subnet", null, null, true, false)), null),
                scenario("unreadableSubnetIsNonCompliantWithNothingPlanned", EXAMPLE,
                        List.of(DNET1_THERE, bridge("odd", "172.21.5.1/24")), List.of(),
                        List.of(DNET1_OK, move("odd", "172.21.5.1/24", "\"172.21.5.1/24\" is not aligned to its prefix (did "
                                + "you mean 172.21.5.0/24?); no move is planned for a network whose subnet cannot be read",
                                null, null)),
                        null),
                scenario("sharedNetworkOnAnotherSubnetMovesToItsOwn", EXAMPLE,
                        List.of(bridge("dnet1", "10.1.0.0/24"), bridge("shop_default", "172.18.0.0/16")), List.of(),
                        List.of(new NetworkPlan("dnet1", "10.1.0.0/24", false, SHARED_ELSEWHERE, "192.168.250.0/24",
                                        "192.168.250.1", true, true),
                                move("shop_default", "172.18.0.0/16", "172.18.0.0/16" + OUTSIDE, "192.168.240.0/24",
                                        "192.168.240.1")),
                        null),
                scenario("reservedSharedSubnetIsNeverPlannedForAnotherNetwork",
                        spec(List.of(new AddressPool("192.168.250.0/23", 24)), DNET1, ALL),
                        List.of(bridge("a", "172.18.0.0/16"), bridge("b", "192.168.250.0/24")), List.of(),
                        List.of(move("a", "172.18.0.0/16", "172.18.0.0/16 is outside every allowed pool (192.168.250.0/23)",
                                        "192.168.251.0/24", "192.168.251.1"),
                                move("b", "192.168.250.0/24", "192.168.250.0/24 overlaps 192.168.250.0/24, reserved for the shared "
                                        + "network dnet1; no free /24 left in the allowed pools", null, null)),
                        new SharedNetworkToCreate("dnet1", "192.168.250.0/24", "192.168.250.1", "192.168.250.0/24 is held by "
                                + "network b, which this policy does not move; free it by hand")),
                scenario("networkOnReservedSubnetMovesBeforeSharedNetworkIsCreated", EXAMPLE,
                        List.of(bridge("b", "192.168.250.0/24")), List.of(),
                        List.of(move("b", "192.168.250.0/24", "192.168.250.0/24 overlaps 192.168.250.0/24, reserved for the "
                                + "shared network dnet1", "192.168.240.0/24", "192.168.240.1")),
                        new SharedNetworkToCreate("dnet1", "192.168.250.0/24", "192.168.250.1", null)),
                scenario("sharedNetworkBlockedByOutOfScopeHolderIsNotMovable",
                        spec(POOLS, DNET1, new NetworkScope(List.of("shop"), null, null)),
                        List.of(bridge("dnet1", "10.1.0.0/24"),
                                network("blog_default", "bridge", Map.of(PROJECT, "blog"), List.of(), "192.168.250.0/24")),
                        List.of(),
                        List.of(new NetworkPlan("dnet1", "10.1.0.0/24", false, SHARED_ELSEWHERE + "; 192.168.250.0/24 is held by "
                                + "network blog_default, which this policy does not move; free it by hand", "192.168.250.0/24",
                                "192.168.250.1", false, true)), null),
                scenario("missingSharedNetworkWithoutSubnetTakesFirstFreeBlock",
                        spec(POOLS, new SharedNetwork("dnet1", null, null), ALL),
                        List.of(bridge("a", "192.168.240.0/24"), bridge("b", "172.21.5.0/24")), List.of(),
                        List.of(ok("a", "192.168.240.0/24", false),
                                move("b", "172.21.5.0/24", VPN_NET,
                                        "192.168.241.0/24", "192.168.241.1")),
                        new SharedNetworkToCreate("dnet1", "192.168.242.0/24", "192.168.242.1", null)),
                scenario("poolExhaustedLeavesNothingPlanned",
                        spec(List.of(new AddressPool("192.168.240.0/23", 24)), new SharedNetwork("dnet1", null, null), ALL),
                        List.of(bridge("x", "192.168.240.0/24"), bridge("y", "192.168.241.0/24"), bridge("z", "172.18.0.0/16")),
                        List.of(),
                        List.of(ok("x", "192.168.240.0/24", false), ok("y", "192.168.241.0/24", false),
                                move("z", "172.18.0.0/16", "172.18.0.0/16 is outside every allowed pool (192.168.240.0/23); "
                                        + "no free /24 left in the allowed pools", null, null)),
                        new SharedNetworkToCreate("dnet1", null, null, "no free /24 left in the allowed pools")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void plansTheHost(String scenario, NetworkPolicySpec spec, List<HostNetwork> networks, List<HostRoute> routes,
                      List<NetworkPlan> expected, Optional<SharedNetworkToCreate> create) {
        BridgeSubnetPlan plan = BridgeSubnetPlanner.plan(spec, networks, routes);

        assertThat(plan.networks()).containsExactlyElementsOf(expected);
        assertThat(plan.create()).isEqualTo(create);
        assertThat(plan.defaultAddressPools()).isEqualTo(spec.allowedPools());
    }

    @Test
    void shuffledInputGivesTheSamePlan() {
        List<HostNetwork> networks = new ArrayList<>(List.of(DOCKER_BRIDGE, bridge("dnet1", "10.1.0.0/24"),
                bridge("a", "172.21.5.0/24"), bridge("b", "192.168.243.0/24"), bridge("c", "172.18.0.0/16"),
                bridge("d", "10.8.0.0/24"), bridge("e", "192.168.240.0/24"), bridge("f", "172.19.0.0/16")));
        List<HostRoute> routes = new ArrayList<>(List.of(new HostRoute("10.8.0.0/16", "tun0"), new HostRoute("10.8.0.0/24", "tun1"),
                new HostRoute("192.168.241.0/24", "eth1")));
        BridgeSubnetPlan first = BridgeSubnetPlanner.plan(EXAMPLE, networks, routes);

        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(networks, random);
            Collections.shuffle(routes, random);
            assertThat(BridgeSubnetPlanner.plan(EXAMPLE, networks, routes)).isEqualTo(first);
        }
        assertThat(first.moves()).extracting(NetworkPlan::name, NetworkPlan::plannedSubnet).containsExactly(
                tuple("a", "192.168.242.0/24"), tuple("c", "192.168.244.0/24"), tuple("d", "192.168.245.0/24"),
                tuple("f", "192.168.246.0/24"), tuple("dnet1", "192.168.250.0/24"));
    }

    @Test
    void movesPutTheSharedNetworkLastAndSkipWhatCannotMove() {
        Attachment db = new Attachment("c1", "shop-db-1", List.of("db"), "172.21.5.10");
        BridgeSubnetPlan plan = BridgeSubnetPlanner.plan(EXAMPLE, List.of(bridge("dnet1", "10.1.0.0/24"),
                bridge("ok", "192.168.240.0/24"),
                network("pinned", "bridge", Map.of(), List.of(db), "172.21.5.0/24"), bridge("zz", "172.18.0.0/16")), List.of());

        assertThat(plan.moves()).extracting(NetworkPlan::toMove).containsExactly(
                new NetworkMove("zz", "172.18.0.0/16", "192.168.242.0/24", "192.168.242.1"),
                new NetworkMove("dnet1", "10.1.0.0/24", "192.168.250.0/24", "192.168.250.1"));
        assertThat(plan.reports()).containsExactly(
                new NetworkPolicyStatus.NetworkReport("dnet1", "10.1.0.0/24", false,
                        SHARED_ELSEWHERE, "192.168.250.0/24"),
                new NetworkPolicyStatus.NetworkReport("ok", "192.168.240.0/24", true, null, null),
                new NetworkPolicyStatus.NetworkReport("pinned", "172.21.5.0/24", false, VPN_NET + "; " + PINNED,
                        "192.168.241.0/24"),
                new NetworkPolicyStatus.NetworkReport("zz", "172.18.0.0/16", false, "172.18.0.0/16" + OUTSIDE, "192.168.242.0/24"));
    }

    @Test
    void daemonPoolsDifferOnlyWhenKnownAndNotTheSame() {
        BridgeSubnetPlan plan = BridgeSubnetPlanner.plan(spec(List.of(new AddressPool("192.168.240.0/20", 24),
                new AddressPool("10.200.0.0/16", 26)), DNET1, ALL), List.of(DNET1_THERE), List.of());

        assertThat(plan.defaultAddressPools()).containsExactly(new AddressPool("192.168.240.0/20", 24),
                new AddressPool("10.200.0.0/16", 26));
        assertThat(plan.daemonPoolsDiffer(List.of())).as("unknown").isFalse();
        assertThat(plan.daemonPoolsDiffer(plan.defaultAddressPools())).isFalse();
        assertThat(plan.daemonPoolsDiffer(List.of(new AddressPool("192.168.240.0/20", 24)))).as("one missing").isTrue();
        assertThat(plan.daemonPoolsDiffer(List.of(new AddressPool("10.200.0.0/16", 26), new AddressPool("192.168.240.0/20", 24))))
                .as("another order").isTrue();
        assertThat(plan.daemonPoolsDiffer(List.of(new AddressPool("192.168.240.0/20", 20), new AddressPool("10.200.0.0/16", 26))))
                .as("another size").isTrue();
        assertThat(plan.daemonPoolsDiffer(List.of(new AddressPool("172.17.0.0/16", 16), new AddressPool("192.168.0.0/16", 20))))
                .as("Docker's own defaults").isTrue();
    }
}
