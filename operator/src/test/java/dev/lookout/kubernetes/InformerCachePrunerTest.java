package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.probe.ComfyProbe;
import dev.lookout.scenarios.ReconcileScenarios;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InformerCachePrunerTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static ComfyProbe applied(Map<String, String> annotations) {
        ComfyProbe probe = SERIALIZATION.unmarshal(ReconcileScenarios.probe("p", "5s", ""), ComfyProbe.class);
        probe.getMetadata().setResourceVersion("7");
        probe.getMetadata().setGeneration(3L);
        probe.getMetadata().setLabels(Map.of("team", "a"));
        probe.getMetadata().setFinalizers(List.of("comfyprobes.lookout.dev/finalizer"));
        probe.getMetadata().setAnnotations(annotations);
        probe.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply")
                .withOperation("Update").build()));
        return probe;
    }

    @Test
    void dropsManagedFieldsAndKubectlsLastAppliedConfiguration() {
        ComfyProbe probe = InformerCachePruner.prune(applied(Map.of(InformerCachePruner.LAST_APPLIED, "{\"kind\":\"ComfyProbe\"}",
                "owner", "team-a")));

        assertThat(probe.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(probe.getMetadata().getAnnotations()).containsExactly(Map.entry("owner", "team-a"));
    }

    @Test
    void keepsWhatLookoutAndJavaOperatorSdkRead() {
        ComfyProbe probe = InformerCachePruner.prune(applied(Map.of(InformerCachePruner.LAST_APPLIED, "{}")));

        assertThat(probe.getMetadata().getAnnotations()).as("no annotation left").isNull();
        assertThat(probe.getMetadata().getName()).isEqualTo("p");
        assertThat(probe.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(probe.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(probe.getMetadata().getGeneration()).isEqualTo(3L);
        assertThat(probe.getMetadata().getLabels()).containsExactly(Map.entry("team", "a"));
        assertThat(probe.getMetadata().getFinalizers()).containsExactly("comfyprobes.lookout.dev/finalizer");
        assertThat(probe.getSpec().interval()).isEqualTo("5s");
    }

    @Test
    void theStoreKeepsThePrunedObjectUnderItsKey() {
        ItemStore<ComfyProbe> store = InformerCachePruner.store();
        ComfyProbe probe = applied(Map.of(InformerCachePruner.LAST_APPLIED, "{}"));

        store.put(store.getKey(probe), probe);

        ComfyProbe cached = store.get("default/p");
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getMetadata().getAnnotations()).isNull();
        assertThat(store.size()).isEqualTo(1);
    }
}
