package dev.lookout.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.Scheme;
import dev.lookout.docker.ContainerInfo;
import dev.lookout.load.ObjectKey;
import dev.lookout.prometheus.DiscoveredTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerTargetsTest {
    static ContainerInfo container(String name, String project, String state, String... networks) {
        Map<String, String> nets = new java.util.HashMap<>();
        for (String n : networks) {
            nets.put(n, "10.0.0.9");
        }
        return new ContainerInfo("id-" + name, name, "comfy", Map.of(ContainerTargets.COMPOSE_PROJECT, project,
                ContainerTargets.COMPOSE_SERVICE, "comfy", "tier", "gpu"), state, 0, nets, Instant.EPOCH);
    }

    @Test
    void runningContainersOfTheProjectsOnTheSharedNetworkAreTargetsByName() {
        DockerDiscovery d = new DockerDiscovery("local", Map.of(), List.of("flux", "hidream"), 8188, Scheme.HTTPS);
        ContainerTargets.Found found = ContainerTargets.find(d, "/object_info/CheckpointLoaderSimple", "dnet1", List.of(
                container("flux-comfy-2", "flux", "running", "dnet1"),
                container("flux-comfy-1", "flux", "restarting", "dnet1", "flux_default"),
                container("other-1", "other", "running", "dnet1"),
                container("hidream-comfy-1", "hidream", "exited", "dnet1"),
                new ContainerInfo("x", "not-compose", "i", Map.of(), "running", 0, Map.of("dnet1", "10.0.0.3"), null)));
        assertThat(found.targets()).extracting(DiscoveredTarget::target).containsExactly(
                "https://flux-comfy-1:8188/object_info/CheckpointLoaderSimple",
                "https://flux-comfy-2:8188/object_info/CheckpointLoaderSimple");
        assertThat(found.targets().get(0).labels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "container", "flux-comfy-1", "compose_project", "flux", "compose_service", "comfy"));
        assertThat(found.matched()).extracting(ContainerInfo::name)
                .containsExactly("flux-comfy-1", "flux-comfy-2", "hidream-comfy-1");
        assertThat(found.unreachable()).isEmpty();
    }

    @Test
    void aMatchingContainerOffTheSharedNetworkIsReportedNotProbed() {
        DockerDiscovery d = new DockerDiscovery("local", Map.of("tier", "gpu"), List.of(), 8188, Scheme.HTTP);
        ContainerTargets.Found found = ContainerTargets.find(d, "/", "dnet1", List.of(container("lonely-1", "p", "running", "p_default")));
        assertThat(found.targets()).isEmpty();
        assertThat(found.unreachable()).extracting(ContainerInfo::name).containsExactly("lonely-1");
        assertThat(ContainerTargets.unreachableMessage(found.unreachable(), "dnet1"))
                .contains("lonely-1 is on p_default, not on dnet1");
    }

    @Test
    void restartsCountPolicyRestartsAndNewStartsButNotRecreates() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RestartCounts counts = new RestartCounts(registry);
        ObjectKey probe = new ObjectKey("ComfyProbe", "default", "comfy");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        counts.observe(probe, List.of(new ContainerInfo("a", "c-1", "i", Map.of(), "running", 2, Map.of(), t0)));
        assertThat(counts.count(probe, "c-1")).isEqualTo(2); // what Docker counted before Lookout looked
        counts.observe(probe, List.of(new ContainerInfo("a", "c-1", "i", Map.of(), "running", 5, Map.of(), t0.plusSeconds(9))));
        assertThat(counts.count(probe, "c-1")).isEqualTo(5);
        counts.observe(probe, List.of(new ContainerInfo("a", "c-1", "i", Map.of(), "running", 5, Map.of(), t0.plusSeconds(20))));
        assertThat(counts.count(probe, "c-1")).isEqualTo(6); // docker restart: RestartCount stays, StartedAt moves
        counts.observe(probe, List.of(new ContainerInfo("b", "c-1", "i", Map.of(), "running", 0, Map.of(), t0.plusSeconds(30))));
        assertThat(counts.count(probe, "c-1")).isEqualTo(6); // recreated by compose: a deploy
        assertThat(registry.get("lookout.container.restarts").tags("probe", "default/comfy", "container", "c-1")
                .functionCounter().count()).isEqualTo(6.0);
        counts.forget(probe);
        assertThat(registry.find("lookout.container.restarts").functionCounters()).isEmpty();
    }
}
