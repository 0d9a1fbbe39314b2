package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.config.OperatorConfig;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.DaemonRoute;
import dev.lookout.testing.LogCapture;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.PrivateDockerd;
import dev.lookout.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detectRoutes} on a Docker host with a route of its own: a private dockerd in its own network namespace, where
 * the test adds a VPN-like interface and a route through it. Lookout reads the routes on that host (a helper container
 * in its network namespace), not on the machine it runs on, and plans around the routed block.
 */
@Timeout(120)
class HostRoutesE2ETest {
    static final Duration WAIT = Duration.ofSeconds(45);
    static final String HOST = "routed";

    @Test
    void aRouteOnTheDockerHostIsAvoided(@TempDir Path tmp) throws Exception {
        PrivateDockerd.assumeAvailable();
        DaemonRoute.require();
        LogCapture log = LogCapture.start();
        PrivateDockerd daemon = PrivateDockerd.start();
        DockerLookout stack = null;
        try {
            String busybox = TestImages.busybox();
            daemon.loadImage(busybox);
            String block = DaemonRoute.freeBlock(22);
            String[] o = block.substring(0, block.indexOf('/')).split("\\.");
            String prefix = o[0] + "." + o[1] + ".";
            int c = Integer.parseInt(o[2]);
            String routed = prefix + c + ".0/24";
            // The daemon's namespace has a tun-like device with a route over the pool's first block, as a VPN client
            // would add; this machine has no such route.
            String pid = Long.toString(daemon.pid());
            DaemonRoute.run("nsenter", "-t", pid, "-n", "ip", "link", "add", "tun-test", "type", "veth", "peer", "name", "tun-peer");
            DaemonRoute.run("nsenter", "-t", pid, "-n", "ip", "link", "set", "tun-peer", "up");
            DaemonRoute.run("nsenter", "-t", pid, "-n", "ip", "link", "set", "tun-test", "up");
            DaemonRoute.run("nsenter", "-t", pid, "-n", "ip", "route", "add", routed, "dev", "tun-test");
            String avoided = DaemonRoute.freeBlock(24);
            daemon.docker("network", "create", "--subnet", avoided, "--label", "com.docker.compose.project=studio", "studio_default");

            stack = DockerLookout.prepare(tmp.resolve("stack"));
            Manifests.write(stack.watch, "network.yaml", """
                    apiVersion: lookout.dev/v1alpha1
                    kind: NetworkPolicy
                    metadata: {name: pools}
                    spec:
                      host: %s
                      allowedPools: [{base: %s, size: 24}]
                      avoid: [%s]
                      detectRoutes: true
                      scope: {composeProjects: [studio]}
                    """.formatted(HOST, block, avoided));
            stack.startLookout(List.of(new OperatorConfig.DockerHost(HOST, daemon.url(), null)), "lookout-test-unused",
                    Map.of("helper", busybox), "state", DockerLookout.quickReconnect());
            DockerLookout s = stack;
            s.await("the network is reported with a planned subnet", WAIT,
                    () -> report(s, "studio_default").has("plannedSubnet"));
            JsonNode studio = report(s, "studio_default");
            assertThat(studio.path("compliant").asBoolean()).isFalse();
            assertThat(studio.path("plannedSubnet").asText()).as("the routed first block is skipped")
                    .isEqualTo(prefix + (c + 1) + ".0/24");
            assertThat(daemon.docker("ps", "-a", "-q")).as("the helper container is gone").isEmpty();
        } finally {
            Cleanup.quietly(stack, daemon, log);
        }
    }

    static JsonNode report(DockerLookout stack, String network) {
        for (JsonNode n : stack.resource("NetworkPolicy", "pools").path("status").path("networks")) {
            if (n.path("name").asText().equals(network)) {
                return n;
            }
        }
        return DockerLookout.JSON.missingNode();
    }
}
