package dev.lookout.platform;

import dev.lookout.api.ObjectKey;
import java.time.Duration;
import java.util.List;

/**
 * The instances seam: find what a selector matches, and restart one. Finding also subscribes: the platform
 * reconciles {@code owner} again when an instance that matches (before or after the change) changes.
 */
public interface Instances {
    /** What {@link #find} saw. */
    sealed interface Found {
        /**
         * @param instances sorted by name, in every state (restart counts follow a stopped one too)
         * @param advice    what to do about instances Prometheus cannot reach (said once, after their reasons)
         */
        record Listed(List<Instance> instances, String advice) implements Found {
            public Listed {
                instances = List.copyOf(instances);
            }
        }

        /** The platform cannot be asked now (its host is down): the instances found before still stand. */
        record Unavailable(String reason, String message) implements Found {
        }
    }

    Found find(ObjectKey owner, InstanceQuery query);

    /** {@code owner} no longer asks (its resource was deleted or asks no platform any more). */
    void forget(ObjectKey owner);

    /**
     * Restarts {@code instance} (by id: the very one that was found), giving it {@code grace} to stop.
     *
     * @throws PlatformException when the platform refused or could not be asked
     */
    void restart(String host, Instance instance, Duration grace);
}
