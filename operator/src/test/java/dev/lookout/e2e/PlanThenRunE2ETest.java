package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.DockerSettings;
import dev.lookout.docker.EngineClients;
import dev.lookout.plan.HostPlan;
import dev.lookout.plan.Planner;
import dev.lookout.platform.WorkloadChange;
import dev.lookout.testing.DaemonRoute;
import dev.lookout.testing.FakeNvidia;
import dev.lookout.testing.LogCapture;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.PrivateDockerd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} is {@code run}'s own decision made dry: on a real engine that can give GPUs, what plan says run will
 * do is what run does, and once it has, plan has nothing left to do; a spec change is one recreate in both.
 */
@Timeout(120)
class PlanThenRunE2ETest {
    static final Duration WAIT = Duration.ofSeconds(45);
    static final String HOST = "gpu1";
    static final String NODE = "gpu-p";
    static final String CONTAINER = "lookout-dcgm-exporter-default_" + NODE;

    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    private static List<HostPlan> plan(OperatorConfig config, Path resources) {
        try (EngineClients clients = new EngineClients(DockerSettings.defaults())) {
            return new Planner(config, clients).plan(Manifests.load(resources).resources());
        }
    }

    private static List<String> changes(List<HostPlan> plans) {
        assertThat(plans).singleElement().satisfies(p -> assertThat(p.unavailable()).isNull());
        return plans.get(0).changes().stream().map(c -> c.action() + " " + c.workload()).toList();
    }

    static String node(int port) {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: GpuNode
                metadata: {name: %s}
                spec: {host: %s, gpus: all, exporter: {port: %d, counters: %s}}
                """.formatted(NODE, HOST, port, DcgmStandIn.COUNTERS);
    }

    @Test
    void whatPlanSaysIsWhatRunDoesAndThenThereIsNothingToDo(@TempDir Path tmp) throws Exception {
        PrivateDockerd.assumeAvailable();
        DaemonRoute.require();
        open.add(LogCapture.start());
        FakeNvidia nvidia = FakeNvidia.install(tmp.resolve("nvidia"));
        PrivateDockerd daemon = nvidia.daemon().start();
        open.add(daemon);
        String standIn = DcgmStandIn.build(daemon);
        String subnet = DaemonRoute.freeSubnet();
        String network = "lookout-test-plan";
        daemon.docker("network", "create", "--subnet", subnet, network);
        open.add(DaemonRoute.open(daemon, subnet));
        DockerLookout stack = DockerLookout.prepare(tmp.resolve("stack"));
        open.add(stack);
        Manifests.write(stack.watch, NODE + ".yaml", node(9400));
        OperatorConfig config = stack.config(List.of(new OperatorConfig.DockerHost(HOST, daemon.url(), null)), network,
                Map.of("dcgm-exporter", standIn));

        assertThat(changes(plan(config, stack.watch))).containsExactly(WorkloadChange.Action.CREATE + " " + CONTAINER);
        assertThat(daemon.docker("ps", "-a", "-q")).as("plan changes nothing").isEmpty();

        stack.startLookout(config.docker().hosts(), network, Map.of("dcgm-exporter", standIn), "state", DockerLookout.quickReconnect());
        stack.await(NODE + " Ready=True", WAIT, () -> stack.ready("GpuNode", NODE).path("status").asText().equals("True"));
        assertThat(changes(plan(config, stack.watch))).as("after run, plan finds nothing to do").isEmpty();

        stack.stopLookout();
        Manifests.write(stack.watch, NODE + ".yaml", node(9401));
        assertThat(changes(plan(config, stack.watch))).containsExactly(WorkloadChange.Action.RECREATE + " " + CONTAINER);
        String before = daemon.docker("inspect", "-f", "{{.Id}}", CONTAINER);
        stack.startLookout(config.docker().hosts(), network, Map.of("dcgm-exporter", standIn), "state", DockerLookout.quickReconnect());
        stack.await("the exporter is recreated and Ready", WAIT, () -> !daemon.docker("inspect", "-f", "{{.Id}}", CONTAINER).equals(before)
                && stack.ready("GpuNode", NODE).path("status").asText().equals("True"));
        assertThat(changes(plan(config, stack.watch))).isEmpty();
    }
}
