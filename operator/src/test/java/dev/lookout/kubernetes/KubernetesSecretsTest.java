package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.probe.ComfyProbe;
import dev.lookout.testing.Cleanup;
import dev.lookout.testing.OutputFolders;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets in Kubernetes mode, on fabric8's mock API server in CRUD mode (the real CRD server serves no Secrets): the
 * operator watches Secrets, a ComfyProbe's {@code basicAuth.passwordSecretRef} reaches blackbox's password file, a
 * rotated Secret replaces the file without the resource changing, and a deleted one is reported on the resource.
 *
 * <p>What the mock proves: the Secret informer and its requeue of the resources that read a Secret, through the same
 * client calls a cluster gets. What it cannot: the mock stores custom resources without a schema, defaults or a status
 * subresource of its own, so nothing here is about CRD semantics (CrdsOnApiServerTest and KubernetesModeTest are, on
 * the real server); nor RBAC, nor field selectors (the mock ignores the {@code type!=} ones SecretWatch sends).
 */
class KubernetesSecretsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    static String probe() {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata: {name: guarded, namespace: default}
                spec:
                  targets: [{url: "http://127.0.0.1:9/guarded"}]
                  interval: 5s
                  timeout: 1s
                  http:
                    basicAuth:
                      username: admin
                      passwordSecretRef: {name: comfy-pass, key: password}
                """;
    }

    /** {@code data}, as an API server stores it (the mock does not turn {@code stringData} into it). */
    static void secret(KubernetesClient client, String password) {
        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("comfy-pass")
                .withNamespace("default").endMetadata().addToData("password", java.util.Base64.getEncoder()
                        .encodeToString(password.getBytes(StandardCharsets.UTF_8))).build()).createOr(s -> s.update());
    }

    @Test
    void aRotatedSecretReachesBlackboxsPasswordFileAndADeletedOneIsReported(@TempDir Path tmp) throws Exception {
        MockCluster cluster = MockCluster.start(tmp);
        KubernetesClient client = cluster.client;
        OutputFolders folders = cluster.folders;
        KubernetesOperator lookout = null;
        try {
            secret(client, "first-password");
            client.resources(ComfyProbe.class).inNamespace("default").resource(
                    client.getKubernetesSerialization().unmarshal(probe(), ComfyProbe.class)).create();
            lookout = cluster.lookout(true);
            int port = lookout.httpPort();

            Path secrets = folders.out().resolve("blackbox/lookout-secrets");
            await("the password file").atMost(WAIT).until(() -> passwords(secrets).contains("first-password"));
            await("Ready once Prometheus and blackbox took it").atMost(WAIT).until(() -> ready(port).path("reason").asText().equals("Applied"));

            secret(client, "rotated-password");
            await("the rotated password replaces it").atMost(WAIT).until(() -> passwords(secrets).contains("rotated-password"));
            assertThat(passwords(secrets)).doesNotContain("first-password");

            client.secrets().inNamespace("default").withName("comfy-pass").delete();
            await("the missing Secret is said on the resource").atMost(WAIT)
                    .until(() -> ready(port).path("message").asText().contains("comfy-pass"));
            assertThat(ready(port).path("status").asText()).isEqualTo("False");
        } finally {
            Cleanup.quietly(lookout, cluster);
        }
    }

    static String passwords(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return "";
        }
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
            }
        }
        return all.toString();
    }

    /** The probe's Ready condition as Lookout's own API has it (the engine's table; the mock keeps no status). */
    static JsonNode ready(int port) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/resources")).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode item : JSON.readTree(body).path("items")) {
            if (item.path("metadata").path("name").asText().equals("guarded")) {
                for (JsonNode c : item.path("status").path("conditions")) {
                    if (c.path("type").asText().equals("Ready")) {
                        return c;
                    }
                }
            }
        }
        return JSON.missingNode();
    }
}
