package dev.lookout.bench;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.DockerEngineClient;
import dev.lookout.docker.DockerPlatform;
import dev.lookout.docker.DockerSettings;
import dev.lookout.docker.HostWatch;
import dev.lookout.docker.PlanHosts;
import dev.lookout.nginx.ModuleImage;
import dev.lookout.nginx.ModuleSource;
import dev.lookout.nginx.NginxConf;
import dev.lookout.nginx.NginxWorkload;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import dev.lookout.platform.Workloads;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.NginxImages;
import dev.lookout.testing.TestNetwork;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The nginx workload path on the real engine, with the echo module (VTS's source cannot be downloaded here; the
 * module changes nothing in these paths): the first build of the image (the engine's layer cache cleared of it first),
 * a no-op reconcile of a running nginx (goal ≤ 50 ms, no build), and a config-only change until the new config
 * serves (nginx -t in a throwaway container, copy, nginx -s reload; goal ≤ 1 s). Run with {@code make bench-nginx}.
 */
public final class NginxBench {
    private static final ObjectKey OWNER = new ObjectKey("NginxVtsTarget", "default", "bench");

    private NginxBench() {
    }

    static Workload.LiveConfig live(String text) {
        String conf = """
                load_module %sngx_http_echo_module.so;
                pid /tmp/nginx.pid;
                events {}
                http { server { listen 8080; location /v { echo "%s"; } } }
                """.formatted(NginxConf.MODULES, text);
        return new Workload.LiveConfig(List.of(new Workload.WorkloadFile(NginxConf.CONF, conf.getBytes(StandardCharsets.UTF_8), 0644)),
                List.of("nginx", "-t", "-c", NginxConf.CONF), NginxWorkload.RELOAD); // the reload and its proof, as Lookout runs it
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        DockerEngine.require();
        String base = NginxImages.base();
        String repository = "lookout-bench/nginx-echo-" + Long.toHexString(System.nanoTime());
        Workload.ImageBuild build = ModuleImage.build(repository, base, "ngx_http_echo_module", ModuleSource.read(NginxImages.echoSource()),
                "echo-bench-" + Long.toHexString(System.nanoTime()), ModuleImage.NGINX_SOURCE_URL);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String name = DockerEngine.randomName("nginx-bench");
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + port + "/v");
        Path state = Files.createTempDirectory("lookout-nginx-bench");
        try (TestNetwork shared = DockerEngine.createNetwork();
             DockerEngineClient client = new DockerEngineClient(OperatorConfig.DockerHost.LOCAL, DockerSettings.defaults())) {
            // The module's stage is built from scratch: the engine's build cache and untagged layers are pruned first.
            DockerEngine.run(Duration.ofMinutes(2), "builder", "prune", "-f");
            DockerEngine.run(Duration.ofMinutes(2), "image", "prune", "-f"); // the classic builder's cache: untagged layers
            OperatorConfig config = new OperatorConfig(null, new OperatorConfig.Prometheus(null, null, null, shared.name(), null),
                    null, null, null);
            Workloads workloads = new DockerPlatform(new PlanHosts(config.docker().hosts(), h -> client), new HostWatch(), config,
                    null, state).workloads();
            long t0 = System.nanoTime();
            WorkloadState first = workloads.apply(OWNER, "local", workload(name, base, build, port, "v0"));
            while (first instanceof WorkloadState.Blocked b && b.reason().equals("ImageBuilding")) { // in the background
                Thread.sleep(250);
                first = workloads.apply(OWNER, "local", workload(name, base, build, port, "v0"));
            }
            System.out.printf("first apply until it runs (build in the background, nginx -t, create, start): %.1f s -> %s%n", (System.nanoTime() - t0) / 1e9,
                    first.getClass().getSimpleName());
            await(http, uri, "v0");
            List<Double> noop = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                workloads.apply(OWNER, "local", workload(name, base, build, port, "v0"));
                noop.add((System.nanoTime() - s) / 1e6);
            }
            List<Double> change = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                long s = System.nanoTime();
                workloads.apply(OWNER, "local", workload(name, base, build, port, "v" + i));
                await(http, uri, "v" + i);
                change.add((System.nanoTime() - s) / 1e6);
            }
            System.out.printf("no-op reconcile of a running nginx: %s (%d runs)%n", summary(noop), runs);
            System.out.printf("config change -> new config serving: %s (%d runs)%n", summary(change), runs);
            workloads.remove(OWNER);
        } finally {
            for (String image : DockerEngine.docker("images", "-q", repository).lines().filter(l -> !l.isBlank()).toList()) {
                DockerEngine.run(Duration.ofSeconds(60), "rmi", "-f", image);
            }
        }
    }

    static Workload workload(String name, String base, Workload.ImageBuild build, int port, String text) {
        return new Workload(name, base, List.of("nginx", "-g", "daemon off;", "-c", NginxConf.CONF), java.util.Map.of(),
                java.util.Map.of(), null, List.of(8080), null, List.of(), List.of(), build,
                List.of(new Workload.Publish("127.0.0.1", port, 8080)), live(text));
    }

    /** Until a new connection (a new visitor: a kept-alive one may still reach an old worker) is served {@code text}. */
    static void await(HttpClient ignored, URI uri, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
                socket.getOutputStream().write(("GET " + uri.getPath() + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (answer.substring(answer.indexOf("\r\n\r\n") + 4).strip().equals(text)) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(uri + " did not serve " + text + " within 30 s");
    }

    static String summary(List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        return String.format("median %.0f ms, min %.0f, max %.0f", sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1));
    }
}
