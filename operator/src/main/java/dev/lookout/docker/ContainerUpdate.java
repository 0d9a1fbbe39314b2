package dev.lookout.docker;

import java.util.function.Predicate;

/**
 * One container event on a host, as the inventory saw it: the container before the event and after the
 * re-inspect. A removal has no {@code after}; a container Lookout never saw (created and removed between two
 * looks) has neither, and then nobody can tell whom it concerned.
 *
 * @param before null when the inventory did not have it
 * @param after  null when it is gone
 */
public record ContainerUpdate(String id, String action, ContainerInfo before, ContainerInfo after) {
    /**
     * Whether a watcher interested in the containers {@code interest} accepts should hear of this. Both sides
     * are asked: a rename or a removal takes a container away from a watcher as surely as a start brings one.
     */
    public boolean concerns(Predicate<ContainerInfo> interest) {
        if (before == null && after == null) {
            return true;
        }
        return (before != null && interest.test(before)) || (after != null && interest.test(after));
    }
}
