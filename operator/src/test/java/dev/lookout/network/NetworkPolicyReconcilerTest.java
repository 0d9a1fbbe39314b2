package dev.lookout.network;

import static dev.lookout.testing.FakeHostNetworks.bridge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.platform.HostNetwork;
import dev.lookout.testing.FakeHostNetworks;
import dev.lookout.testing.Manifests;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NetworkPolicy's reconciler against the host networks seam in memory: no engine. */
class NetworkPolicyReconcilerTest {
    static final ObjectKey KEY = new ObjectKey("NetworkPolicy", "default", "pools");
    static final String POLICY = """
            apiVersion: lookout.dev/v1alpha1
            kind: NetworkPolicy
            metadata: {name: pools}
            spec:
              host: local
              allowedPools: [{base: 192.168.240.0/20, size: 24}]
              avoid: [172.21.0.0/16]
              detectRoutes: true
              sharedNetwork: {name: dnet1, subnet: 192.168.250.0/24, gateway: 192.168.250.1}
              scope: {composeProjects: [flux, hidream]}
              action: Report
            """;

    @TempDir
    Path dir;

    final FakeHostNetworks host = new FakeHostNetworks();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final NetworkPolicyReconciler reconciler = new NetworkPolicyReconciler(host, meters);

    NetworkPolicy policy(String yaml) {
        return (NetworkPolicy) Manifests.load(dir, yaml).resources().get(0).resource();
    }

    NetworkPolicyStatus.NetworkReport report(ReconcileResult result, String name) {
        return ((NetworkPolicyStatus) result.status()).getNetworks().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow();
    }

    void onTheHost() {
        host.add(new HostNetwork("b", "bridge", "bridge", List.of(new HostNetwork.Subnet("172.17.0.0/16", "172.17.0.1")),
                        Map.of(), true, List.of()))
                .add(bridge("flux_default", "172.21.3.0/24", "flux"))
                .add(bridge("hidream_default", "192.168.240.0/24", "hidream"))
                .add(bridge("other_default", "172.21.9.0/24", "other"))
                .route("192.168.241.0/24", "tun0");
    }

    @Test
    void reportSaysWhichNetworksBreakThePolicyAndWhereTheyWouldGoWithoutMovingThem() {
        onTheHost();
        ReconcileResult result = reconciler.reconcile(policy(POLICY), KEY);

        NetworkPolicyStatus.NetworkReport flux = report(result, "flux_default");
        assertThat(flux.compliant()).isFalse();
        assertThat(flux.reason()).contains("172.21.0.0/16");
        assertThat(flux.plannedSubnet()).as("the first free /24: .240 is taken, .241 is routed").isEqualTo("192.168.242.0/24");
        assertThat(report(result, "hidream_default").compliant()).isTrue();
        assertThat(((NetworkPolicyStatus) result.status()).getNetworks()).extracting(NetworkPolicyStatus.NetworkReport::name)
                .as("out of scope: other projects, Docker's own").doesNotContain("other_default", "bridge");
        assertThat(((NetworkPolicyStatus) result.status()).getDefaultAddressPools())
                .containsExactly(new AddressPool("192.168.240.0/20", 24));

        assertThat(result.blocked().reason()).isEqualTo("NetworksNotCompliant");
        assertThat(result.blocked().message()).contains("flux_default", "would move to 192.168.242.0/24", "action: Recreate moves them");
        assertThat(host.done()).containsExactly("create dnet1 192.168.250.0/24"); // the shared network, even under Report
        assertThat(result.requeueAfter()).isEqualTo(NetworkPolicyReconciler.RECHECK);
        assertThat(host.watches(KEY)).isTrue();
    }

    @Test
    void recreateMovesThemAndIsThenReadyAndMovesNothingTheSecondTime() {
        onTheHost();
        String recreate = Manifests.edit(POLICY, "action: Report", "action: Recreate");
        ReconcileResult result = reconciler.reconcile(policy(recreate), KEY);
        assertThat(host.done()).containsExactly("move flux_default 172.21.3.0/24 -> 192.168.242.0/24", "create dnet1 192.168.250.0/24");
        assertThat(result.blocked()).isNull();
        assertThat(report(result, "flux_default").compliant()).as("status says what is so after the move").isTrue();
        assertThat(meters.get("lookout.network.moves").tags("host", "local", "network", "flux_default").counter().count())
                .isEqualTo(1.0);

        reconciler.reconcile(policy(recreate), KEY);
        assertThat(host.done()).hasSize(2);
    }

    @Test
    void movesAPreviousRunLeftUnfinishedAreFinishedFirstWhateverTheAction() {
        onTheHost();
        host.unfinished("flux_default");
        reconciler.reconcile(policy(POLICY), KEY);
        assertThat(host.done()).first().isEqualTo("resume flux_default");
    }

    @Test
    void routesAreOnlyReadWhenAsked() {
        onTheHost();
        ReconcileResult result = reconciler.reconcile(policy(Manifests.edit(POLICY, "detectRoutes: true", "detectRoutes: false")), KEY);
        assertThat(report(result, "flux_default").plannedSubnet()).isEqualTo("192.168.241.0/24");
    }

    @Test
    void aNetworkWithTwoIpv4SubnetsIsReportedNotMoved() {
        host.add(new HostNetwork("id-two", "two_default", "bridge", List.of(new HostNetwork.Subnet("172.21.5.0/24", null),
                new HostNetwork.Subnet("192.168.240.0/24", null)), Map.of("com.docker.compose.project", "flux"), false, List.of()));
        ReconcileResult result = reconciler.reconcile(policy(Manifests.edit(POLICY, "action: Report", "action: Recreate")), KEY);
        assertThat(host.done()).noneMatch(d -> d.startsWith("move"));
        assertThat(report(result, "two_default").reason()).contains("2 IPv4 subnets: move it by hand");
    }

    @Test
    void routesThatCannotBeReadMoveNothingAndSaySo() {
        onTheHost();
        NetworkPolicyReconciler blind = new NetworkPolicyReconciler(new FakeHostNetworks() {
            @Override
            public synchronized List<dev.lookout.platform.HostRoute> routes(String h) {
                throw new IllegalStateException("helper image missing");
            }
        }.add(bridge("flux_default", "172.21.3.0/24", "flux")), meters);
        ReconcileResult result = blind.reconcile(policy(Manifests.edit(POLICY, "action: Report", "action: Recreate")), KEY);
        assertThat(result.blocked().reason()).isEqualTo("RoutesUnreadable");
        assertThat(result.blocked().message()).contains("helper image missing");
        assertThat(report(result, "flux_default").compliant()).isFalse();
    }

    @Test
    void aHostThatDoesNotAnswerBlocksItAndNothingIsDone() {
        host.down(true);
        ReconcileResult result = reconciler.reconcile(policy(POLICY), KEY);
        assertThat(result.blocked().reason()).isEqualTo("DockerUnavailable");
        assertThat(host.done()).isEmpty();
    }
}
