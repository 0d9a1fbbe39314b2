package dev.lookout.probe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.engine.ReconcileResult;
import dev.lookout.engine.Reconciler;
import dev.lookout.load.ObjectKey;

/**
 * ComfyProbe's reconciler: reports the targets it probes. Static targets are known from the spec; targets
 * discovered among a Docker host's containers come with the Docker platform.
 */
public final class ComfyProbeReconciler implements Reconciler<ComfyProbe> {
    @Override
    public ReconcileResult reconcile(ComfyProbe resource, ObjectKey key) {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        ArrayNode targets = status.putArray("targets");
        resource.getSpec().targets().forEach(t -> targets.addObject().put("url", t.url()));
        status.put("targetCount", targets.size());
        return ReconcileResult.status(status);
    }
}
