package dev.lookout.docker;

import dev.lookout.platform.WorkloadChange;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares the container one resource wants with what the host has and lists the changes, without making any:
 * the same answer for {@code lookout plan} and for the reconciler that then carries it out. A container is
 * recreated only when its spec hash differs; one that exists but is stopped is started; anything else the
 * resource owns is removed. A container of the wanted name that Lookout does not own is never touched.
 */
public final class ContainerPlanner {
    private ContainerPlanner() {
    }

    /**
     * @param desired the stamped spec ({@link Ownership#stamp}), or null when the resource wants nothing here
     * @param owned   the host's containers that carry this owner's labels
     * @param all     every container on the host (to find a name taken by someone else)
     */
    public static List<WorkloadChange> plan(String host, String owner, ContainerSpec desired, List<ContainerInfo> owned,
                                             List<ContainerInfo> all) {
        List<WorkloadChange> changes = new ArrayList<>();
        ContainerInfo current = null;
        for (ContainerInfo c : owned) {
            if (desired != null && c.name().equals(desired.name()) && current == null) {
                current = c;
            } else {
                changes.add(new WorkloadChange(WorkloadChange.Action.REMOVE, host, c.name(), owner,
                        desired == null ? "its resource is gone" : "not part of the resource's spec any more"));
            }
        }
        if (desired == null) {
            return changes;
        }
        String wantedHash = java.util.Objects.requireNonNull(desired.labels().get(Ownership.SPEC_HASH),
                "stamp the spec first (Ownership.stamp)");
        if (current == null) {
            // None of the owner's containers has the name, so whoever has it is someone else.
            boolean taken = all.stream().anyMatch(c -> c.name().equals(desired.name()));
            changes.add(taken
                    ? new WorkloadChange(WorkloadChange.Action.BLOCKED, host, desired.name(), owner,
                            "a container of that name exists and Lookout does not own it for " + owner + "; rename or remove it")
                    : new WorkloadChange(WorkloadChange.Action.CREATE, host, desired.name(), owner, "image " + desired.image()));
        } else if (!wantedHash.equals(current.label(Ownership.SPEC_HASH))) {
            changes.add(new WorkloadChange(WorkloadChange.Action.RECREATE, host, current.name(), owner,
                    "spec changed (hash " + current.label(Ownership.SPEC_HASH) + " → " + wantedHash + ")"));
        } else if ("dead".equals(current.state())) {
            changes.add(new WorkloadChange(WorkloadChange.Action.RECREATE, host, current.name(), owner,
                    "it is dead (Docker cannot start it again)"));
        } else if ("created".equals(current.state()) || "exited".equals(current.state())) {
            changes.add(new WorkloadChange(WorkloadChange.Action.START, host, current.name(), owner,
                    "it is " + current.state()));
        }
        // running, restarting and removing need nothing; a paused one was paused by someone, and stays so.
        return changes;
    }

    /**
     * Containers Lookout manages on a host whose owner no resource declares any more (deleted while Lookout was
     * not running, say): each one is removed. {@code declaredOwners} holds {@link Ownership#owner} of every resource.
     */
    public static List<WorkloadChange> orphans(String host, List<ContainerInfo> managed, java.util.Set<String> declaredOwners) {
        List<WorkloadChange> changes = new ArrayList<>();
        for (ContainerInfo c : managed) {
            if (Ownership.ownerOf(c).filter(owner -> owner.startsWith(Ownership.HELPER_PREFIX)).isPresent()
                    && ("running".equals(c.state()) || "created".equals(c.state()))) {
                continue; // a check or probe in flight (nginx -t, nginx -v): removed by its own run; a leftover has exited
            }
            Ownership.ownerOf(c).filter(owner -> !declaredOwners.contains(owner)).ifPresent(owner ->
                    changes.add(new WorkloadChange(WorkloadChange.Action.REMOVE, host, c.name(), owner,
                            "no resource declares " + owner + " any more")));
        }
        return changes;
    }
}
