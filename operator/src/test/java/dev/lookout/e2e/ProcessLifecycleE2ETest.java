package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lookout.testing.Manifests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator as a process: SIGKILL in the middle of writes, SIGTERM, restart. No Prometheus is needed here. */
class ProcessLifecycleE2ETest {
    static final int RESOURCES = 300;
    static final Duration START = Duration.ofSeconds(30);
    final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    private String[] args() throws IOException {
        Path config = tmp.resolve("lookout.yaml");
        // Nothing listens on port 1: outputs are still written, the reload is owed and retried.
        Files.writeString(config, "prometheus:\n  url: http://127.0.0.1:1\nblackbox:\n  url: http://127.0.0.1:1\n");
        return new String[] {"--watch", tmp.resolve("resources").toString(), "--out", tmp.resolve("out").toString(),
                "--state", tmp.resolve("state").toString(), "--listen", "127.0.0.1:0", "--config", config.toString()};
    }

    private void writeAll(int round) {
        for (int i = 0; i < RESOURCES; i++) {
            Manifests.write(tmp.resolve("resources"), "p" + i + ".yaml", """
                    apiVersion: lookout.dev/v1alpha1
                    kind: ComfyProbe
                    metadata:
                      name: p%d
                    spec:
                      targets:
                        - url: http://comfy-%d.example:8188/object_info/CheckpointLoaderSimple
                          labels: {round: "r%d", padding: "%s"}
                      interval: %ds
                    """.formatted(i, i, round, "x".repeat(2000), 10 + round));
        }
    }

    /** Waits (bounded) for a scrape and a rule file per resource, and no temp file left. */
    private void awaitOutputs() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline && (!Files.isDirectory(tmp.resolve("out/prometheus"))
                || visibleOutputs().size() != 2 * RESOURCES || !tempFiles().isEmpty())) {
            Thread.sleep(50);
        }
    }

    private List<Path> tempFiles() throws IOException {
        return outputs(f -> f.getFileName().toString().contains(".lookout-tmp-"));
    }

    private List<Path> visibleOutputs() throws IOException {
        return outputs(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".yml"));
    }

    /** The files under out/prometheus; a temp file renamed away mid-walk just means "walk again". */
    private List<Path> outputs(java.util.function.Predicate<Path> filter) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> files = Files.walk(tmp.resolve("out/prometheus"))) {
                return files.filter(filter).sorted().toList();
            } catch (java.io.UncheckedIOException e) {
                if (attempt == 20) {
                    throw e.getCause();
                }
            }
        }
    }

    @Test
    void killMinusNineDuringWritesNeverLeavesAPartialFileVisible() throws Exception {
        Files.createDirectories(tmp.resolve("resources"));
        writeAll(0);
        Random random = new Random(42);
        for (int round = 1; round <= 5; round++) {
            try (LookoutProcess lookout = LookoutProcess.start(tmp.resolve("lookout-" + round + ".log"), args())) {
                lookout.awaitPort(START);
                awaitOutputs(); // the first complete set, so every round kills a writer that is replacing files
                int r = round;
                AtomicBoolean stop = new AtomicBoolean();
                Thread editor = new Thread(() -> {
                    for (int pass = 0; pass < 20 && !stop.get(); pass++) {
                        writeAll(r * 100 + pass);
                    }
                });
                editor.start();
                Thread.sleep(200 + random.nextInt(600));
                lookout.kill9();
                stop.set(true);
                editor.join(30_000);
                List<Path> outputs = visibleOutputs();
                assertThat(outputs).as("round %d: outputs exist", round).isNotEmpty();
                for (Path f : outputs) {
                    JsonNode doc = yaml.readTree(f.toFile()); // a torn file would not parse, or miss its tail
                    String stem = f.getFileName().toString().replace(".yml", "");
                    if (f.getParent().endsWith("scrape")) {
                        assertThat(doc.path("scrape_configs").get(0).path("job_name").asText()).as(f.toString())
                                .isEqualTo("lookout/comfyprobe/default/" + stem.substring(stem.lastIndexOf('.') + 1));
                        assertThat(doc.path("scrape_configs").get(0).path("relabel_configs").size()).as(f.toString()).isEqualTo(4);
                    } else {
                        assertThat(doc.path("groups").get(0).path("rules").get(0).path("alert").asText()).as(f.toString()).isEqualTo("ComfyUIDown");
                    }
                }
            }
        }
        // A restart finishes the job and clears what the killed writer left behind.
        try (LookoutProcess lookout = LookoutProcess.start(tmp.resolve("lookout-final.log"), args())) {
            int port = lookout.awaitPort(START);
            awaitResources(port, RESOURCES);
            awaitOutputs();
            assertThat(tempFiles()).isEmpty();
            assertThat(visibleOutputs()).hasSize(2 * RESOURCES);
        }
    }

    @Test
    void sigtermStopsCleanlyAndTheStatusSurvivesTheRestart() throws Exception {
        Files.createDirectories(tmp.resolve("resources"));
        Manifests.write(tmp.resolve("resources"), "bad.yaml", """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata:
                  name: bad
                spec:
                  interval: soon
                """);
        String before;
        try (LookoutProcess lookout = LookoutProcess.start(tmp.resolve("first.log"), args())) {
            int port = lookout.awaitPort(START);
            before = awaitResources(port, 1).get("items").get(0).path("status").path("conditions").get(0).path("lastTransitionTime").asText();
            assertThat(lookout.term(Duration.ofSeconds(15))).isIn(0, 143);
            assertThat(lookout.log()).doesNotContain("Exception");
        }
        assertThat(tmp.resolve("state/resources.json")).exists();
        Thread.sleep(1100); // a new transition time would differ by at least a second
        try (LookoutProcess lookout = LookoutProcess.start(tmp.resolve("second.log"), args())) {
            int port = lookout.awaitPort(START);
            JsonNode item = awaitResources(port, 1).get("items").get(0);
            assertThat(item.path("status").path("conditions").get(0).path("reason").asText()).isEqualTo("InvalidSpec");
            assertThat(item.path("status").path("conditions").get(0).path("lastTransitionTime").asText()).isEqualTo(before);
            assertThat(item.path("metadata").path("generation").asLong()).isEqualTo(1);
        }
    }

    /** Polls /api/v1/resources (bounded) until it lists {@code count} items. */
    private JsonNode awaitResources(int port, int count) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START.toNanos();
        JsonNode list = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/resources"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            list = new ObjectMapper().readTree(r.body());
            if (list.path("items").size() == count) {
                return list;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " resources, last answer: " + list);
    }
}
