package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.nginx.Htpasswd;
import dev.lookout.nginx.ModuleImage;
import dev.lookout.nginx.ModuleSource;
import dev.lookout.nginx.NginxConf;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import dev.lookout.platform.Workloads;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.LogCapture;
import dev.lookout.testing.NginxImages;
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
 * The module build end to end on the real engine, with a third-party module Debian ships as source (echo), since
 * nginx-module-vts's cannot be downloaded here: the image is built against the base's own nginx (Debian's, its source
 * from {@code apt-get source} of the installed version), the module loads, and the container answers through the
 * port it publishes on 127.0.0.1. A second apply builds nothing.
 */
@Timeout(900)
class ModuleImageBuildE2ETest {
    static final ObjectKey OWNER = new ObjectKey("NginxVtsTarget", "default", "echo-build");

    static String conf(int port) {
        return """
                load_module %sngx_http_echo_module.so;
                pid /tmp/nginx.pid;
                error_log stderr notice;
                events {}
                http {
                    server {
                        listen %d;
                        location /hello { echo "hello from a module built against this nginx"; }
                        location /private {
                            auth_basic "private";
                            auth_basic_user_file %s;
                            echo "behind basic auth";
                        }
                    }
                }
                """.formatted(NginxConf.MODULES, port, NginxConf.HTPASSWD);
    }

    @Test
    void theModuleIsBuiltAgainstTheBasesNginxLoadsAndAnswers(@TempDir Path tmp) throws Exception {
        DockerEngine.require();
        String base = NginxImages.base();
        Map<String, byte[]> source = ModuleSource.read(NginxImages.echoSource());
        int hostPort;
        try (ServerSocket free = new ServerSocket(0)) {
            hostPort = free.getLocalPort();
        }
        String repository = "lookout-test/nginx-echo-" + Long.toHexString(System.nanoTime());
        Workload.ImageBuild build = ModuleImage.build(repository, base, "ngx_http_echo_module", source, "echo",
                ModuleImage.NGINX_SOURCE_URL);
        String name = DockerEngine.randomName("nginx-echo");
        Workload workload = new Workload(name, base, List.of("nginx", "-g", "daemon off;", "-c", NginxConf.CONF), Map.of(),
                Map.of(), null, List.of(8080), null, List.of(), List.of(new Workload.WorkloadFile(NginxConf.CONF,
                conf(8080).getBytes(StandardCharsets.UTF_8), 0644), new Workload.WorkloadFile(NginxConf.HTPASSWD,
                Htpasswd.line("admin", "s3cret".getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), 0644)), build, List.of(new Workload.Publish("127.0.0.1", hostPort, 8080)),
                null);

        try (LocalDockerPlatform platform = LocalDockerPlatform.start(tmp)) {
            Workloads workloads = platform.workloads();
            LogCapture log = platform.log();
            try {
                // The build runs in the background: the first apply says so at once rather than holding its worker.
                WorkloadState building = workloads.apply(OWNER, "local", workload);
                assertThat(building).as(log.text()).isInstanceOfSatisfying(WorkloadState.Blocked.class,
                        b -> assertThat(b.reason()).isEqualTo("ImageBuilding"));
                assertThat(((WorkloadState.Blocked) building).message()).startsWith("building " + repository + ":echo-");
                WorkloadState state = Awaitility.await("the build ends and the workload runs").atMost(Duration.ofMinutes(10))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> workloads.apply(OWNER, "local", workload), s -> !(s instanceof WorkloadState.Blocked b)
                                || !b.reason().equals("ImageBuilding"));
                assertThat(state).as(log.text()).isInstanceOf(WorkloadState.Running.class);
                String tag = ((WorkloadState.Running) state).image();
                assertThat(tag).startsWith(repository + ":echo-");
                WorkloadState.BuiltImage built = ((WorkloadState.Running) state).built();
                assertThat(built).as("what the image records of its build").isNotNull();
                assertThat(built.id()).startsWith("sha256:").isEqualTo(DockerEngine.docker("image", "inspect", "--format", "{{.Id}}", tag));
                assertThat(built.buildTime()).as("from the build-started label to the image's creation").isNotNull()
                        .isLessThan(Duration.ofMinutes(10));
                assertThat(built.description()).as("nginx -v in the base, before the build").startsWith("nginx version: nginx/");
                assertThat(log.text()).contains("build: Step 1/", "built " + tag); // the engine may take steps from its cache

                HttpClient http = HttpClient.newHttpClient();
                Awaitility.await("nginx answers through 127.0.0.1:" + hostPort).atMost(Duration.ofSeconds(30))
                        .ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + hostPort + "/hello")).build(), HttpResponse.BodyHandlers.ofString())
                                .body().contains("hello from a module built against this nginx"));

                // The htpasswd line (SHA-512-crypt) is one this nginx verifies, through the libc's crypt().
                String privateUrl = "http://127.0.0.1:" + hostPort + "/private";
                assertThat(status(http, privateUrl, null)).isEqualTo(401);
                assertThat(status(http, privateUrl, "admin:wrong")).isEqualTo(401);
                assertThat(status(http, privateUrl, "admin:s3cret")).isEqualTo(200);

                int builds = count(log.text(), "built " + repository);
                long t0 = System.nanoTime();
                WorkloadState again = workloads.apply(OWNER, "local", workload);
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(again).isInstanceOf(WorkloadState.Running.class);
                assertThat(((WorkloadState.Running) again).id()).as("the same container").isEqualTo(((WorkloadState.Running) state).id());
                assertThat(count(log.text(), "built " + repository)).as("a second apply builds nothing (" + millis + " ms)").isEqualTo(builds);
            } finally {
                workloads.remove(OWNER);
                for (String image : DockerEngine.docker("images", "-q", repository).lines().filter(l -> !l.isBlank()).toList()) {
                    DockerEngine.run(Duration.ofSeconds(60), "rmi", "-f", image);
                }
            }
        }
    }

    static int status(HttpClient http, String url, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (credentials != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
