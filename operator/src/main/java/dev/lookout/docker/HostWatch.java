package dev.lookout.docker;

import dev.lookout.api.ObjectKey;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Which resources depend on which Docker host, and on which of its containers, so that a container event
 * reconciles exactly those: a reconciler says {@link #watch} for the host its resource lives on and the containers
 * it cares about (those it owns, or those it discovers); an event queues the resources it concerns, and a resync
 * or outage of the host queues all of them. A GpuNode reconcile reads the exporter's metrics, so on a busy
 * compose host it must not run for every ComfyUI container that starts.
 */
public final class HostWatch implements HostListener {
    private record Watched(String host, Predicate<ContainerInfo> interest) {
    }

    private final Map<ObjectKey, Watched> watched = new ConcurrentHashMap<>();
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

    /** Something the resource waited for on its host is done (its image build): look at it again at once. */
    public void workDone(ObjectKey key) {
        requeueNow.accept(key);
    }

    /**
     * {@code key} lives on {@code host} and is reconciled again when a container that {@code interest} accepts
     * changes there (before or after the change: one that leaves the set matters as much as one that joins it).
     */
    public void watch(String host, ObjectKey key, Predicate<ContainerInfo> interest) {
        watched.put(key, new Watched(host, interest));
    }

    public void unwatch(ObjectKey key) {
        watched.remove(key);
    }

    /** The resources that live on {@code host}. */
    public Set<ObjectKey> on(String host) {
        Set<ObjectKey> keys = new TreeSet<>();
        watched.forEach((key, w) -> {
            if (w.host().equals(host)) {
                keys.add(key);
            }
        });
        return keys;
    }

    @Override
    public void containerChanged(String host, ContainerUpdate update) {
        watched.forEach((key, w) -> {
            if (w.host().equals(host) && update.concerns(w.interest())) {
                requeue.accept(key);
            }
        });
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
