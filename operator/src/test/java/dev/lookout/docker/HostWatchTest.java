package dev.lookout.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostWatchTest {
    static final ObjectKey GPU = new ObjectKey("GpuNode", "default", "gpu1");
    static final ObjectKey PROBE = new ObjectKey("ComfyProbe", "default", "comfy");
    static final ObjectKey ELSEWHERE = new ObjectKey("ComfyProbe", "default", "other-host");

    final HostWatch watch = new HostWatch();
    final List<ObjectKey> queued = new ArrayList<>();
    final List<ObjectKey> queuedNow = new ArrayList<>();

    static ContainerInfo container(String name, Map<String, String> labels, String state) {
        return new ContainerInfo("id-" + name, name, "img", labels, state, 0, Map.of("monitoring", "172.18.0.2"),
                Instant.EPOCH);
    }

    static final ContainerInfo EXPORTER = container("lookout-dcgm-exporter-default_gpu1",
            Ownership.ownedBy("lookout", GPU), "running");
    static final ContainerInfo COMFY = container("comfy-1", Map.of("com.docker.compose.project", "comfy"), "running");
    static final ContainerInfo UNRELATED = container("redis-1", Map.of("com.docker.compose.project", "cache"), "running");

    @BeforeEach
    void wire() {
        watch.onChange(queued::add, queuedNow::add);
        watch.watch("gpu-host", GPU, c -> c.name().equals(EXPORTER.name())
                || c.labels().entrySet().containsAll(Ownership.ownedBy("lookout", GPU).entrySet()));
        watch.watch("gpu-host", PROBE, c -> "comfy".equals(c.label("com.docker.compose.project")));
        watch.watch("other", ELSEWHERE, c -> true);
    }

    @Test
    void aContainerEventQueuesOnlyTheResourcesItConcerns() {
        watch.containerChanged("gpu-host", new ContainerUpdate(COMFY.id(), "start", null, COMFY));
        assertThat(queued).containsExactly(PROBE);

        queued.clear();
        watch.containerChanged("gpu-host", new ContainerUpdate(EXPORTER.id(), "die", EXPORTER,
                container(EXPORTER.name(), EXPORTER.labels(), "exited")));
        assertThat(queued).containsExactly(GPU);

        queued.clear();
        watch.containerChanged("gpu-host", new ContainerUpdate(UNRELATED.id(), "start", null, UNRELATED));
        assertThat(queued).as("a container nobody watches on that host").isEmpty();
        assertThat(queuedNow).isEmpty();
    }

    @Test
    void aContainerLeavingTheWatchedSetConcernsItsWatcherToo() {
        // A foreign container holding the exporter's name is renamed away: the GpuNode can now create its own.
        ContainerInfo squatter = container(EXPORTER.name(), Map.of(), "running");
        ContainerInfo renamed = container("moved-aside", Map.of(), "running");
        watch.containerChanged("gpu-host", new ContainerUpdate(squatter.id(), "rename", squatter, renamed));
        assertThat(queued).containsExactly(GPU);

        queued.clear();
        watch.containerChanged("gpu-host", new ContainerUpdate(COMFY.id(), "destroy", COMFY, null));
        assertThat(queued).containsExactly(PROBE);
    }

    @Test
    void aContainerNobodySawQueuesEveryResourceOnItsHost() {
        // Created and removed between two looks: whom it concerned cannot be told, so all are asked again.
        watch.containerChanged("gpu-host", new ContainerUpdate("gone", "destroy", null, null));
        assertThat(queued).containsExactlyInAnyOrder(GPU, PROBE);
    }

    @Test
    void aResyncOrOutageQueuesEveryResourceOnThatHostAtOnce() {
        watch.resynced("gpu-host");
        assertThat(queuedNow).containsExactly(PROBE, GPU);
        queuedNow.clear();
        watch.hostDown("other", "connection refused");
        assertThat(queuedNow).containsExactly(ELSEWHERE);
        assertThat(queued).isEmpty();
    }

    @Test
    void anUnwatchedResourceHearsNothing() {
        watch.unwatch(PROBE);
        watch.containerChanged("gpu-host", new ContainerUpdate(COMFY.id(), "start", null, COMFY));
        watch.resynced("gpu-host");
        assertThat(queued).isEmpty();
        assertThat(queuedNow).containsExactly(GPU);
    }
}
