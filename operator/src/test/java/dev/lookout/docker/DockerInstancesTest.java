package dev.lookout.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.platform.Instance;
import dev.lookout.platform.InstanceQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerInstancesTest {
    static ContainerInfo container(String name, String project, String state, String... networks) {
        Map<String, String> nets = new java.util.HashMap<>();
        for (String n : networks) {
            nets.put(n, "10.0.0.9");
        }
        return new ContainerInfo("id-" + name, name, "comfy", Map.of(DockerInstances.COMPOSE_PROJECT, project,
                DockerInstances.COMPOSE_SERVICE, "comfy", "tier", "gpu"), state, 3, nets, Instant.EPOCH);
    }

    @Test
    void aQueryMatchesEveryLabelAndOneOfTheComposeProjects() {
        InstanceQuery projects = new InstanceQuery("local", Map.of(), List.of("flux", "hidream"));
        assertThat(DockerInstances.matches(projects, container("flux-comfy-1", "flux", "running"))).isTrue();
        assertThat(DockerInstances.matches(projects, container("other-1", "other", "running"))).isFalse();
        assertThat(DockerInstances.matches(projects, new ContainerInfo("x", "not-compose", "i", Map.of(), "running", 0,
                Map.of(), null))).isFalse();
        InstanceQuery labels = new InstanceQuery("local", Map.of("tier", "gpu"), List.of());
        assertThat(DockerInstances.matches(labels, container("other-1", "other", "running"))).isTrue();
        assertThat(DockerInstances.matches(new InstanceQuery("local", Map.of("tier", "cpu"), List.of()),
                container("other-1", "other", "running"))).isFalse();
    }

    @Test
    void aContainerOnTheSharedNetworkIsReachedByName() {
        Instance i = DockerInstances.instance(container("flux-comfy-1", "flux", "restarting", "dnet1", "flux_default"), "dnet1");
        assertThat(i.address()).isEqualTo("flux-comfy-1");
        assertThat(i.unreachable()).isNull();
        assertThat(i.state()).isEqualTo("restarting");
        assertThat(i.restartCount()).isEqualTo(3);
        assertThat(i.targetLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "container", "flux-comfy-1", "compose_project", "flux", "compose_service", "comfy"));
    }

    @Test
    void aContainerOffTheSharedNetworkSaysWhereItIsAndWhatToAdd() {
        Instance i = DockerInstances.instance(container("lonely-1", "p", "running", "p_default"), "dnet1");
        assertThat(i.address()).isNull();
        assertThat(i.unreachable()).isEqualTo("is on p_default, not on dnet1");
    }
}
