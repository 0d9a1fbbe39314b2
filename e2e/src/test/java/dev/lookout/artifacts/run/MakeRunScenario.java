package dev.lookout.artifacts.run;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.lookout.artifacts.http.LoopbackHttp.json;
import static dev.lookout.artifacts.http.LoopbackHttp.uri;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first command, run as a person runs it: {@code make run} on the repository, each port picked by the
 * test; the subclasses choose the mode (processes on this machine, or the compose stack in containers).
 * Everything asserted is read from Prometheus's, Alertmanager's and Lookout's own HTTP APIs, or from the status
 * page as headless Chromium builds it. The order is the person's: the probe comes up, the demo ComfyUI is
 * stopped, ComfyUIDown goes pending, firing, reaches Alertmanager, and Ctrl-C stops it all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class MakeRunScenario {
    static final Duration FIRST_PROBE = Duration.ofSeconds(300); // a cold `make run` in containers first makes its images
    static final Duration ALERT = Duration.ofSeconds(120);

    final Path repo = Path.of(System.getProperty("lookout.repoRoot", "..")).toAbsolutePath().normalize();
    Path runDir;
    Path work;
    MakeRun run;
    Map<String, String> env;
    int lookout;
    int prometheus;
    int alertmanager;
    int blackbox;
    int comfy;

    /** LOOKOUT_RUN_MODE. */
    abstract String mode();

    /** The demo ComfyUI's target as Lookout writes it. */
    abstract String comfyTarget();

    /** The screenshot, under e2e/target. */
    abstract String screenshot();

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        this.work = work;
        runDir = work.resolve("run");
        int[] ports = freePorts(5);
        lookout = ports[0];
        prometheus = ports[1];
        alertmanager = ports[2];
        blackbox = ports[3];
        comfy = ports[4];
        env = new HashMap<>();
        env.put("LOOKOUT_RUN_MODE", mode());
        env.put("LOOKOUT_RUN_DIR", runDir.toString());
        env.put("LOOKOUT_PORT", Integer.toString(lookout));
        env.put("PROMETHEUS_PORT", Integer.toString(prometheus));
        env.put("ALERTMANAGER_PORT", Integer.toString(alertmanager));
        env.put("BLACKBOX_PORT", Integer.toString(blackbox));
        env.put("COMFY_PORT", Integer.toString(comfy));
        run = MakeRun.start(repo, env);
    }

    @AfterAll
    void stop() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void theProbeComesUpAndLookoutsRulesAreLoaded() throws InterruptedException {
        String line = run.awaitLine(l -> l.contains("probe up: probe_success 1"), FIRST_PROBE);
        System.out.println("make run: " + line);

        JsonNode success = json(uri(prometheus, "/api/v1/query?query=probe_success")).path("data").path("result");
        assertThat(success).as("probe_success in Prometheus").hasSize(1);
        assertThat(success.get(0).path("metric").path("job").asText()).isEqualTo("lookout/comfyprobe/default/comfy");
        assertThat(success.get(0).path("value").get(1).asText()).isEqualTo("1");

        JsonNode groups = json(uri(prometheus, "/api/v1/rules")).path("data").path("groups");
        assertThat(groups.findValuesAsText("name")).contains("lookout/comfyprobe/default/comfy", "ComfyUIDown");
        assertThat(run.output()).contains("status page        http://127.0.0.1:" + lookout + "/");
    }

    @Test
    @Order(2)
    void stoppingTheDemoComfyUiFiresComfyUiDownIntoAlertmanager() throws Exception {
        Process stop = new ProcessBuilder(runDir.resolve("comfyui").toString(), "stop").redirectErrorStream(true).start();
        assertThat(stop.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(stop.getInputStream().readAllBytes())).contains("stopped");

        await("ComfyUIDown pending in Prometheus").atMost(ALERT).pollInterval(Duration.ofMillis(250))
                .until(() -> alertState("ComfyUIDown").equals("pending"));
        await("ComfyUIDown firing in Prometheus").atMost(ALERT).pollInterval(Duration.ofMillis(250))
                .until(() -> alertState("ComfyUIDown").equals("firing"));
        await("ComfyUIDown received by Alertmanager").atMost(ALERT).pollInterval(Duration.ofMillis(250))
                .until(() -> json(uri(alertmanager, "/api/v2/alerts")).findValuesAsText("alertname").contains("ComfyUIDown"));
        JsonNode received = json(uri(alertmanager, "/api/v2/alerts")).get(0);
        assertThat(received.path("labels").path("job").asText()).isEqualTo("lookout/comfyprobe/default/comfy");
        assertThat(received.path("labels").path("severity").asText()).isEqualTo("critical");
    }

    @Test
    @Order(3)
    void theStatusPageInChromiumShowsTheResourceTheFailedTargetAndTheFiringAlert() throws Exception {
        Path chromium = HeadlessChromium.locate().orElse(null);
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("chromium is missing at " + HeadlessChromium.DEFAULT + ": .ci/run installs it (apt-get install chromium)");
            }
            Assumptions.abort("chromium is not installed (apt-get install chromium); CI installs it and runs this");
        }
        HeadlessChromium browser = new HeadlessChromium(chromium, work.resolve("chromium-profile"));
        String url = "http://127.0.0.1:" + lookout + "/";
        String dom = browser.dom(url);

        assertThat(dom).contains("<tr id=\"comfyprobe.default.comfy\">");
        // Ready says Lookout's work is live in Prometheus; whether the target answers is the probe's (and the alert's) to say.
        assertThat(dom).contains("data-ready=\"True\"").contains("<span class=\"reason\">Applied</span>");
        assertThat(dom).contains("data-result=\"probe_success 0\"")
                .contains("<code>" + comfyTarget() + "</code>");
        assertThat(dom).contains("data-state=\"firing\"");
        assertThat(dom).contains("href=\"http://127.0.0.1:" + prometheus + "/graph?g0.expr=probe_success%7Bjob%3D%22lookout%2Fcomfyprobe%2Fdefault%2Fcomfy%22%7D+%3D%3D+0&amp;g0.tab=0\"");
        assertThat(dom).contains("id=\"outputs\" data-result=\"applied\"");

        Path png = Path.of("target", screenshot()).toAbsolutePath();
        Files.createDirectories(png.getParent());
        browser.screenshot(url, png, 1280, 560);
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    @Order(4)
    void aSecondMakeRunBesideItIsRefusedAndTheFirstGoesOn() throws Exception {
        try (MakeRun second = MakeRun.start(repo, env)) {
            assertThat(second.awaitEnd(Duration.ofSeconds(120))).as("the second make run ends by itself").isTrue();
            assertThat(second.exitCode()).isNotZero();
            assertThat(second.output()).contains("another make run is using");
        }
        assertThat(run.alive()).as("the first make run goes on").isTrue();
        JsonNode up = json(uri(prometheus, "/api/v1/query?query=up%7Bjob%3D%22lookout%2Fcomfyprobe%2Fdefault%2Fcomfy%22%7D"))
                .path("data").path("result");
        assertThat(up).as("its Prometheus still scrapes Lookout's job").isNotEmpty();
        assertThat(json(uri(lookout, "/api/v1/resources")).toString()).contains("comfy");
    }

    @Test
    @Order(5)
    void ctrlCStopsEverythingItStarted() throws Exception {
        assertThat(run.interrupt(Duration.ofSeconds(20))).as("make run ended within 20 s of Ctrl-C; it printed:\n" + run.output()).isTrue();
        assertThat(run.output()).contains("stopped; ");
        assertNothingLeft();
    }

    /** What Ctrl-C must have closed: every port the run listened on. */
    void assertNothingLeft() {
        for (int port : List.of(lookout, prometheus, alertmanager, blackbox, comfy)) {
            assertThat(listening(port)).as("something still listens on 127.0.0.1:%d after Ctrl-C", port).isFalse();
        }
    }

    /** True when something accepts connections on 127.0.0.1:{@code port}. */
    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String alertState(String name) {
        for (JsonNode alert : json(uri(prometheus, "/api/v1/alerts")).path("data").path("alerts")) {
            if (alert.path("labels").path("alertname").asText().equals(name)) {
                return alert.path("state").asText();
            }
        }
        return "inactive";
    }

    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return ports;
    }
}
