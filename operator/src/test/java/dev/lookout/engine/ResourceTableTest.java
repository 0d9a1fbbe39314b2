package dev.lookout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.Condition;
import dev.lookout.api.ObjectKey;
import dev.lookout.directory.SnapshotBuilder;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.manifest.YamlDocumentReader;
import dev.lookout.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceTableTest {
    static final String PROBE = """
            apiVersion: lookout.dev/v1alpha1
            kind: ComfyProbe
            metadata:
              name: comfy
            spec:
              targets:
                - url: http://comfy:8188
              interval: 30s
            """;
    static final ObjectKey KEY = new ObjectKey("ComfyProbe", "default", "comfy");
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    final ObjectMapper mapper = new ObjectMapper();
    final ResourceTable table = new ResourceTable();

    @TempDir
    Path dir;

    private Set<ObjectKey> sync() {
        return table.apply(snapshot(dir), NOW);
    }

    static SourceSnapshot snapshot(Path dir) {
        Map<Path, YamlDocumentReader.Result> reads = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".yaml")).forEach(f -> reads.put(f, new YamlDocumentReader().read(f)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new SnapshotBuilder().build(reads, NOW);
    }

    private ObjectNode object() {
        return table.objects(mapper).stream().filter(o -> o.path("metadata").path("name").asText().equals(KEY.name()))
                .findFirst().orElseThrow();
    }

    private Condition ready() {
        return mapper.convertValue(object().path("status").path("conditions").get(0), Condition.class);
    }

    private void applyAll() {
        table.applied(table.renderSet(), NOW);
    }

    @Test
    void aNewResourceIsGenerationOneAndReadyOnceApplied() {
        Manifests.write(dir, "comfy.yaml", PROBE);
        assertThat(sync()).containsExactly(KEY);
        assertThat(ready().status()).isEqualTo("Unknown");
        RenderSet set = table.renderSet();
        assertThat(set.entries()).singleElement().satisfies(e -> {
            assertThat(e.newest()).isTrue();
            assertThat(e.pending()).isTrue();
        });
        table.applied(set, NOW);
        assertThat(ready().status()).as("outputs live, reconcile not finished").isEqualTo("Unknown");
        table.reconciled(KEY, 1, ReconcileResult.status(null), NOW);
        table.applied(table.renderSet(), NOW); // the cycle that follows every reconcile
        assertThat(ready().status()).isEqualTo("True");
        assertThat(object().path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(object().path("status").path("observedGeneration").asLong()).isEqualTo(1);
        assertThat(object().path("metadata").path("annotations").path("lookout.dev/source").asText()).endsWith("comfy.yaml:1");
        assertThat(table.awaitingApply()).isEmpty();
        assertThat(table.count("ComfyProbe", true)).isEqualTo(1);
        assertThat(table.count("ComfyProbe", false)).isZero();
    }

    @Test
    void reformattingIsNotANewGeneration() {
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        applyAll();
        Manifests.write(dir, "comfy.yaml", "# a comment\n" + PROBE.replace("  interval: 30s\n", "").replace("spec:\n", "spec:\n  interval: \"30s\"\n"));
        assertThat(sync()).isEmpty();
        assertThat(object().path("metadata").path("generation").asLong()).isEqualTo(1);
    }

    @Test
    void anInvalidEditKeepsTheLastGoodVersionRenderedAndSaysWhy() {
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        applyAll();
        Manifests.write(dir, "comfy.yaml", PROBE.replace("30s", "30 seconds"));
        assertThat(sync()).containsExactly(KEY);
        assertThat(ready().status()).isEqualTo("False");
        assertThat(ready().reason()).isEqualTo("InvalidSpec");
        assertThat(ready().message()).contains("comfy.yaml:8", "spec.interval", "the last good version stays in Prometheus");
        assertThat(object().path("metadata").path("generation").asLong()).isEqualTo(2);
        assertThat(object().path("status").path("observedGeneration").asLong()).isEqualTo(1);
        RenderSet set = table.renderSet();
        assertThat(set.entries()).singleElement().satisfies(e -> {
            assertThat(e.newest()).isFalse();
            assertThat(e.pending()).isFalse();
        });
        assertThat(table.work(KEY)).isInstanceOf(ResourceTable.Work.Skip.class);
    }

    @Test
    void aFileThatNoLongerParsesKeepsItsResources() {
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        applyAll();
        Manifests.write(dir, "comfy.yaml", PROBE + "  timeout: [unclosed\n");
        assertThat(sync()).containsExactly(KEY);
        assertThat(ready().reason()).isEqualTo("InvalidSpec");
        assertThat(table.renderSet().entries()).hasSize(1);
    }

    @Test
    void aDeletedFileDeletesItsResources() throws IOException {
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        applyAll();
        Files.delete(dir.resolve("comfy.yaml"));
        assertThat(sync()).containsExactly(KEY);
        assertThat(table.size()).isZero();
        assertThat(table.work(KEY)).isInstanceOf(ResourceTable.Work.Cleanup.class);
        assertThat(table.renderSet().entries()).isEmpty();
    }

    @Test
    void aRefusedVersionIsReplacedByTheLastGoodOneUntilTheContentChanges() {
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        applyAll();
        Manifests.write(dir, "comfy.yaml", PROBE.replace("30s", "45s"));
        sync();
        assertThat(table.awaitingApply()).containsExactly(KEY);
        table.rejected(Set.of(KEY), "ReloadRejected", "prometheus rejected the new configuration: bad", NOW);
        assertThat(ready().reason()).isEqualTo("ReloadRejected");
        assertThat(table.renderSet().entries()).singleElement().satisfies(e -> assertThat(e.newest()).isFalse());
        assertThat(table.awaitingApply()).isEmpty();
        Manifests.write(dir, "comfy.yaml", PROBE.replace("30s", "40s"));
        sync();
        assertThat(table.renderSet().entries()).singleElement().satisfies(e -> assertThat(e.pending()).isTrue());
    }

    @Test
    void stateSurvivesARestartWithGenerationTransitionTimeAndLastGoodVersion() {
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        applyAll();
        List<PersistedResource> saved = table.export(mapper);

        ResourceTable restarted = new ResourceTable();
        restarted.restore(saved, mapper);
        Manifests.write(dir, "comfy.yaml", "kind: [broken\n");
        restarted.apply(snapshot(dir), NOW.plusSeconds(60));
        RenderSet set = restarted.renderSet();
        assertThat(set.entries()).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo(KEY);
            assertThat(e.newest()).isFalse(); // the last good version, restored from the state folder
        });
        ObjectNode o = restarted.objects(mapper).get(0);
        assertThat(o.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(o.path("metadata").path("creationTimestamp").asText()).isEqualTo("2026-11-24T10:00:00Z");
        assertThat(o.path("status").path("conditions").get(0).path("lastTransitionTime").asText()).isEqualTo("2026-11-24T10:01:00Z");
    }

    @Test
    void aBlockedResourceStaysNotReadyWhileItsOutputsAreLiveAndRecoversWhenUnblocked() {
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        assertThat(table.reconciled(KEY, 1, ReconcileResult.status(null).blocked("DockerUnavailable", "host local does not answer"), NOW))
                .isNotNull(); // new: the engine says it once
        assertThat(table.reconciled(KEY, 1, ReconcileResult.status(null).blocked("DockerUnavailable", "host local does not answer"), NOW))
                .isNull();
        table.pending(table.renderSet(), "PrometheusUnreachable", "prometheus did not answer", NOW);
        assertThat(ready().reason()).isEqualTo("DockerUnavailable"); // what blocks it says more than the reload
        applyAll();
        assertThat(ready().status()).isEqualTo("False");
        assertThat(ready().reason()).isEqualTo("DockerUnavailable");
        table.reconciled(KEY, 1, ReconcileResult.status(null), NOW.plusSeconds(5));
        applyAll();
        assertThat(ready().status()).isEqualTo("True");
    }

    @Test
    void liveOutputsAloneDoNotMakeAResourceReadyBeforeItsReconcileFinishes() {
        // A GpuNode whose reconciler is still pulling the exporter image or starting its container: its scrape
        // job may already be in Prometheus, but Ready means the metrics flow, which nobody has checked yet.
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        applyAll();
        assertThat(ready().status()).isEqualTo("Unknown");
        assertThat(ready().reason()).isEqualTo("Pending");
        assertThat(table.count("ComfyProbe", true)).isZero();
        table.reconciled(KEY, 1, ReconcileResult.status(null), NOW.plusSeconds(1));
        applyAll();
        assertThat(ready().status()).isEqualTo("True");

        // A new generation waits for its own reconcile too (the old one's Ready stands meanwhile).
        Manifests.write(dir, "comfy.yaml", PROBE.replace("interval: 30s", "interval: 20s"));
        sync();
        applyAll();
        table.reconciled(KEY, 2, ReconcileResult.status(null).blocked("DockerUnavailable", "host local does not answer"),
                NOW.plusSeconds(2));
        applyAll();
        assertThat(ready().status()).isEqualTo("False");
        assertThat(ready().reason()).isEqualTo("DockerUnavailable");
    }

    @Test
    void aBlockedResourceStillSaysWhyOnceAnUnreachablePrometheusAnswersAgain() {
        // A platform refusal is said once (no requeue: NoGpuRuntime is not retried in a loop), so the condition
        // must not lose it to a passing output problem.
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        table.reconciled(KEY, 1, ReconcileResult.status(null).blocked("NoGpuRuntime", "no runtime named nvidia"), NOW);
        table.pending(table.renderSet(), "PrometheusUnreachable", "Prometheus does not answer", NOW.plusSeconds(1));
        assertThat(ready().status()).isEqualTo("False");
        assertThat(ready().reason()).isEqualTo("NoGpuRuntime");
        applyAll();
        assertThat(ready().status()).isEqualTo("False");
        assertThat(ready().reason()).isEqualTo("NoGpuRuntime");
        assertThat(ready().message()).isEqualTo("no runtime named nvidia");
    }

    @Test
    void aFailedReconcileHoldsAgainstLaterCyclesUntilARetryFinishes() {
        // Blocked first (its host had not answered yet), then the host answers and refuses: the refusal is the
        // status, and the cycles other resources cause must neither bring the old reason back nor call it Ready.
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        table.reconciled(KEY, 1, ReconcileResult.status(null).blocked("DockerUnavailable", "host local does not answer"), NOW);
        applyAll();
        table.reconcileFailed(KEY, "start refused (500): could not select device driver", NOW.plusSeconds(1));
        applyAll();
        assertThat(ready().status()).isEqualTo("False");
        assertThat(ready().reason()).isEqualTo("ReconcileFailed");
        assertThat(ready().message()).contains("could not select device driver");
        table.pending(table.renderSet(), "PrometheusUnreachable", "Prometheus does not answer", NOW.plusSeconds(2));
        assertThat(ready().reason()).isEqualTo("ReconcileFailed");

        // A Ready resource whose reconcile now fails is not Ready on the next cycle either.
        table.reconciled(KEY, 1, ReconcileResult.status(null), NOW.plusSeconds(3));
        applyAll();
        assertThat(ready().status()).isEqualTo("True");
        table.reconcileFailed(KEY, "inspect timed out", NOW.plusSeconds(4));
        applyAll();
        assertThat(ready().status()).isEqualTo("False");
        assertThat(ready().reason()).isEqualTo("ReconcileFailed");

        // A retry that finishes clears it: Unknown until the next cycle confirms, then Ready.
        assertThat(table.reconciled(KEY, 1, ReconcileResult.status(null), NOW.plusSeconds(5))).isNull();
        assertThat(ready().status()).isEqualTo("Unknown");
        applyAll();
        assertThat(ready().status()).isEqualTo("True");
    }

    @Test
    void discoveredTargetsAreRenderedKeptWhenThePlatformCannotLookAndSurviveARestart() {
        Manifests.write(dir, "comfy.yaml", PROBE);
        sync();
        List<dev.lookout.prometheus.DiscoveredTarget> found = List.of(
                new dev.lookout.prometheus.DiscoveredTarget("http://comfy-1:8188/", Map.of("container", "comfy-1")));
        table.reconciled(KEY, 1, ReconcileResult.status(null).discovered(found), NOW);
        assertThat(table.renderSet().discovered()).containsEntry(KEY, found);
        table.reconciled(KEY, 1, new ReconcileResult(null, null, null, null), NOW); // host down: keep them
        assertThat(table.renderSet().discovered()).containsEntry(KEY, found);

        ResourceTable restarted = new ResourceTable();
        restarted.restore(table.export(mapper), mapper);
        restarted.apply(snapshot(dir), NOW.plusSeconds(60));
        assertThat(restarted.renderSet().discovered()).containsEntry(KEY, found);
        restarted.reconciled(KEY, 1, ReconcileResult.status(null).discovered(List.of()), NOW.plusSeconds(61));
        assertThat(restarted.renderSet().discovered()).isEmpty();
    }

    @Test
    void theResourcesThatMayReadAFileAreThoseWhoseManifestIsAboveIt() throws IOException {
        Manifests.write(dir, "comfy.yaml", PROBE);
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Manifests.write(sub, "other.yaml", PROBE.replace("name: comfy", "name: other"));
        table.apply(new SnapshotBuilder().build(java.util.Map.of(dir.resolve("comfy.yaml"), new YamlDocumentReader().read(
                dir.resolve("comfy.yaml")), sub.resolve("other.yaml"), new YamlDocumentReader().read(sub.resolve("other.yaml"))), NOW), NOW);
        assertThat(table.manifestsAbove(sub.resolve("include.conf")))
                .containsExactlyInAnyOrder(KEY, new ObjectKey("ComfyProbe", "default", "other"));
        assertThat(table.manifestsAbove(dir.resolve("include.conf"))).containsExactly(KEY);
        assertThat(table.manifestsAbove(dir.getParent().resolve("elsewhere.conf"))).isEmpty();
    }

    static String secret(String name, String password) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: %s}
                stringData: {password: %s}
                """.formatted(name, password);
    }

    static String probeReading(String name, String secret) {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata: {name: %s}
                spec:
                  targets: [{url: "http://comfy:8188"}]
                  http:
                    basicAuth: {username: admin, passwordSecretRef: {name: %s, key: password}}
                """.formatted(name, secret);
    }

    @Test
    void aChangedSecretRequeuesExactlyTheResourcesThatReadIt() {
        Manifests.write(dir, "secrets.yaml", secret("pass-a", "one") + "---\n" + secret("pass-b", "two"));
        Manifests.write(dir, "a.yaml", probeReading("reads-a", "pass-a"));
        Manifests.write(dir, "b.yaml", probeReading("reads-b", "pass-b"));
        Manifests.write(dir, "comfy.yaml", PROBE);
        assertThat(sync()).hasSize(3);
        assertThat(sync()).as("nothing changed").isEmpty();

        Manifests.write(dir, "secrets.yaml", secret("pass-a", "one-changed") + "---\n" + secret("pass-b", "two"));
        assertThat(sync()).containsExactly(new ObjectKey("ComfyProbe", "default", "reads-a"));

        // The same values written differently (data instead of stringData) are no change.
        Manifests.write(dir, "secrets.yaml", secret("pass-a", "one-changed") + "---\n" + """
                apiVersion: v1
                kind: Secret
                metadata: {name: pass-b}
                data: {password: dHdv}
                """);
        assertThat(sync()).isEmpty();
        assertThat(table.renderSet().entries()).extracting(RenderSet.Entry::key).hasSize(3);
    }
}
