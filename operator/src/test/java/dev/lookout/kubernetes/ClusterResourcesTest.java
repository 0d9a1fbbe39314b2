package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.api.ObjectKey;
import dev.lookout.engine.Engine;
import dev.lookout.engine.EngineMetrics;
import dev.lookout.engine.ResourceTable;
import dev.lookout.probe.ComfyProbe;
import dev.lookout.scenarios.ReconcileScenarios;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterResources} folding into a real {@link ResourceTable} and {@link Engine} (not started: a fold only
 * updates the table and asks for an output cycle, which nothing runs here).
 */
class ClusterResourcesTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private final ObjectMapper mapper = new ObjectMapper();
    private final ResourceTable table = new ResourceTable();
    private final Engine engine = new Engine(table, Map.of(), null, null, EngineMetrics.NONE, Engine.Settings.DEFAULT,
            Clock.systemUTC(), mapper);
    private final ClusterResources resources = new ClusterResources(engine, table, new PriorStatus(table, mapper), mapper,
            new OwnerIndex());
    private final ExecutorService threads = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private static ComfyProbe probe(String name, String extra) {
        return SERIALIZATION.unmarshal(ReconcileScenarios.probe(name, "5s", extra), ComfyProbe.class);
    }

    private static ObjectKey key(String name) {
        return new ObjectKey("ComfyProbe", "default", name);
    }

    private static Secret secret(String name, String password) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))).build();
    }

    @Test
    void primeFoldsEveryResourceOnce() {
        resources.prime(List.of(probe("a", ""), probe("b", "")), List.of());

        assertThat(resources.folds()).isEqualTo(1);
        assertThat(table.keys()).containsExactlyInAnyOrder(key("a"), key("b"));
    }

    @Test
    void anUnchangedSpecIsNotFoldedAgain() {
        resources.prime(List.of(), List.of());
        resources.put(probe("a", ""));
        long folds = resources.folds();

        assertThat(resources.put(probe("a", ""))).isEmpty();
        assertThat(resources.folds()).isEqualTo(folds);
    }

    @Test
    void aBurstOfEventsIsFoldedInFewerFoldsAndEachCallerFindsItsResourceFolded() throws Exception {
        resources.prime(List.of(), List.of());
        int count = 400;
        CountDownLatch go = new CountDownLatch(1);
        Map<ObjectKey, Set<ObjectKey>> returned = new ConcurrentHashMap<>();
        List<Future<Boolean>> seen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ComfyProbe probe = probe("p" + i, "");
            seen.add(threads.submit(() -> {
                go.await();
                ObjectKey key = ClusterResources.key(probe);
                returned.put(key, resources.put(probe));
                // What KindController does next: the reconcile must find this version in the table.
                return table.work(key) instanceof ResourceTable.Work.Reconcile;
            }));
        }
        go.countDown();
        for (Future<Boolean> f : seen) {
            assertThat(f.get()).as("the caller's own resource is folded when put returns").isTrue();
        }

        assertThat(table.size()).isEqualTo(count);
        assertThat(resources.folds()).as("folds for %d events", count).isLessThan(count);
        // Every put reconciles its own key; none is told to requeue another put's key (no key requeued once per caller).
        returned.values().forEach(keys -> assertThat(keys).isEmpty());
    }

    @Test
    void aRemovalIsFoldedWhenItReturns() {
        resources.prime(List.of(probe("a", ""), probe("b", "")), List.of());

        resources.remove(key("a"));

        assertThat(table.work(key("a"))).isInstanceOf(ResourceTable.Work.Cleanup.class);
        assertThat(table.work(key("b"))).isInstanceOf(ResourceTable.Work.Reconcile.class);
    }

    @Test
    void aSecretChangeReturnsItsReaders() {
        String reads = """
                  http:
                    basicAuth:
                      username: admin
                      passwordSecretRef: {name: pass, key: password}
                """;
        resources.prime(List.of(probe("reader", reads), probe("other", "")), List.of(secret("pass", "one")));
        assertThat(table.work(key("reader"))).isInstanceOf(ResourceTable.Work.Reconcile.class);

        assertThat(resources.putSecret(secret("pass", "two"))).containsExactly(key("reader"));
        assertThat(resources.putSecret(secret("pass", "two"))).as("same data").isEmpty();
        assertThat(resources.putSecret(secret("unread", "x"))).as("read by no resource").isEmpty();
        assertThat(resources.removeSecret(new ObjectKey("Secret", "default", "pass"))).containsExactly(key("reader"));
        assertThat(table.work(key("reader"))).as("its Secret is missing").isInstanceOf(ResourceTable.Work.Skip.class);
    }

    @Test
    void aSecretSeenBeforePrimeIsOnlyRemembered() {
        assertThat(resources.putSecret(secret("pass", "one"))).isEmpty();
        assertThat(resources.folds()).isZero();
    }
}
