package dev.lookout.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What java-operator-sdk's informer cache keeps of each Lookout resource: the object without
 * {@code metadata.managedFields} and without kubectl's {@code last-applied-configuration} annotation. Both are the API
 * server's and kubectl's bookkeeping, not the user's spec, and together they are most of a cached resource: a
 * {@code fieldsV1} tree per field manager (kubectl, and Lookout's own status patches) and a second copy of the whole
 * object as JSON text. Nothing in Lookout reads either (the spec, labels, generation, uid and status are what
 * {@link ClusterResources} and {@link PriorStatus} take); java-operator-sdk reads managedFields only to patch a
 * status or match dependents with server-side apply, which Lookout does not use (statuses are JSON patches by
 * {@link StatusWriter}; finalizers are added with an apply patch built from name and namespace alone, and removed
 * with a JSON patch computed between two copies of the cached object, where what is absent from both is no change).
 * controller-runtime's {@code TransformStripManagedFields} does the same for Go operators.
 */
final class InformerCachePruner {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private InformerCachePruner() {
    }

    /**
     * A store for one informer. Not for several: fabric8's relist removes from its store every key the list did not
     * return, so one store shared by the informers of several namespaces would lose the other namespaces' objects.
     */
    static <R extends HasMetadata> ItemStore<R> store() {
        return new TransformingItemStore<>(InformerCachePruner::prune);
    }

    /** Drops the two fields from {@code resource} itself (the informer's freshly read copy) and returns it. */
    static <R extends HasMetadata> R prune(R resource) {
        ObjectMeta metadata = resource.getMetadata();
        if (metadata == null) {
            return resource;
        }
        metadata.setManagedFields(null);
        Map<String, String> annotations = metadata.getAnnotations();
        if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
            Map<String, String> kept = new LinkedHashMap<>(annotations); // the map may be one the caller cannot change
            kept.remove(LAST_APPLIED);
            metadata.setAnnotations(kept.isEmpty() ? null : kept);
        }
        return resource;
    }
}
