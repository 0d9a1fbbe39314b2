package dev.lookout.kubernetes.platform;

import dev.lookout.api.ObjectKey;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Optional;

/**
 * The owner reference of a Lookout resource, for the objects made for it. The seam names an owner only by its
 * {@link ObjectKey}; its uid and apiVersion are known to the controller layer (its informer cache), which implements
 * this. With a reference, Kubernetes' garbage collector removes the objects when the resource goes, even while
 * Lookout is down.
 */
@FunctionalInterface
public interface OwnerReferences {
    /** For when no owner is known (directory mode pointed at a cluster, tests): objects are made without one. */
    OwnerReferences NONE = owner -> Optional.empty();

    /** The reference to put on {@code owner}'s objects (controller=true); empty when the resource is not known. */
    Optional<OwnerReference> of(ObjectKey owner);
}
