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
    private volatile Consumer<ObjectKey> requeueNow = key -> { };

    /** Where queued work goes (the engine's queue); set once the engine exists. */
    public void onChange(Consumer<ObjectKey> requeue) {
        onChange(requeue, requeue);
    }

    /**
     * @param containerChanged for a container event, which may be the echo of the resource's own failed attempt
     *                         (a refused start still connects and disconnects its network): the engine leaves a
     *                         failing resource to its backoff
     * @param hostChanged      for a host that went down or came back: worth a try at once, failing or not
     */
    public void onChange(Consumer<ObjectKey> containerChanged, Consumer<ObjectKey> hostChanged) {
        this.requeue = containerChanged;
        this.requeueNow = hostChanged;
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
        on(host).forEach(requeueNow);
    }

    @Override
    public void hostDown(String host, String reason) {
        on(host).forEach(requeueNow);
    }
}
