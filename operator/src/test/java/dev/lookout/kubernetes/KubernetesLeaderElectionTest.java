package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.probe.ComfyProbe;
import dev.lookout.testing.Cleanup;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Lookouts with leader election on one (mock) cluster, in one JVM, as the two replicas of a Deployment: java-operator-sdk's
 * elector on a {@code coordination.k8s.io/v1} Lease in fabric8's mock API server (CRUD mode). The mock serves what
 * fabric8's {@code LeaseLock} needs: a create of an existing Lease is a 409, and a merge patch that carries a stale
 * {@code metadata.resourceVersion} is a 409 (its {@code validateResourceVersion}), each under the store's write lock;
 * only java-operator-sdk's {@code SelfSubjectRulesReview} needs {@link MockCluster}'s answer (the mock has no authorizer).
 *
 * <p>Leases here last 2 s (renewed within 1.5 s, tried every 250 ms), a test-only setting through
 * {@link KubernetesOperator.LeaderElection}; {@code lookout run --leader-elect} always gets 15 s / 10 s / 2 s.
 * What the mock cannot show: clocks of two machines (both replicas read one clock), RBAC on Leases, a real API
 * server's handling of many writers.
 */
class KubernetesLeaderElectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A stopped leader's lease expires after LEASE; the other then tries every 250 ms (+20 % jitter) and lists. */
    private static final Duration TAKEOVER = LEASE.plusSeconds(8);

    static String probe(String name) {
        return dev.lookout.scenarios.ReconcileScenarios.probe(name, "5s", "");
    }

    static void create(KubernetesClient client, String name) {
        client.resources(ComfyProbe.class).inNamespace("default").resource(
                client.getKubernetesSerialization().unmarshal(probe(name), ComfyProbe.class)).create();
    }

    static KubernetesOperator.LeaderElection election(AtomicInteger lost) {
        return new KubernetesOperator.LeaderElection("default", LEASE, Duration.ofMillis(1500), Duration.ofMillis(250),
                lost::incrementAndGet);
    }

    @Test
    void oneReplicaActsTheOtherStandsByReadyAndTakesOverWhenTheLeaderStops(@TempDir Path tmp) throws Exception {
        MockCluster cluster = MockCluster.start(tmp);
        KubernetesClient client = cluster.client;
        AtomicInteger lostA = new AtomicInteger();
        AtomicInteger lostB = new AtomicInteger();
        KubernetesOperator a = null;
        KubernetesOperator b = null;
        try {
            create(client, "first");
            a = cluster.lookout(true, "state-a", election(lostA));
            b = cluster.lookout(true, "state-b", election(lostB));
            KubernetesOperator[] both = {a, b};
            await("one of the two leads").atMost(WAIT).until(() -> both[0].leading() || both[1].leading());
            KubernetesOperator leader = a.leading() ? a : b;
            KubernetesOperator follower = leader == a ? b : a;
            AtomicInteger lostFollower = leader == a ? lostB : lostA;

            await("the leader renders the probe that was there before it").atMost(WAIT).until(() -> outputs(cluster).contains("first"));
            await("and says it Applied").atMost(WAIT).until(() -> reason(leader.httpPort(), "first").equals("Applied"));
            create(client, "second");
            await("a probe created while it leads is rendered").atMost(WAIT).until(() -> outputs(cluster).contains("second"));
            await().atMost(WAIT).until(() -> reason(leader.httpPort(), "second").equals("Applied"));
            assertThat(status(leader.httpPort(), "/readyz")).isEqualTo(200);

            // Several lease periods with two live replicas: the lease stays where it is and the follower stays idle.
            Thread.sleep(LEASE.multipliedBy(2).toMillis());
            assertThat(leader.leading()).isTrue();
            assertThat(follower.leading()).isFalse();
            assertThat(holder(client)).isNotBlank();
            assertThat(status(follower.httpPort(), "/readyz")).as("a replica standing by is ready").isEqualTo(200);
            assertThat(resources(follower.httpPort())).as("the follower listed and folded nothing").isEmpty();
            assertThat(metric(follower.httpPort(), "lookout_renders_total")).as("the follower rendered nothing").isZero();
            assertThat(metric(follower.httpPort(), "lookout_reconcile_total")).as("the follower reconciled nothing").isZero();
            assertThat(metric(follower.httpPort(), "lookout_leader")).isZero();
            assertThat(metric(leader.httpPort(), "lookout_leader")).isEqualTo(1);
            assertThat(metric(leader.httpPort(), "lookout_renders_total")).isPositive();
            assertThat(metric(leader.httpPort(), "lookout_reconcile_total")).isPositive();
            assertThat(resources(leader.httpPort())).containsExactlyInAnyOrder("first", "second");
            String firstHolder = holder(client);

            // The leader stops (a rolling update, a drained node): it hands the Lease back on its way out, so the follower
            // need not wait for it to expire. Right after the close it is no longer the old leader's: either released,
            // or taken already (unreleased, it would stay the old holder's for the whole lease duration).
            leader.close();
            long stoppedAt = System.nanoTime();
            assertThat(holder(client)).as("released by the leader that stopped").isNotEqualTo(firstHolder);
            Files.delete(outputFile(cluster, "first")); // only a replica that does the whole start work writes it back
            create(client, "third");
            await("the follower takes the Lease and does the start work").atMost(TAKEOVER).until(() -> follower.leading()
                    && outputs(cluster).contains("first") && outputs(cluster).contains("third"));
            Duration takeover = Duration.ofNanos(System.nanoTime() - stoppedAt);
            assertThat(takeover).as("takeover within the lease and a few tries").isLessThan(TAKEOVER);
            await("everything Applied by the new leader").atMost(WAIT).until(() -> reason(follower.httpPort(), "first").equals("Applied")
                    && reason(follower.httpPort(), "second").equals("Applied") && reason(follower.httpPort(), "third").equals("Applied"));
            assertThat(resources(follower.httpPort())).containsExactlyInAnyOrder("first", "second", "third");
            assertThat(metric(follower.httpPort(), "lookout_reconcile_total")).isPositive();
            assertThat(metric(follower.httpPort(), "lookout_leader")).isEqualTo(1);
            assertThat(status(follower.httpPort(), "/readyz")).isEqualTo(200);
            assertThat(holder(client)).isNotEqualTo(firstHolder);
            assertThat(lostA.get() + lostB.get()).as("a close is not a lost lease").isZero();

            // Someone else takes the Lease (the leader could not renew in time, say): the leader is told to stop.
            // An update with the resourceVersion read, as LeaseLock's own: the mock answers 409 when the leader renewed
            // in between, and the update is tried again.
            await("the Lease handed to another").atMost(WAIT).ignoreException(KubernetesClientException.class).until(() -> {
                Lease lease = client.resources(Lease.class).inNamespace("default").withName("lookout-leader").get();
                lease.getSpec().setHolderIdentity("another-replica");
                lease.getSpec().setRenewTime(ZonedDateTime.now());
                lease.getSpec().setLeaseDurationSeconds(60);
                client.resource(lease).update();
                return true;
            });
            await("a leader that lost its Lease calls lost (lookout run exits 1)").atMost(WAIT).until(() -> lostFollower.get() == 1);
            assertThat(follower.leading()).isFalse();
        } finally {
            Cleanup.quietly(b, a, cluster);
        }
    }

    private static String holder(KubernetesClient client) {
        Lease lease = client.resources(Lease.class).inNamespace("default").withName("lookout-leader").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** Every output file, concatenated (the probes' names are in their jobs). */
    private static String outputs(MockCluster cluster) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path f : files(cluster)) {
            all.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
        }
        return all.toString();
    }

    private static Path outputFile(MockCluster cluster, String probe) throws IOException {
        for (Path f : files(cluster)) {
            if (Files.readString(f, StandardCharsets.UTF_8).contains("/" + probe)) {
                return f;
            }
        }
        throw new AssertionError("no output names " + probe);
    }

    private static List<Path> files(MockCluster cluster) throws IOException {
        Path out = cluster.folders.out().resolve("prometheus");
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .toList();
        }
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The names of the resources a replica's table holds (/api/v1/resources). */
    private static List<String> resources(int port) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (JsonNode item : JSON.readTree(get(port, "/api/v1/resources")).path("items")) {
            names.add(item.path("metadata").path("name").asText());
        }
        return names;
    }

    /** The Ready condition's reason of one probe in a replica's table; "" when absent. */
    private static String reason(int port, String name) throws IOException, InterruptedException {
        for (JsonNode item : JSON.readTree(get(port, "/api/v1/resources")).path("items")) {
            if (item.path("metadata").path("name").asText().equals(name)) {
                for (JsonNode c : item.path("status").path("conditions")) {
                    if (c.path("type").asText().equals("Ready")) {
                        return c.path("reason").asText();
                    }
                }
            }
        }
        return "";
    }

    /** The sum of every series of {@code name} on a replica's /metrics; 0 when it has none. */
    private static double metric(int port, String name) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : get(port, "/metrics").split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
