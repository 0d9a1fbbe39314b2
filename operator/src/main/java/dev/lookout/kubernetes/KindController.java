package dev.lookout.kubernetes;

import dev.lookout.api.ObjectKey;
import dev.lookout.engine.Engine;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;

/**
 * The one controller each kind gets, thin on purpose: java-operator-sdk brings the watch, the queue per key and the
 * retries; the resource is folded into the engine (same validation as directory mode), and the engine calls the
 * kind's own reconciler, the object directory mode uses. The status is written after the output cycle
 * ({@link StatusWriter}), so this returns no status update of its own.
 *
 * <p>Registered with {@code triggerReconcilerOnAllEvents}, so that a deletion reaches it without a finalizer: a kind
 * that owns nothing outside Kubernetes (its outputs are a function of the whole set, re-rendered without it) needs
 * none. Kinds that own Docker containers use {@link FinalizingKindController}.
 */
class KindController<R extends CustomResource<?, ?>> implements Reconciler<R> {
    private final Class<R> type;
    private final ClusterResources resources;
    private final Engine engine;
    private final PlatformEvents events;

    KindController(Class<R> type, ClusterResources resources, Engine engine, PlatformEvents events) {
        this.type = type;
        this.resources = resources;
        this.engine = engine;
        this.events = events;
    }

    /** The platforms' events about this kind's resources (Docker containers, cluster workloads, Secrets). */
    @Override
    public java.util.List<io.javaoperatorsdk.operator.processing.event.source.EventSource<?, R>> prepareEventSources(
            io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<R> context) {
        return java.util.List.of(events.<R>source(io.fabric8.kubernetes.api.model.HasMetadata.getKind(type)));
    }

    /** The kind this instance serves (one generic class serves every kind; see {@link KindConfigurations}). */
    Class<R> resourceType() {
        return type;
    }

    @Override
    public UpdateControl<R> reconcile(R resource, Context<R> context) throws Exception {
        ObjectKey key = ClusterResources.key(resource);
        if (context.isPrimaryResourceDeleted()) {
            forget(key);
            return UpdateControl.noUpdate();
        }
        for (ObjectKey other : resources.put(resource)) {
            if (!other.equals(key)) {
                engine.requeue(other); // a rule across resources (a host claimed twice) changed for another one
            }
        }
        Duration again = attempt(key);
        UpdateControl<R> control = UpdateControl.noUpdate();
        return again == null ? control : control.rescheduleAfter(again);
    }

    /** The resource is gone: it leaves the outputs, and its kind's cleanup runs (it may throw: retried). */
    void forget(ObjectKey key) throws Exception {
        for (ObjectKey other : resources.remove(key)) {
            if (!other.equals(key)) {
                engine.requeue(other);
            }
        }
        attempt(key);
    }

    /** One reconcile through the engine, with the platform events that arrive meanwhile held until it ends. */
    private Duration attempt(ObjectKey key) throws Exception {
        events.started(key);
        boolean succeeded = false;
        try {
            Duration again = engine.reconcileKey(key);
            succeeded = true;
            return again;
        } finally {
            events.ended(key, succeeded);
        }
    }

    @Override
    public ErrorStatusUpdateControl<R> updateErrorStatus(R resource, Context<R> context, Exception e) {
        int attempt = context.getRetryInfo().map(RetryInfo::getAttemptCount).orElse(1);
        engine.reconcileFailed(ClusterResources.key(resource), e, attempt, Duration.ZERO);
        return ErrorStatusUpdateControl.noStatusUpdate(); // the table says ReconcileFailed; the writer patches it
    }
}
