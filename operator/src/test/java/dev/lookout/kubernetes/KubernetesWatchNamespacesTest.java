package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lookout.probe.ComfyProbe;
import dev.lookout.scenarios.ReconcileScenarios;
import dev.lookout.testing.Cleanup;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --watch-namespaces} on fabric8's mock API server (CRUD): the resources of a namespace that is not watched are
 * left alone, those of a watched one are served, and the Secrets are watched per namespace (what a Role in each of
 * them allows; the chart renders one per namespace). The mock has no RBAC: that the calls stay inside the namespaces
 * is RbacRulesTest's to check; here, that what lies outside them is not acted on.
 */
class KubernetesWatchNamespacesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    static void probe(KubernetesClient client, String namespace, String name) {
        String yaml = ReconcileScenarios.probe(name, "5s", """
                  http:
                    basicAuth:
                      username: admin
                      passwordSecretRef: {name: pass, key: password}
                """).replace("namespace: default", "namespace: " + namespace);
        client.resources(ComfyProbe.class).inNamespace(namespace).resource(
                client.getKubernetesSerialization().unmarshal(yaml, ComfyProbe.class)).create();
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("pass")
                .withNamespace(namespace).endMetadata().addToData("password", Base64.getEncoder().encodeToString(
                        ("pw-" + namespace).getBytes(StandardCharsets.UTF_8))).build()).createOr(s -> s.update());
    }

    @Test
    void onlyTheWatchedNamespacesAreServed(@TempDir Path tmp) throws Exception {
        MockCluster cluster = MockCluster.start(tmp);
        KubernetesOperator lookout = null;
        try {
            probe(cluster.client, "team-a", "watched");
            probe(cluster.client, "team-b", "elsewhere");
            lookout = cluster.lookout(true, "state", null, Set.of("team-a"));

            Path scrape = cluster.folders.out().resolve("prometheus/scrape");
            await("the watched namespace's probe").atMost(WAIT)
                    .until(() -> Files.exists(scrape.resolve("comfyprobe.team-a.watched.yml")));
            await("its Secret, from the namespace's own Secret watch").atMost(WAIT)
                    .until(() -> KubernetesSecretsTest.passwords(cluster.folders.out().resolve("blackbox/lookout-secrets"))
                            .contains("pw-team-a"));
            probe(cluster.client, "team-a", "later");
            await("a probe created later in it").atMost(WAIT)
                    .until(() -> Files.exists(scrape.resolve("comfyprobe.team-a.later.yml")));

            assertThat(scrape.resolve("comfyprobe.team-b.elsewhere.yml")).as("another namespace is not Lookout's here").doesNotExist();
            assertThat(KubernetesSecretsTest.passwords(cluster.folders.out().resolve("blackbox/lookout-secrets")))
                    .doesNotContain("pw-team-b");
        } finally {
            Cleanup.quietly(lookout, cluster);
        }
    }
}
