package dev.lookout.docker;

import dev.lookout.load.ObjectKey;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which resources depend on which Docker host, so that a container event reconciles exactly those: a reconciler
 * says {@link #watch} for the host its resource lives on, and every event, resync or outage of that host queues
 * the resource again. Reconciling reads the host's inventory from memory, so a burst of events costs little.
 */
public final class HostWatch implements HostListener {
    private final Map<ObjectKey, String> hostOf = new ConcurrentHashMap<>();
    private volatile Consumer<ObjectKey> requeue = key -> { };

    /** Where queued work goes (the engine's queue); set once the engine exists. */
    public void onChange(Consumer<ObjectKey> requeue) {
        this.requeue = requeue;
    }

    public void watch(String host, ObjectKey key) {
        hostOf.put(key, host);
    }

    public void unwatch(ObjectKey key) {
        hostOf.remove(key);
    }

    /** The resources that live on {@code host}. */
    public Set<ObjectKey> on(String host) {
        Set<ObjectKey> keys = new java.util.TreeSet<>();
        hostOf.forEach((key, h) -> {
            if (h.equals(host)) {
                keys.add(key);
            }
        });
        return keys;
    }

    @Override
    public void containerChanged(String host, String containerId, String action) {
        on(host).forEach(requeue);
    }

    @Override
    public void resynced(String host) {
        on(host).forEach(requeue);
    }

    @Override
    public void hostDown(String host, String reason) {
        on(host).forEach(requeue);
    }
}
