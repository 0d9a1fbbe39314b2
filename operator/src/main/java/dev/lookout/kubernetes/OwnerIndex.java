package dev.lookout.kubernetes;

import dev.lookout.api.ObjectKey;
import dev.lookout.kubernetes.platform.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owner references of the Lookout resources the API server has shown, by key: the objects the Kubernetes
 * platform makes for a resource carry its reference (controller), so Kubernetes' garbage collector
 * removes them with the resource even while Lookout is down.
 */
final class OwnerIndex implements OwnerReferences {
    private final Map<ObjectKey, OwnerReference> references = new ConcurrentHashMap<>();

    void put(ObjectKey key, HasMetadata resource) {
        if (resource.getMetadata().getUid() == null) {
            return; // not stored by an API server (a test's object): nothing to refer to
        }
        // No blockOwnerDeletion: setting it needs update on <plural>/finalizers where the OwnerReferencesPermissionEnforcement
        // admission plugin runs (OpenShift), and a foreground deletion of a Lookout resource is not something to wait on.
        references.put(key, new OwnerReferenceBuilder().withApiVersion(resource.getApiVersion()).withKind(resource.getKind())
                .withName(resource.getMetadata().getName()).withUid(resource.getMetadata().getUid()).withController(true)
                .build());
    }

    void remove(ObjectKey key) {
        references.remove(key);
    }

    @Override
    public Optional<OwnerReference> of(ObjectKey owner) {
        return Optional.ofNullable(references.get(owner));
    }
}
