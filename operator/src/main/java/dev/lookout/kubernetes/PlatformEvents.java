package dev.lookout.kubernetes;

import dev.lookout.api.ObjectKey;
import dev.lookout.engine.Engine;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What the platforms report (a Docker container stopped, a host came back, a cluster workload rolled out) and what
 * other resources' changes imply (a Secret rotated, a rule across resources), as java-operator-sdk events: one inbound
 * event source per kind, so that java-operator-sdk's queue is the only one that reconciles a resource in Kubernetes
 * mode, with its retries.
 *
 * <p>java-operator-sdk reconciles at once on any event, even while a failed resource's retry backs off. What a failed
 * attempt does itself produces events (a container start Docker refuses still connects and disconnects its network),
 * so passing those on would repeat the failure at the speed of the events, for ever. {@link #requeue} therefore leaves
 * a resource whose last reconcile failed to its backoff, and holds an event that arrives during an attempt until the
 * attempt ends: passed on if it succeeded, dropped if it failed. {@link #reconcileNow} (a Docker host reachable again)
 * is passed on always, as directory mode's queue does.
 */
final class PlatformEvents implements Engine.Requeues {
    private final Predicate<ObjectKey> failing;
    private final Map<String, SimpleInboundEventSource<?>> sources = new ConcurrentHashMap<>();
    private final Set<ObjectKey> inFlight = new HashSet<>();
    private final Set<ObjectKey> heldDuringAttempt = new HashSet<>();
    /**
     * Whose last attempt failed, known here as the attempt ends: the engine's table learns it only afterwards, when
     * java-operator-sdk calls {@code updateErrorStatus}, and an event in between must not cut the backoff either.
     */
    private final Set<ObjectKey> failed = new HashSet<>();

    /** @param failing whether a resource's last reconcile failed ({@link Engine#failing}) */
    PlatformEvents(Predicate<ObjectKey> failing) {
        this.failing = failing;
    }

    /** The event source of {@code kind}'s controller (java-operator-sdk starts and stops it with the controller). */
    <R extends CustomResource<?, ?>> SimpleInboundEventSource<R> source(String kind) {
        @SuppressWarnings("unchecked")
        SimpleInboundEventSource<R> source = (SimpleInboundEventSource<R>) sources.computeIfAbsent(kind,
                k -> new SimpleInboundEventSource<R>("platform-" + k.toLowerCase(java.util.Locale.ROOT)));
        return source;
    }

    /**
     * Under this object's lock, so that an attempt cannot start between the check and the event (java-operator-sdk's
     * {@code handleEvent} only marks the event and hands a reconcile to its executor: it never waits on a reconcile).
     */
    @Override
    public synchronized void requeue(ObjectKey key) {
        if (inFlight.contains(key)) {
            heldDuringAttempt.add(key);
        } else if (!failed.contains(key) && !failing.test(key)) {
            propagate(key);
        }
    }

    @Override
    public void reconcileNow(ObjectKey key) {
        propagate(key);
    }

    /** A reconcile of {@code key} starts (java-operator-sdk runs one at a time per resource). */
    synchronized void started(ObjectKey key) {
        inFlight.add(key);
    }

    /** It ended; an event held meanwhile goes on only if it succeeded. */
    synchronized void ended(ObjectKey key, boolean succeeded) {
        inFlight.remove(key);
        boolean held = heldDuringAttempt.remove(key);
        if (succeeded) {
            failed.remove(key);
        } else {
            failed.add(key);
        }
        if (held && succeeded) {
            propagate(key);
        }
    }

    private void propagate(ObjectKey key) {
        SimpleInboundEventSource<?> source = sources.get(key.kind());
        // Before its controller started (a replica standing by) there is nothing to tell: the start reconciles all.
        if (source != null && source.isRunning()) {
            source.propagateEvent(new ResourceID(key.name(), key.namespace()));
        }
    }
}
