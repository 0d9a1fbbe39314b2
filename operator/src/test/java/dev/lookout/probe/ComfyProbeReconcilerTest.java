package dev.lookout.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.platform.Instance;
import dev.lookout.prometheus.DiscoveredTarget;
import dev.lookout.testing.FakeInstances;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ComfyProbe's reconciler against the instances seam in memory: no engine. */
class ComfyProbeReconcilerTest {
    static final ObjectKey KEY = new ObjectKey("ComfyProbe", "default", "comfy");
    static final String PROBE = """
            apiVersion: lookout.dev/v1alpha1
            kind: ComfyProbe
            metadata: {name: comfy}
            spec:
              targets: [{url: "http://static:8188"}]
              discover:
                docker: {host: local, labelSelector: {tier: gpu}, port: 8188}
              restarts: {alertAfter: 3, window: 10m}
            """;
    static final List<DiscoveredTarget> BEFORE = List.of(new DiscoveredTarget("http://old-1:8188/x", Map.of("container", "old-1")));

    @TempDir
    Path dir;

    final FakeInstances instances = new FakeInstances();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final RestartCounts restarts = new RestartCounts(meters);
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
    final AtomicReference<List<DiscoveredTarget>> before = new AtomicReference<>(BEFORE);
    final ComfyProbeReconciler reconciler = new ComfyProbeReconciler(instances, restarts, null, key -> before.get(), clock);

    ComfyProbe probe(String yaml) {
        return (ComfyProbe) Manifests.load(dir, yaml).resources().get(0).resource();
    }

    static Instance comfy(String name, String address, int restarts) {
        return new Instance("id-" + name, name, "running", restarts, Instant.EPOCH, address,
                address == null ? "is on elsewhere, not on dnet1" : null, Map.of("container", name, "tier", "gpu"));
    }

    @Test
    void theInstancesFoundAreTargetsAndCountedForRestarts() {
        instances.put("local", comfy("b-1", "b-1", 0), comfy("a-1", "a-1", 2), new Instance("x", "cpu-1", "running", 0,
                Instant.EPOCH, "cpu-1", null, Map.of("container", "cpu-1", "tier", "cpu")));
        ReconcileResult result = reconciler.reconcile(probe(PROBE), KEY);
        assertThat(result.discovered()).extracting(DiscoveredTarget::target)
                .containsExactly("http://a-1:8188/object_info/CheckpointLoaderSimple", "http://b-1:8188/object_info/CheckpointLoaderSimple");
        assertThat(result.blocked()).isNull();
        ComfyProbeStatus status = (ComfyProbeStatus) result.status();
        assertThat(status.getTargetCount()).isEqualTo(3);
        assertThat(status.getTargets()).extracting(ComfyProbeStatus.ProbeTargetStatus::container).containsExactly(null, "a-1", "b-1");
        assertThat(restarts.count(KEY, "a-1")).isEqualTo(2);
        assertThat(instances.watches(KEY)).as("the platform requeues it when they change").isTrue();
    }

    @Test
    void aContainerThatMerelyRestartsStaysATargetAndOneThatStaysStoppedIsDroppedAfterTheGrace() {
        instances.put("local", comfy("a-1", "a-1", 0));
        ReconcileResult running = reconciler.reconcile(probe(PROBE), KEY);
        before.set(running.discovered());
        assertThat(running.requeueAfter()).as("nothing to look at again").isNull();

        // docker restart: the die event finds it exited
        instances.put("local", new Instance("id-a-1", "a-1", "exited", 0, Instant.EPOCH, null, null, Map.of("container", "a-1", "tier", "gpu")));
        ReconcileResult stopped = reconciler.reconcile(probe(PROBE), KEY);
        assertThat(stopped.discovered()).as("kept while it restarts").isEqualTo(running.discovered());
        assertThat(stopped.requeueAfter()).isEqualTo(RestartGrace.GRACE);

        clock.advance(Duration.ofSeconds(4));
        ReconcileResult still = reconciler.reconcile(probe(PROBE), KEY);
        assertThat(still.discovered()).isEqualTo(running.discovered());
        assertThat(still.requeueAfter()).as("the grace counts from the first look at it stopped").isEqualTo(RestartGrace.GRACE.minusSeconds(4));

        clock.advance(RestartGrace.GRACE);
        ReconcileResult gone = reconciler.reconcile(probe(PROBE), KEY);
        assertThat(gone.discovered()).as("stopped for longer than the grace: someone stopped it").isEmpty();
        assertThat(gone.requeueAfter()).isNull();
    }

    @Test
    void aStoppedContainerThatWasNeverATargetIsNotMadeOne() {
        before.set(List.of());
        instances.put("local", new Instance("id-a-1", "a-1", "exited", 0, Instant.EPOCH, null, null, Map.of("container", "a-1", "tier", "gpu")));
        ReconcileResult result = reconciler.reconcile(probe(PROBE), KEY);
        assertThat(result.discovered()).isEmpty();
        assertThat(result.requeueAfter()).isNull();
    }

    @Test
    void reconcilingAgainGivesTheSameResult() {
        instances.put("local", comfy("a-1", "a-1", 0));
        ReconcileResult first = reconciler.reconcile(probe(PROBE), KEY);
        ReconcileResult second = reconciler.reconcile(probe(PROBE), KEY);
        assertThat(second.discovered()).isEqualTo(first.discovered());
        assertThat(second.statusFields()).isEqualTo(first.statusFields());
        assertThat(restarts.count(KEY, "a-1")).isZero();
    }

    @Test
    void anInstancePrometheusCannotReachBlocksItWithThePlatformsReason() {
        instances.put("local", comfy("a-1", "a-1", 0), comfy("lonely-1", null, 0));
        ReconcileResult result = reconciler.reconcile(probe(PROBE), KEY);
        assertThat(result.discovered()).hasSize(1);
        assertThat(result.blocked().reason()).isEqualTo("TargetsUnreachable");
        assertThat(result.blocked().message()).isEqualTo("lonely-1 is on elsewhere, not on dnet1. put them where Prometheus reaches them.");
    }

    @Test
    void aHostThatIsDownKeepsTheTargetsFoundBefore() {
        instances.down("local", true);
        ReconcileResult result = reconciler.reconcile(probe(PROBE), KEY);
        assertThat(result.discovered()).as("null keeps what the engine has").isNull();
        assertThat(result.blocked().reason()).isEqualTo("DockerUnavailable");
        assertThat(result.blocked().message()).endsWith("The targets found before stay in Prometheus.");
        assertThat(((ComfyProbeStatus) result.status()).getTargets()).extracting(ComfyProbeStatus.ProbeTargetStatus::container)
                .containsExactly(null, "old-1");
    }

    @Test
    void withoutDiscoveryOnlyTheStaticTargetsAndNoSubscription() {
        reconciler.reconcile(probe(PROBE), KEY);
        ReconcileResult result = reconciler.reconcile(probe("""
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata: {name: comfy}
                spec:
                  targets: [{url: "http://static:8188"}]
                """), KEY);
        assertThat(instances.watches(KEY)).isFalse();
        assertThat(((ComfyProbeStatus) result.status()).getTargetCount()).isEqualTo(1);
    }

    @Test
    void cleanupForgetsTheSubscriptionAndTheRestartSeries() {
        instances.put("local", comfy("a-1", "a-1", 1));
        reconciler.reconcile(probe(PROBE), KEY);
        reconciler.cleanup(KEY);
        assertThat(instances.watches(KEY)).isFalse();
        assertThat(meters.find("lookout.container.restarts").functionCounters()).isEmpty();
    }
}
