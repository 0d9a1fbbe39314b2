package dev.lookout.kubernetes.platform;

import dev.lookout.api.ObjectKey;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels that say what Lookout made and for whom, the same words the Docker platform puts on its containers.
 * Lookout only ever changes or deletes an object that carries both; the spec hash (an annotation: it is no selector)
 * decides whether one must be replaced.
 */
public final class OwnerLabels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String LOOKOUT = "lookout";
    public static final String OWNER = "lookout.dev/owner";
    /** Which workload of the owner a pod belongs to: the selector of its Deployment, DaemonSet and Service. */
    static final String WORKLOAD = "lookout.dev/workload";
    public static final String SPEC_HASH = "lookout.dev/spec-hash";
    /** On the pod template: the files' digest, so that a changed file rolls the pod (docs/kubernetes-platform.md). */
    static final String FILES_HASH = "lookout.dev/files-hash";

    private OwnerLabels() {
    }

    /**
     * {@code <kind>.<namespace>.<name>}, kind in lower case. A label value holds 63 characters at most: a longer one
     * keeps its start and ends with a digest of the whole, so it still names one owner.
     */
    public static String owner(ObjectKey key) {
        return ObjectNames.limit(key.kind().toLowerCase(Locale.ROOT) + "." + key.namespace() + "." + key.name(), 63);
    }

    /** The label filter that finds everything {@code key} owns. */
    public static Map<String, String> ownedBy(ObjectKey key) {
        return Map.of(MANAGED_BY, LOOKOUT, OWNER, owner(key));
    }

    /** The labels of one workload's objects and pods: the owner's, the workload's name, and the user's. */
    static Map<String, String> of(ObjectKey key, String objectName, Map<String, String> userLabels) {
        Map<String, String> labels = new TreeMap<>(userLabels);
        labels.putAll(selector(key, objectName));
        return labels;
    }

    /** What a workload's pods are selected by (never the user's labels: a selector cannot change later). */
    static Map<String, String> selector(ObjectKey key, String objectName) {
        Map<String, String> labels = new TreeMap<>(ownedBy(key));
        labels.put(WORKLOAD, objectName);
        return labels;
    }

    /** Whether {@code labels} say the object is {@code key}'s. */
    public static boolean owns(ObjectKey key, Map<String, String> labels) {
        return labels != null && LOOKOUT.equals(labels.get(MANAGED_BY)) && owner(key).equals(labels.get(OWNER));
    }
}
