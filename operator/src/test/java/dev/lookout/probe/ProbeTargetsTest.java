package dev.lookout.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.api.Scheme;
import dev.lookout.platform.Instance;
import dev.lookout.prometheus.DiscoveredTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeTargetsTest {
    static Instance instance(String name, String state, String address) {
        return new Instance("id-" + name, name, state, 0, Instant.EPOCH, address, address == null ? "is on p_default, not on dnet1" : null,
                Map.of("container", name, "compose_project", "flux"));
    }

    @Test
    void runningRestartingAndPausedInstancesAreTargetsAtTheirAddress() {
        DockerDiscovery d = new DockerDiscovery("local", Map.of(), List.of("flux"), 8188, Scheme.HTTPS);
        ProbeTargets.Found found = ProbeTargets.find(d, "/object_info/CheckpointLoaderSimple", List.of(
                instance("flux-comfy-2", "running", "flux-comfy-2"),
                instance("flux-comfy-1", "restarting", "flux-comfy-1"),
                instance("flux-comfy-3", "paused", "flux-comfy-3"),
                instance("flux-comfy-4", "exited", "flux-comfy-4")));
        assertThat(found.targets()).extracting(DiscoveredTarget::target).containsExactly(
                "https://flux-comfy-1:8188/object_info/CheckpointLoaderSimple",
                "https://flux-comfy-2:8188/object_info/CheckpointLoaderSimple",
                "https://flux-comfy-3:8188/object_info/CheckpointLoaderSimple");
        assertThat(found.targets().get(0).labels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "container", "flux-comfy-1", "compose_project", "flux"));
        assertThat(found.matched()).extracting(Instance::name)
                .containsExactly("flux-comfy-1", "flux-comfy-2", "flux-comfy-3", "flux-comfy-4");
        assertThat(found.unreachable()).isEmpty();
    }

    @Test
    void anInstanceWithoutAnAddressIsReportedNotProbed() {
        DockerDiscovery d = new DockerDiscovery("local", Map.of("tier", "gpu"), List.of(), 8188, Scheme.HTTP);
        ProbeTargets.Found found = ProbeTargets.find(d, "/", List.of(instance("lonely-1", "running", null),
                instance("stopped-1", "exited", null)));
        assertThat(found.targets()).isEmpty();
        assertThat(found.unreachable()).extracting(Instance::name).containsExactly("lonely-1"); // a stopped one is no target
        assertThat(ProbeTargets.unreachableMessage(found.unreachable(), "Add dnet1")).isEqualTo("lonely-1 is on p_default, not on dnet1. Add dnet1.");
    }

    static Instance started(String id, int restartCount, Instant startedAt) {
        return new Instance(id, "c-1", "running", restartCount, startedAt, "c-1", null, Map.of());
    }

    @Test
    void restartsCountPolicyRestartsAndNewStartsButNotRecreates() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RestartCounts counts = new RestartCounts(registry);
        ObjectKey probe = new ObjectKey("ComfyProbe", "default", "comfy");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        counts.observe(probe, List.of(started("a", 2, t0)));
        assertThat(counts.count(probe, "c-1")).isEqualTo(2); // what Docker counted before Lookout looked
        counts.observe(probe, List.of(started("a", 5, t0.plusSeconds(9))));
        assertThat(counts.count(probe, "c-1")).isEqualTo(5);
        counts.observe(probe, List.of(started("a", 5, t0.plusSeconds(20))));
        assertThat(counts.count(probe, "c-1")).isEqualTo(6); // docker restart: RestartCount stays, StartedAt moves
        counts.observe(probe, List.of(started("b", 0, t0.plusSeconds(30))));
        assertThat(counts.count(probe, "c-1")).isEqualTo(6); // recreated by compose: a deploy
        assertThat(registry.get("lookout.container.restarts").tags("probe", "default/comfy", "container", "c-1")
                .functionCounter().count()).isEqualTo(6.0);
        counts.forget(probe);
        assertThat(registry.find("lookout.container.restarts").functionCounters()).isEmpty();
    }
}
