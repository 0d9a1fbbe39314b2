package dev.lookout.api;

/** Identity of a manifest object: kind, namespace and name, as Kubernetes identifies it. */
public record ObjectKey(String kind, String namespace, String name) implements Comparable<ObjectKey> {
    public static final String DEFAULT_NAMESPACE = "default";

    @Override
    public int compareTo(ObjectKey o) {
        return toString().compareTo(o.toString());
    }

    /** {@code Kind namespace/name}, the form used in every message. */
    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
