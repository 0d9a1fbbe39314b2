package dev.lookout.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.kind.KindDefinition;
import dev.lookout.kind.LoadedResource;
import java.time.temporal.ChronoUnit;

/** A tracked resource as the Kubernetes-shaped object that {@code /api/v1/resources} serves. */
final class ResourceObjects {
    static final String SOURCE_ANNOTATION = "lookout.dev/source";

    private ResourceObjects() {
    }

    static ObjectNode toObject(TrackedResource t, ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("apiVersion", KindDefinition.API_VERSION);
        o.put("kind", t.key.kind());
        ObjectNode metadata = o.putObject("metadata");
        metadata.put("name", t.key.name());
        metadata.put("namespace", t.key.namespace());
        metadata.put("generation", t.generation);
        metadata.put("creationTimestamp", t.created.truncatedTo(ChronoUnit.SECONDS).toString());
        if (t.file != null) {
            metadata.putObject("annotations").put(SOURCE_ANNOTATION, t.file + ":" + t.line);
        }
        LoadedResource shown = t.desired != null ? t.desired : t.applied;
        if (shown != null) {
            o.set("spec", mapper.valueToTree(shown.resource().getSpec()));
        }
        ObjectNode status = o.putObject("status");
        if (t.observedGeneration > 0) {
            status.put("observedGeneration", t.observedGeneration);
        }
        status.set("conditions", mapper.valueToTree(t.conditions));
        status.setAll(t.kindStatus);
        return o;
    }
}
