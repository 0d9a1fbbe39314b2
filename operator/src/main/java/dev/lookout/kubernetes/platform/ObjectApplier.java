package dev.lookout.kubernetes.platform;

import dev.lookout.api.ObjectKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes desired objects: create when missing, replace when the spec hash differs, nothing when it is the same; then
 * deletes what else carries the owner's labels (Strimzi's batchReconcile).
 *
 * <p>Create-or-replace rather than server-side apply: the hash makes "nothing changed" a read and no write (an
 * unchanged apply is still a request per object per pass, and an informer event for each write), a replace carries
 * the resourceVersion read, so a concurrent change fails and is retried instead of overwritten unseen, and it behaves
 * the same against any API server (the mock server of the tests included). What it gives up: a field someone else
 * set on the object is dropped when Lookout replaces it, as a container is recreated whole on Docker.
 */
public final class ObjectApplier {
    /** Every kind of object the platform makes, in the order removal goes: pods' owners first, their files last. */
    static final List<Class<? extends HasMetadata>> KINDS = List.of(DaemonSet.class, Deployment.class, Service.class,
            ConfigMap.class, Secret.class);

    private final KubernetesClient client;
    /** The label naming an object's owner: the platform's, or another writer's that keeps its objects apart. */
    private final String ownerLabel;

    public ObjectApplier(KubernetesClient client) {
        this(client, OwnerLabels.OWNER);
    }

    /**
     * @param ownerLabel the label that names the owner on this writer's objects: prometheus.mode: operator's publisher
     *                   uses one of its own, so that the platform's prune (by {@link OwnerLabels#OWNER}) never takes its
     *                   objects for leftovers of a workload
     */
    public ObjectApplier(KubernetesClient client, String ownerLabel) {
        this.ownerLabel = ownerLabel;
        this.client = client;
    }

    /** What {@link #apply} did. */
    public enum Outcome { CREATED, REPLACED, UNCHANGED }

    /** @param live the object as the API server has it now */
    public record Applied(HasMetadata live, Outcome outcome) {
    }

    /** An object of that kind and name exists and is not the owner's: Lookout does not touch it. */
    public static final class NameTaken extends RuntimeException {
        NameTaken(String message) {
            super(message);
        }
    }

    public Applied apply(ObjectKey owner, HasMetadata desired) {
        String hash = SpecHash.of(desired);
        Map<String, String> annotations = new TreeMap<>(desired.getMetadata().getAnnotations() == null ? Map.of()
                : desired.getMetadata().getAnnotations());
        annotations.put(OwnerLabels.SPEC_HASH, hash);
        desired.getMetadata().setAnnotations(annotations);
        HasMetadata existing = client.resource(desired).get();
        if (existing == null) {
            return new Applied(client.resource(desired).create(), Outcome.CREATED);
        }
        Map<String, String> labels = existing.getMetadata().getLabels();
        if (labels == null || !OwnerLabels.LOOKOUT.equals(labels.get(OwnerLabels.MANAGED_BY))
                || !OwnerLabels.owner(owner).equals(labels.get(ownerLabel))) {
            throw new NameTaken(desired.getKind() + " " + desired.getMetadata().getNamespace() + "/"
                    + desired.getMetadata().getName() + " exists and is not " + owner + "'s (no "
                    + ownerLabel + "=" + OwnerLabels.owner(owner) + " label): Lookout leaves it alone; delete or rename it");
        }
        String before = existing.getMetadata().getAnnotations() == null ? null
                : existing.getMetadata().getAnnotations().get(OwnerLabels.SPEC_HASH);
        if (hash.equals(before)) {
            return new Applied(existing, Outcome.UNCHANGED);
        }
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        if (desired instanceof Service service && existing instanceof Service live && !"None".equals(service.getSpec().getClusterIP())) {
            // The address the API server gave it cannot change (a Service's clusterIP is immutable).
            service.getSpec().setClusterIP(live.getSpec().getClusterIP());
            service.getSpec().setClusterIPs(live.getSpec().getClusterIPs());
        }
        return new Applied(client.resource(desired).update(), Outcome.REPLACED);
    }

    /** Deletes the owner's objects in {@code namespace} that {@code keep} does not name (a Secret no longer needed, say). */
    void prune(ObjectKey owner, List<HasMetadata> keep) {
        Set<String> kept = keep.stream().map(ObjectApplier::id).collect(Collectors.toSet());
        for (Class<? extends HasMetadata> kind : KINDS) {
            for (HasMetadata found : client.resources(kind).inNamespace(owner.namespace()).withLabels(OwnerLabels.ownedBy(owner)).list().getItems()) {
                if (!kept.contains(id(found))) {
                    client.resource(found).delete();
                }
            }
        }
    }

    /** Deletes every object the owner has in its namespace. */
    void removeAll(ObjectKey owner) {
        for (Class<? extends HasMetadata> kind : KINDS) {
            client.resources(kind).inNamespace(owner.namespace()).withLabels(OwnerLabels.ownedBy(owner)).delete();
        }
    }

    private static String id(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }
}
