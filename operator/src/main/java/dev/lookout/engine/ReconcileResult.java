package dev.lookout.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * What a reconcile found: the kind's status fields (merged next to {@code observedGeneration} and
 * {@code conditions}), and when to look again even if nothing changes (null: only on change).
 */
public record ReconcileResult(ObjectNode status, Duration requeueAfter) {
    public static final ReconcileResult NOTHING = new ReconcileResult(JsonNodeFactory.instance.objectNode(), null);

    public ReconcileResult {
        status = status == null ? JsonNodeFactory.instance.objectNode() : status.deepCopy();
    }

    public static ReconcileResult status(ObjectNode status) {
        return new ReconcileResult(status, null);
    }
}
