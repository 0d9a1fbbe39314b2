package dev.lookout.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Resources as the engine puts them in its catalog: Kubernetes-shaped objects with status. */
public final class StatusObjects {
    private StatusObjects() {
    }

    /** A resource whose Ready condition has {@code ready} ("True", "False", or null for no status yet). */
    public static ObjectNode resource(String kind, String namespace, String name, Instant created, String ready, String reason) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("apiVersion", "lookout.dev/v1alpha1").put("kind", kind);
        ObjectNode metadata = o.putObject("metadata");
        metadata.put("name", name).put("namespace", namespace).put("generation", 1)
                .put("creationTimestamp", created.toString());
        metadata.putObject("annotations");
        o.putObject("spec");
        if (ready != null) {
            ObjectNode status = o.putObject("status");
            status.put("observedGeneration", 1);
            status.putArray("conditions").addObject()
                    .put("type", "Ready").put("status", ready).put("reason", reason)
                    .put("message", reason).put("lastTransitionTime", created.toString());
        }
        return o;
    }

    /** {@code resource(...)} with {@code field} (a dotted path under the object, e.g. {@code status.targetCount}) set. */
    public static ObjectNode with(ObjectNode resource, String field, Object value) {
        String[] parts = field.split("\\.");
        ObjectNode node = resource;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], value instanceof Integer n
                ? JsonNodeFactory.instance.numberNode(n) : JsonNodeFactory.instance.textNode(String.valueOf(value)));
        return resource;
    }
}
