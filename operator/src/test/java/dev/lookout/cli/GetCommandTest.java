package dev.lookout.cli;

import static dev.lookout.testing.StatusObjects.resource;
import static dev.lookout.testing.StatusObjects.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lookout.http.OperatorHttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GetCommandTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static PrometheusMeterRegistry registry;
    private static OperatorHttpServer server;
    private static String url;

    private record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws IOException {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var resources = List.of(
                with(resource("ComfyProbe", "default", "comfy", NOW.minus(Duration.ofHours(3)), "True", "AllTargetsUp"),
                        "status.targetCount", 5),
                resource("ComfyProbe", "default", "a-first", NOW.minusSeconds(45), null, null),
                with(resource("ComfyProbe", "team-b", "comfy", NOW.minus(Duration.ofHours(98)), "False", "TargetsDown"),
                        "status.targetCount", 2),
                with(resource("GpuNode", "default", "gpu-node-01", NOW.minus(Duration.ofMinutes(200)), "True", "MetricsFlowing"),
                        "spec.host", "gpu-01"));
        server = new OperatorHttpServer(new InetSocketAddress("127.0.0.1", 0), registry, () -> resources, List::of, List::of);
        server.start();
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
    }

    private static Run lookout(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LookoutCommand.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == GetCommand.class ? type.cast(new GetCommand(CLOCK)) : CommandLine.defaultFactory().create(type);
            }
        });
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run get(String... args) {
        List<String> all = new ArrayList<>(List.of("get"));
        all.addAll(List.of(args));
        all.addAll(List.of("--server", url));
        return lookout(all.toArray(String[]::new));
    }

    @Test
    void tableShowsNameReadyReasonTheKindsColumnsAndAgeLast() {
        Run run = get("comfyprobes");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("""
                NAME      READY   REASON         TARGETS   AGE
                a-first                                    45s
                comfy     True    AllTargetsUp   5         3h
                """);
    }

    @Test
    void allNamespacesAddsTheNamespaceColumnFirst() {
        Run run = get("ComfyProbe", "-A");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("""
                NAMESPACE   NAME      READY   REASON         TARGETS   AGE
                default     a-first                                    45s
                default     comfy     True    AllTargetsUp   5         3h
                team-b      comfy     False   TargetsDown    2         4d2h
                """);
    }

    @Test
    void namespaceAndNameSelect() {
        assertThat(get("comfyprobe", "-n", "team-b").out()).isEqualTo("""
                NAME    READY   REASON        TARGETS   AGE
                comfy   False   TargetsDown   2         4d2h
                """);
        assertThat(get("gpunodes", "gpu-node-01").out()).isEqualTo("""
                NAME          READY   REASON           HOST     AGE
                gpu-node-01   True    MetricsFlowing   gpu-01   3h20m
                """);
    }

    @Test
    void jsonPrintsAKubectlListOrTheOneObject() throws Exception {
        Run list = get("comfyprobes", "-o", "json");
        assertThat(list.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(list.out());
        assertThat(json.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(json.get("kind").asText()).isEqualTo("List");
        assertThat(json.get("items")).extracting(i -> i.at("/metadata/name").asText()).containsExactly("a-first", "comfy");

        JsonNode one = new ObjectMapper().readTree(get("comfyprobes", "comfy", "-n", "team-b", "-o", "json").out());
        assertThat(one.get("kind").asText()).isEqualTo("ComfyProbe");
        assertThat(one.at("/status/targetCount").asInt()).isEqualTo(2);
    }

    @Test
    void yamlPrintsTheObjectAsKubectlDoes() throws Exception {
        Run run = get("gpunode", "gpu-node-01", "-o", "yaml");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("apiVersion: lookout.dev/v1alpha1\nkind: GpuNode\nmetadata:\n  name: gpu-node-01\n");
        assertThat(new YAMLMapper().readTree(run.out()).at("/spec/host").asText()).isEqualTo("gpu-01");
        assertThat(get("gpunodes", "-o", "yaml").out()).startsWith("apiVersion: v1\nitems:\n  - apiVersion: lookout.dev/v1alpha1\n");
    }

    @Test
    void aMissingNameIsAKubectlStyleNotFound() {
        Run run = get("comfyprobes", "nope");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("Error from server (NotFound): comfyprobes \"nope\" not found\n");
        assertThat(get("comfyprobes", "nope", "-A").err()).isEqualTo("Error from server (NotFound): comfyprobes \"nope\" not found\n");
    }

    @Test
    void noResourcesSaysSoAndExitsZero() {
        Run run = get("dnp");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("No resources found in default namespace.\n");
        assertThat(get("nginxvtstargets", "-A").err()).isEqualTo("No resources found\n");
    }

    @Test
    void anUnknownKindListsTheKnownKinds() {
        Run run = get("probes");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: unknown kind \"probes\" (known: comfyprobes, gpunodes, networkpolicies (dnp), nginxvtstargets)\n");
    }

    @Test
    void anUnreachableOperatorSaysWhereAndHowToPointAtIt() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String at = "http://127.0.0.1:" + closed;
        Run run = lookout("get", "comfyprobes", "--server", at);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("cannot reach the Lookout operator at " + at
                + ": connection refused (is `lookout run` running? --server sets the address)\n");
    }

    @Test
    void aServerThatIsNotAUrlIsRefusedBeforeAnyRequest() {
        Run run = lookout("get", "comfyprobes", "--server", "127.0.0.1:8080");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: --server must be an http:// or https:// URL such as http://127.0.0.1:8080, not \"127.0.0.1:8080\"\n");
    }

    @Test
    void namespaceAndAllNamespacesExcludeEachOther() {
        Run run = get("comfyprobes", "-n", "x", "-A");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("mutually exclusive");
    }
}
