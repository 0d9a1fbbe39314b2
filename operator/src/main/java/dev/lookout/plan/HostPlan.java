package dev.lookout.plan;

import dev.lookout.platform.WorkloadChange;
import java.util.List;

/**
 * What {@code lookout run} would do on one Docker host.
 *
 * @param unavailable why the host could not be asked (null when it answered)
 * @param notes       what is worth knowing but changes nothing (targets a probe would find, images to pull)
 */
public record HostPlan(String host, String url, String unavailable, List<WorkloadChange> changes, List<String> notes) {
    public HostPlan {
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }
}
