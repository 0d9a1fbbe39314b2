package dev.lookout.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.reload.ToolLocator;
import dev.lookout.reload.ToolProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real Kubernetes API server for custom resources, for tests that run kubectl against Lookout's CRDs: sid's
 * etcd and {@code lookout-crd-apiserver} (apiextensions-apiserver with discovery turned on, built from
 * {@code .ci/kube-apiserver/main.go}), which {@code .ci/kube-apiserver.sh} puts in {@code $LOOKOUT_CACHE/bin}.
 * Both listen on 127.0.0.1 only, on free ports, with their data in temp folders.
 *
 * <p>It serves CustomResourceDefinitions and custom resources and nothing of the core API: no Namespaces,
 * Secrets or Pods. kubectl reaches it over TLS with a client certificate in {@code system:masters}, the group
 * delegated authorization lets do anything without asking a kube-apiserver. Starting takes about a second.
 */
public final class CrdApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String SERVER = "lookout-crd-apiserver";
    /** About a second each here; a loaded CI machine gets many times that. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(60);
    private static final String ADMIN = "CN=lookout-test-admin,O=system:masters";
    /**
     * The admission plugins that wait for informers of the core API (Namespaces, webhook and policy
     * configurations) before admitting anything; this server has no core API, so they would wait forever.
     */
    private static final String WAITING_ADMISSION = "NamespaceLifecycle,MutatingAdmissionPolicy,"
            + "MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ValidatingAdmissionPolicy";

    private final ServerProcess etcd;
    private final ServerProcess api;
    private final Path home;
    private final Path kubectl;
    private final Path kubeconfig;
    private final AtomicInteger applied = new AtomicInteger();

    private CrdApiServer(ServerProcess etcd, ServerProcess api, Path home, Path kubectl) {
        this.etcd = etcd;
        this.api = api;
        this.home = home;
        this.kubectl = kubectl;
        this.kubeconfig = write(home.resolve("kubeconfig"), kubeconfig("https://" + ServerProcess.HOST + ":"
                + api.port(), home.resolve("admin")));
    }

    /** Starts etcd, then the API server, and waits until {@code /healthz} answers 200. */
    public static CrdApiServer start() {
        Path etcdBinary = binary("etcd");
        Path serverBinary = binary(SERVER);
        Path kubectl = binary("kubectl");
        Path home = ServerProcess.createTempDir("kube");
        ServerProcess etcd = null;
        try {
            TestCertificates authority = TestCertificates.authority("lookout-crd-apiserver-ca");
            authority.writeServerFolder(home.resolve("server"));
            authority.writeClientFolder(home.resolve("admin"), ADMIN);
            // The core API this server would normally find through these is absent: an address nothing
            // answers on (port 1 is privileged, no test binds it) makes the lookups fail fast.
            Path nowhere = write(home.resolve("nowhere.kubeconfig"),
                    kubeconfig("https://" + ServerProcess.HOST + ":1", home.resolve("admin")));
            etcd = ServerProcess.start("etcd", (port, dir) -> etcdCommand(etcdBinary, port, dir), "health",
                    READY_TIMEOUT);
            String etcdUrl = "http://" + ServerProcess.HOST + ":" + etcd.port();
            HttpClient client = HttpClient.newBuilder().sslContext(authority.clientContext(ADMIN))
                    .connectTimeout(Duration.ofSeconds(2)).build();
            ServerProcess api = ServerProcess.start(SERVER,
                    (port, dir) -> serverCommand(serverBinary, port, dir, home, nowhere, etcdUrl),
                    port -> healthy(client, port), READY_TIMEOUT);
            return new CrdApiServer(etcd, api, home, kubectl);
        } catch (RuntimeException | Error e) {
            Cleanup.quietly(etcd);
            ServerProcess.delete(home);
            throw e;
        }
    }

    /** Runs kubectl against this server, stdin closed; exit status and stdout and stderr together. */
    public ToolProcess.Result kubectl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig=" + kubeconfig,
                // its own discovery cache: one keyed by host:port could outlive this server and mislead the next
                "--cache-dir=" + home.resolve("kubectl-cache")));
        cmd.addAll(List.of(args));
        return Tools.run(cmd, KUBECTL_TIMEOUT);
    }

    /** {@code kubectl apply -f} of these manifests, written to a file of their own. */
    public ToolProcess.Result apply(String yaml) {
        Path file = write(home.resolve("applied-" + applied.incrementAndGet() + ".yaml"), yaml);
        return kubectl("apply", "-f", file.toString());
    }

    /** A kubeconfig for this server, its current context in the namespace {@code default}. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** {@code kubectl get ARGS -o json}, parsed; a missing node when kubectl printed nothing ({@code --ignore-not-found}). */
    public JsonNode json(String... getArgs) {
        List<String> args = new ArrayList<>(List.of(getArgs));
        args.addAll(List.of("-o", "json"));
        String output = succeeded(kubectl(args.toArray(String[]::new)));
        if (output.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(output);
        } catch (IOException e) {
            throw new AssertionError("kubectl " + args + " printed no JSON: " + output, e);
        }
    }

    /** What a kubectl run printed; an AssertionError with the API server's log tail when it failed. */
    public String succeeded(ToolProcess.Result result) {
        if (result.exit() != 0) {
            String log = log();
            throw new AssertionError("kubectl exited with " + result.exit() + ": " + result.output()
                    + "\n--- API server log (tail) ---\n" + (log.length() > 4000 ? log.substring(log.length() - 4000) : log));
        }
        return result.output();
    }

    /** Everything the API server logged so far: where a refused CRD or a failed start explains itself. */
    public String log() {
        return api.log();
    }

    @Override
    public void close() {
        Cleanup.quietly(api, etcd);
        ServerProcess.delete(home);
    }

    private static Path binary(String name) {
        return ToolLocator.find(List.of(Tools.cacheBin()), name).orElseThrow(() -> new AssertionError(name
                + " not found in " + Tools.cacheBin() + ": run .ci/kube-apiserver.sh (puts sid's etcd and kubectl"
                + " there and builds " + SERVER + " from sid's Go sources, a few minutes the first time), or set"
                + " LOOKOUT_CACHE to the cache it filled"));
    }

    private static List<String> etcdCommand(Path etcd, int port, Path dir) {
        String client = "http://" + ServerProcess.HOST + ":" + port;
        String peer = "http://" + ServerProcess.HOST + ":" + ServerProcess.freePort();
        return List.of(etcd.toString(), "--name=lookout-test", "--data-dir=" + dir.resolve("data"),
                "--listen-client-urls=" + client, "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=lookout-test=" + peer,
                // a test's data need not survive a crash, and fsync on a busy CI disk takes seconds
                "--unsafe-no-fsync", "--log-level=warn");
    }

    private static List<String> serverCommand(Path server, int port, Path dir, Path home, Path nowhere,
                                              String etcdUrl) {
        Path certs = home.resolve("server");
        return List.of(server.toString(), "--bind-address=" + ServerProcess.HOST, "--secure-port=" + port,
                "--cert-dir=" + dir, "--tls-cert-file=" + certs.resolve("cert.pem"),
                "--tls-private-key-file=" + certs.resolve("key.pem"), "--client-ca-file=" + certs.resolve("ca.pem"),
                "--etcd-servers=" + etcdUrl, "--kubeconfig=" + nowhere, "--authentication-kubeconfig=" + nowhere,
                "--authorization-kubeconfig=" + nowhere, "--authentication-skip-lookup",
                "--disable-admission-plugins=" + WAITING_ADMISSION);
    }

    /**
     * {@code /healthz}, not {@code /readyz}: readiness also waits for informers of the core API, which never
     * sync here, while the CRD endpoints serve as soon as they are healthy.
     */
    private static boolean healthy(HttpClient client, int port) {
        URI healthz = URI.create("https://" + ServerProcess.HOST + ":" + port + "/healthz");
        try {
            return client.send(HttpRequest.newBuilder(healthz).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String kubeconfig(String server, Path credentials) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: lookout-test
                  cluster:
                    server: "%s"
                    certificate-authority: "%s"
                users:
                - name: lookout-test-admin
                  user:
                    client-certificate: "%s"
                    client-key: "%s"
                contexts:
                - name: lookout-test
                  context: {cluster: lookout-test, user: lookout-test-admin, namespace: default}
                current-context: lookout-test
                """.formatted(server, credentials.resolve("ca.pem"), credentials.resolve("cert.pem"),
                credentials.resolve("key.pem"));
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
