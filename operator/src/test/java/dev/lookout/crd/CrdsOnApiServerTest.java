package dev.lookout.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.kind.KindDefinition;
import dev.lookout.registry.KindRegistry;
import dev.lookout.reload.ToolProcess;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.CrdApiServer;
import dev.lookout.testing.KubectlTable;
import dev.lookout.testing.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * crds/ and examples/ on a real Kubernetes API server ({@link CrdApiServer}), through kubectl: the schemas are
 * structural and accepted, the examples pass the server's validation, the server fills in defaults and refuses
 * what the schemas forbid, naming the field, and {@code kubectl get} shows the printer columns in order.
 */
class CrdsOnApiServerTest {
    private static CrdApiServer server;

    @BeforeAll
    static void startServerWithTheCrds() {
        server = CrdApiServer.start();
        succeeded(server.kubectl("apply", "-f", CrdsUpToDateTest.CRDS.toString()));
        succeeded(server.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all"));
    }

    @AfterAll
    static void stopServer() {
        Cleanup.quietly(server);
    }

    @Test
    void everyCrdIsStructuralAndEstablished() {
        for (KindDefinition<?> kind : KindRegistry.ALL) {
            String name = crdName(kind);
            Map<String, String> conditions = new HashMap<>();
            json("get", "crd", name).path("status").path("conditions")
                    .forEach(c -> conditions.put(c.path("type").asText(), c.path("status").asText()));
            assertThat(conditions).as("conditions of %s", name)
                    .containsEntry("Established", "True").containsEntry("NamesAccepted", "True")
                    .doesNotContainKey("NonStructuralSchema");
        }
    }

    @Test
    void theExamplesAreAccepted() {
        String applied = applyExamples();

        assertThat(applied).containsPattern("comfyprobe.lookout.dev/comfy (created|unchanged)")
                .containsPattern("gpunode.lookout.dev/gpu-node-01 (created|unchanged)")
                .containsPattern("networkpolicy.lookout.dev/host-pools (created|unchanged)")
                .containsPattern("nginxvtstarget.lookout.dev/edge (created|unchanged)");
        assertThat(json("get", "nginxvtstargets", "edge").path("spec").path("status").path("histogramBuckets"))
                .as("stored as sent").hasSize(9);
    }

    @Test
    void theServerFillsInTheDefaults() {
        succeeded(server.apply("""
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata:
                  name: defaults
                spec:
                  targets: [{url: "https://comfy.example:8188"}]
                  http: {}
                  restarts: {}
                """));

        JsonNode spec = json("get", "comfyprobe", "defaults").path("spec");
        assertThat(spec.path("interval").asText()).isEqualTo("30s");
        assertThat(spec.path("http").path("path").asText()).isEqualTo("/object_info/CheckpointLoaderSimple");
        assertThat(spec.path("http").path("followRedirects").asBoolean()).isTrue();
        assertThat(spec.path("restarts").path("alertAfter").asInt()).isEqualTo(3);
        assertThat(spec.path("restarts").path("window").asText()).isEqualTo("15m");
        assertThat(spec.has("alert")).as("defaults apply inside objects that exist only").isFalse();
    }

    /** Every kind of rule the generated schemas hold (they mark no field required, so there is no such case). */
    static Stream<Arguments> badResources() {
        return Stream.of(
                bad("enum", "ComfyProbe", "spec: {http: {method: PUT}}", "spec.http.method",
                        "Unsupported value: \"PUT\": supported values: \"GET\", \"HEAD\", \"POST\""),
                bad("pattern", "ComfyProbe", "spec: {interval: soon}", "spec.interval", "should match"),
                bad("maximum", "ComfyProbe", "spec: {discover: {docker: {port: 70000}}}",
                        "spec.discover.docker.port", "should be less than or equal to 65535"),
                bad("minimum", "ComfyProbe", "spec: {restarts: {alertAfter: 0}}", "spec.restarts.alertAfter",
                        "should be greater than or equal to 1"),
                bad("range of array items", "ComfyProbe", "spec: {http: {validStatusCodes: [200, 99]}}",
                        "spec.http.validStatusCodes[1]", "should be greater than or equal to 100"),
                bad("type", "ComfyProbe", "spec: {discover: {kubernetes: {port: http}}}",
                        "spec.discover.kubernetes.port", "must be of type integer"),
                bad("unknown field", "ComfyProbe", "spec: {intervall: 30s}", "spec.intervall",
                        "unknown field"),
                bad("exclusiveMinimum", "GpuNode", "spec: {alerts: {powerNearLimitRatio: 0}}",
                        "spec.alerts.powerNearLimitRatio", "should be greater than 0"),
                bad("maximum", "GpuNode", "spec: {alerts: {temperatureCelsius: 151}}",
                        "spec.alerts.temperatureCelsius", "should be less than or equal to 150"),
                bad("enum", "NetworkPolicy", "spec: {action: Delete}", "spec.action",
                        "supported values: \"Recreate\", \"Report\""),
                bad("minItems", "NetworkPolicy", "spec: {allowedPools: []}", "spec.allowedPools",
                        "should have at least 1 items"),
                bad("maximum", "NetworkPolicy", "spec: {allowedPools: [{base: 10.0.0.0/8, size: 31}]}",
                        "spec.allowedPools[0].size", "should be less than or equal to 30"),
                bad("enum", "NginxVtsTarget", "spec: {exporter: {mode: json}}", "spec.exporter.mode",
                        "supported values: \"native\", \"sidecar\""),
                bad("pattern", "NginxVtsTarget", "spec: {image: {vtsVersion: latest}}", "spec.image.vtsVersion",
                        "should match"),
                bad("exclusiveMinimum of array items", "NginxVtsTarget", "spec: {status: {histogramBuckets: [0]}}",
                        "spec.status.histogramBuckets[0]", "should be greater than 0"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badResources")
    void theServerRefusesWhatTheSchemaForbidsNamingTheField(String rule, String kind, String name, String yaml,
                                                           String field, String message) {
        ToolProcess.Result result = server.apply(yaml);

        assertThat(result.exit()).as("kubectl apply of\n%s\nsaid: %s", yaml, result.output()).isNotZero();
        assertThat(result.output()).contains(field).contains(message);
        assertThat(server.kubectl("get", kind.toLowerCase(), name).output()).contains("NotFound");
    }

    /** kubectl get's header and a row of the examples, per plural and short name. */
    static Stream<Arguments> printerColumns() {
        return Stream.of(
                Arguments.of("comfyprobes", List.of("NAME", "READY", "REASON", "TARGETS", "AGE"), "comfy",
                        Map.of()),
                Arguments.of("gpunodes", List.of("NAME", "READY", "REASON", "HOST", "AGE"), "gpu-node-01",
                        Map.of("HOST", "local")),
                Arguments.of("networkpolicies", List.of("NAME", "READY", "REASON", "ACTION", "AGE"), "host-pools",
                        Map.of("ACTION", "Report")),
                Arguments.of("dnp", List.of("NAME", "READY", "REASON", "ACTION", "AGE"), "host-pools",
                        Map.of("ACTION", "Report")),
                Arguments.of("nginxvtstargets", List.of("NAME", "READY", "REASON", "MODE", "AGE"), "edge",
                        Map.of("MODE", "native")));
    }

    @ParameterizedTest(name = "kubectl get {0}")
    @MethodSource("printerColumns")
    void kubectlGetShowsReadyReasonTheKindsColumnsThenAge(String resource, List<String> header, String name,
                                                          Map<String, String> cells) {
        applyExamples();

        KubectlTable table = KubectlTable.parse(succeeded(server.kubectl("get", resource)));

        assertThat(table.header()).isEqualTo(header);
        Map<String, String> row = table.row(name);
        assertThat(row).containsAllEntriesOf(cells);
        assertThat(row.get("AGE")).matches("[0-9]+[smhd].*");
    }

    @Test
    void theReadinessColumnsReadTheReadyCondition() {
        applyExamples();
        succeeded(server.kubectl("patch", "comfyprobe", "comfy", "--subresource=status", "--type=merge", "-p", """
                {"status": {"targetCount": 3, "conditions": [
                  {"type": "Probed", "status": "False", "reason": "Other"},
                  {"type": "Ready", "status": "True", "reason": "Probing",
                   "lastTransitionTime": "2025-06-01T12:00:00Z"}]}}"""));

        Map<String, String> row = KubectlTable.parse(succeeded(server.kubectl("get", "comfyprobes"))).row("comfy");

        assertThat(row).containsEntry("READY", "True").containsEntry("REASON", "Probing")
                .containsEntry("TARGETS", "3");
    }

    private static Arguments bad(String rule, String kind, String spec, String field, String message) {
        String name = ("bad-" + rule + "-" + field).toLowerCase().replaceAll("[^a-z0-9]+", "-")
                .replaceAll("-$", "");
        String yaml = """
                apiVersion: lookout.dev/v1alpha1
                kind: %s
                metadata:
                  name: %s
                %s
                """.formatted(kind, name, spec);
        return Arguments.of(rule, kind, name, yaml, field, message);
    }

    /** kubectl apply of the examples: each test applies them, since JUnit picks the order of the tests. */
    private static String applyExamples() {
        List<String> args = new ArrayList<>(List.of("apply"));
        exampleResources().forEach(f -> args.addAll(List.of("-f", f.toString())));
        return succeeded(server.kubectl(args.toArray(String[]::new)));
    }

    /**
     * The examples that hold Lookout's resources only. examples/ also holds lookout.yaml, the operator's own
     * configuration (not a Kubernetes object), and secrets.yaml, core v1 Secrets, which this server cannot
     * store: it serves custom resources alone.
     */
    static List<Path> exampleResources() {
        try (Stream<Path> files = Files.list(Manifests.EXAMPLES)) {
            List<Path> resources = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(CrdsOnApiServerTest::onlyLookoutResources).sorted().toList();
            assertThat(resources).extracting(f -> f.getFileName().toString())
                    .contains("comfy.yaml", "gpu.yaml", "network.yaml", "nginx.yaml")
                    .doesNotContain("lookout.yaml", "secrets.yaml");
            return resources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean onlyLookoutResources(Path file) {
        try {
            List<String> apiVersions = Files.readAllLines(file).stream().filter(l -> l.startsWith("apiVersion:"))
                    .toList();
            return !apiVersions.isEmpty() && apiVersions.stream().allMatch(l -> l.contains("lookout.dev/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String crdName(KindDefinition<?> kind) {
        return kind.crdFileName().replaceFirst("-v1\\.yml$", "");
    }

    private static JsonNode json(String... getArgs) {
        return server.json(getArgs);
    }

    private static String succeeded(ToolProcess.Result result) {
        return server.succeeded(result);
    }
}
