package dev.lookout.docker;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The containers of one host as last seen, for readers on any thread; written by its supervisor alone.
 * Each entry remembers when it was last written (a stamp from a counter), and a removal leaves a tombstone
 * until the next comparison, so that a resync can tell a difference the events stream already reported from
 * one it missed.
 */
final class ContainerInventory {
    /**
     * @param info    the container; for a tombstone, as it was last seen (null if never)
     * @param removed a tombstone: the container is gone
     */
    private record Entry(ContainerInfo info, boolean removed, long stamp) {
    }

    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();

    List<ContainerInfo> all() {
        return byId.values().stream().filter(e -> !e.removed()).map(Entry::info)
                .sorted(Comparator.comparing(ContainerInfo::name).thenComparing(ContainerInfo::id)).toList();
    }

    Optional<ContainerInfo> get(String id) {
        Entry e = byId.get(id);
        return e == null || e.removed() ? Optional.empty() : Optional.of(e.info());
    }

    /**
     * The container as last seen, even when it is gone since (until its tombstone is forgotten): a destroy event
     * that follows a die whose inspect already found nothing can still say whose container it was.
     */
    Optional<ContainerInfo> lastSeen(String id) {
        Entry e = byId.get(id);
        return e == null ? Optional.empty() : Optional.ofNullable(e.info());
    }

    /** A point in this inventory's history: whatever is written later has a larger stamp. */
    long mark() {
        return clock.incrementAndGet();
    }

    void put(ContainerInfo info) {
        byId.put(info.id(), new Entry(info, false, clock.incrementAndGet()));
    }

    void remove(String id) {
        byId.compute(id, (k, e) -> new Entry(e == null ? null : e.info(), true, clock.incrementAndGet()));
    }

    /** Everything as {@code fresh} says, tombstones dropped. */
    void replaceAll(Collection<ContainerInfo> fresh) {
        long stamp = clock.incrementAndGet();
        Set<String> ids = new TreeSet<>();
        for (ContainerInfo info : fresh) {
            byId.put(info.id(), new Entry(info, false, stamp));
            ids.add(info.id());
        }
        byId.keySet().retainAll(ids);
    }

    /**
     * The containers on which {@code fresh} (a list taken after {@code mark}) and this inventory disagree, leaving
     * out those written since {@code mark}: for them an event was processed while the list was being taken, and
     * the inventory is at least as new as the list.
     */
    Set<String> unreported(Collection<ContainerInfo> fresh, long mark) {
        Set<String> differing = new TreeSet<>();
        Set<String> listed = new TreeSet<>();
        for (ContainerInfo info : fresh) {
            listed.add(info.id());
            Entry e = byId.get(info.id());
            if (e == null || (e.stamp() <= mark && (e.removed() || !info.equals(e.info())))) {
                differing.add(info.id());
            }
        }
        for (Map.Entry<String, Entry> e : byId.entrySet()) {
            if (!listed.contains(e.getKey()) && !e.getValue().removed() && e.getValue().stamp() <= mark) {
                differing.add(e.getKey());
            }
        }
        return differing;
    }

    /** Drops the tombstones written before {@code mark}: a comparison after it no longer needs them. */
    void forgetRemovedBefore(long mark) {
        byId.entrySet().removeIf(e -> e.getValue().removed() && e.getValue().stamp() < mark);
    }
}
