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

    @Override
    public void requeue(ObjectKey key) {
        synchronized (this) {
            if (inFlight.contains(key)) {
                heldDuringAttempt.add(key);
                return;
            }
        }
        if (!failing.test(key)) {
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
    void ended(ObjectKey key, boolean succeeded) {
        boolean held;
        synchronized (this) {
            inFlight.remove(key);
            held = heldDuringAttempt.remove(key);
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
