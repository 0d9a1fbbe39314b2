package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.nginx.NginxConf;
import dev.lookout.nginx.NginxWorkload;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import dev.lookout.platform.Workloads;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.LogCapture;
import dev.lookout.testing.NginxImages;
import dev.lookout.testing.TestImages;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two things the Docker platform does for NginxVtsTarget, on Debian's real nginx (no module needed, so this runs
 * where VTS's source is absent):
 * <ul>
 *   <li>a live config is reloaded in place, and the reload is <em>proved</em> ({@link NginxWorkload#RELOAD}: new
 *   workers): a config {@code nginx -t} accepts but the running nginx cannot apply (a port already taken in its
 *   network) is reported {@code ConfigNotApplied}, and the old config goes on serving;</li>
 *   <li>a sidecar runs in the workload's network: it reaches a server nginx has on 127.0.0.1 only (which nothing else
 *   reaches, not even a container on the same Docker network), its port is published through nginx's container, and
 *   it is recreated with the container whose network it joined.</li>
 * </ul>
 */
@Timeout(300)
class LiveReloadAndSidecarE2ETest {
    static final ObjectKey OWNER = new ObjectKey("NginxVtsTarget", "default", "reload-sidecar");
    static final Duration WAIT = Duration.ofSeconds(60);

    static String conf(String answer, String extra) {
        return """
                pid /tmp/nginx.pid;
                error_log stderr notice;
                events {}
                http {
                    server { listen 8080; location / { return 200 "%s\\n"; } }
                    server { listen 127.0.0.1:9912; location / { return 200 "loopback only\\n"; } }
                    %s
                }
                """.formatted(answer, extra);
    }

    /** busybox httpd on 9913 whose /cgi-bin/relay answers what it reads from 127.0.0.1:9912, where nginx is. */
    static final String RELAY = "mkdir -p /relay/cgi-bin && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\n"
            + "wget -q -O - http://127.0.0.1:9912/\\n' > /relay/cgi-bin/relay && chmod +x /relay/cgi-bin/relay"
            + " && exec httpd -f -p 9913 -h /relay";

    static Workload workload(String name, String sidecar, int webPort, int relayPort, String conf, String version) {
        Workload.LiveConfig live = new Workload.LiveConfig(List.of(new Workload.WorkloadFile(NginxConf.CONF,
                conf.getBytes(StandardCharsets.UTF_8), 0644)), List.of("nginx", "-t", "-c", NginxConf.CONF), NginxWorkload.RELOAD);
        return new Workload(name, NginxImages.base(), List.of("nginx", "-g", "daemon off;", "-c", NginxConf.CONF), Map.of(),
                Map.of("test.lookout.dev/version", version), null, List.of(8080, 9913), null, List.of(), List.of(), null,
                List.of(new Workload.Publish("127.0.0.1", webPort, 8080), new Workload.Publish("127.0.0.1", relayPort, 9913)), live,
                List.of(new Workload.Sidecar(sidecar, TestImages.busybox(), List.of("sh", "-c", RELAY), Map.of("ROLE", "relay"))));
    }

    @Test
    void reloadsAreProvedAndTheSidecarSharesTheNetwork(@TempDir Path tmp) throws Exception {
        DockerEngine.require();
        String name = DockerEngine.randomName("nginx");
        String sidecar = name + "-relay";
        int webPort = freePort();
        int relayPort = freePort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        String web = "http://127.0.0.1:" + webPort + "/";
        String relay = "http://127.0.0.1:" + relayPort + "/cgi-bin/relay";

        try (LocalDockerPlatform platform = LocalDockerPlatform.start(tmp)) {
            Workloads workloads = platform.workloads();
            LogCapture log = platform.log();
            try {
                Workload first = workload(name, sidecar, webPort, relayPort, conf("v1", ""), "1");
                WorkloadState.Running running = runs(workloads, first, log);
                await("nginx answers", () -> get(http, web).equals("v1\n"));
                await("the sidecar reaches nginx's loopback-only server", () -> get(http, relay).equals("loopback only\n"));
                String mainId = running.id();
                String sidecarId = DockerEngine.docker("container", "inspect", "--format", "{{.Id}}", sidecar);
                assertThat(DockerEngine.docker("container", "inspect", "--format", "{{.HostConfig.NetworkMode}}", sidecar))
                        .as("Docker keeps the id of the container it joined").isEqualTo("container:" + mainId);
                String ip = DockerEngine.containerIp(name, platform.shared().name());
                assertThat(DockerEngine.run(Duration.ofSeconds(30), "run", "--rm", "--network", platform.shared().name(), TestImages.busybox(),
                        "wget", "-q", "-T", "3", "-O", "-", "http://" + ip + ":9912/").exit())
                        .as("the loopback server is not on the shared network").isNotZero();
                assertThat(DockerEngine.run(Duration.ofSeconds(30), "run", "--rm", "--network", platform.shared().name(), TestImages.busybox(),
                        "wget", "-q", "-T", "3", "-O", "-", "http://" + ip + ":9913/cgi-bin/relay").stdout())
                        .as("the sidecar's port is the container's, on the shared network").isEqualTo("loopback only\n");

                // A new config: checked, copied in, reloaded, and the new workers are the proof; nothing is recreated.
                Workload second = workload(name, sidecar, webPort, relayPort, conf("v2", ""), "1");
                assertThat(runs(workloads, second, log).id()).isEqualTo(mainId);
                assertThat(get(http, web)).as("answered by the new workers at once").isEqualTo("v2\n");
                assertThat(log.text()).contains("reloaded its configuration in place");

                // nginx -t accepts it (it binds nothing), but the running nginx cannot listen where the sidecar does.
                Workload clash = workload(name, sidecar, webPort, relayPort,
                        conf("v3", "server { listen 9913; location / { return 200 \"clash\\n\"; } }"), "1");
                WorkloadState notApplied = workloads.apply(OWNER, "local", clash);
                assertThat(notApplied).as(log.text()).isInstanceOfSatisfying(WorkloadState.Blocked.class, b -> {
                    assertThat(b.reason()).isEqualTo("ConfigNotApplied");
                    assertThat(b.message()).contains("kept its old workers", "docker logs " + name);
                    assertThat(b.lookAgain()).isPositive();
                });
                assertThat(get(http, web)).as("the old config goes on serving").isEqualTo("v2\n");
                assertThat(DockerEngine.run(Duration.ofSeconds(30), "logs", name).stderr()).as("nginx says why")
                        .contains("bind() to 0.0.0.0:9913 failed");
                assertThat(workloads.apply(OWNER, "local", clash)).as("tried again, not taken as done")
                        .isInstanceOf(WorkloadState.Blocked.class);

                // A recreated nginx has a new network: the sidecar follows it.
                Workload recreated = workload(name, sidecar, webPort, relayPort, conf("v4", ""), "2");
                WorkloadState.Running again = runs(workloads, recreated, log);
                assertThat(again.id()).isNotEqualTo(mainId);
                assertThat(DockerEngine.docker("container", "inspect", "--format", "{{.Id}}", sidecar)).isNotEqualTo(sidecarId);
                await("the new sidecar reaches the new nginx", () -> get(http, relay).equals("loopback only\n"));
                assertThat(get(http, web)).isEqualTo("v4\n");

                // A restarted nginx has a new network too (a Docker restart keeps its id).
                String beforeRestart = DockerEngine.docker("container", "inspect", "--format", "{{.Id}}", sidecar);
                DockerEngine.docker("restart", "-t", "1", name);
                runs(workloads, recreated, log);
                assertThat(DockerEngine.docker("container", "inspect", "--format", "{{.Id}}", sidecar)).isNotEqualTo(beforeRestart);
                await("the sidecar reaches the restarted nginx", () -> get(http, relay).equals("loopback only\n"));

                // Without sidecars, the sidecar goes.
                Workload alone = new Workload(name, recreated.image(), recreated.args(), recreated.env(), recreated.labels(), null,
                        List.of(8080), null, List.of(), List.of(), null, List.of(new Workload.Publish("127.0.0.1", webPort, 8080)),
                        recreated.live());
                runs(workloads, alone, log);
                assertThat(DockerEngine.run(Duration.ofSeconds(30), "container", "inspect", sidecar).exit()).isNotZero();
            } finally {
                workloads.remove(OWNER);
            }
            assertThat(DockerEngine.run(Duration.ofSeconds(30), "container", "inspect", name).exit()).isNotZero();
        }
    }

    static WorkloadState.Running runs(Workloads workloads, Workload w, LogCapture log) {
        WorkloadState state = Awaitility.await("the workload runs").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> workloads.apply(OWNER, "local", w), s -> s instanceof WorkloadState.Running);
        assertThat(state).as(log.text()).isInstanceOf(WorkloadState.Running.class);
        return (WorkloadState.Running) state;
    }

    static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(condition);
    }

    /** A new connection each time: a kept-alive one may be served by an old worker finishing gracefully. */
    static String get(HttpClient ignored, String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }
}
