package dev.lookout.platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Where a workload stands after {@link Workloads#apply}. */
public sealed interface WorkloadState {
    /**
     * It runs.
     *
     * @param id        the platform's id of it (container id)
     * @param endpoints by port of {@link Workload#ports}
     * @param image     the image it runs (for a built one, the tag the platform gave it)
     * @param built     what the platform knows of the image it built for it; null when it runs an image as it is
     */
    record Running(String host, String name, String id, String state, Map<Integer, Endpoint> endpoints, String image,
                   BuiltImage built) implements WorkloadState {
        public Running {
            endpoints = Map.copyOf(endpoints);
        }

        public Running(String host, String name, String id, String state, Map<Integer, Endpoint> endpoints, String image) {
            this(host, name, id, state, endpoints, image, null);
        }
    }

    /**
     * An image the platform built ({@link Workload.ImageBuild}), as the image itself records it, so that it is known
     * after a restart too.
     *
     * @param id          the platform's image id
     * @param buildTime   how long its last build took; null when unknown
     * @param description the output of {@link Workload.ImageBuild#describe} in its base; null when none
     */
    record BuiltImage(String id, Duration buildTime, String description) {
    }

    /** It exists but does not run yet (or not any more): look again after {@code lookAgain}. */
    record Starting(String host, String name, String id, String state, String message, Duration lookAgain) implements WorkloadState {
    }

    /**
     * The platform cannot give the resource what it asks for, and retrying at once would not help.
     *
     * @param reason    CamelCase, e.g. NoGpuRuntime, ImageNotFound, WorkloadNameTaken, DockerUnavailable
     * @param lookAgain when to try again by itself; null: only when something changes (the host reconnects, say)
     * @param facts     what the platform saw that explains it (e.g. {@code runtimes}), for the resource's status
     */
    record Blocked(String reason, String message, Duration lookAgain, SortedMap<String, List<String>> facts) implements WorkloadState {
        public Blocked {
            facts = facts == null ? new TreeMap<>() : new TreeMap<>(facts);
        }

        public Blocked(String reason, String message, Duration lookAgain) {
            this(reason, message, lookAgain, null);
        }
    }

    /** A dry run: what {@link Workloads#apply} would change (empty: nothing to do). */
    record Planned(List<WorkloadChange> changes, List<String> notes) implements WorkloadState {
        public Planned {
            changes = List.copyOf(changes);
            notes = List.copyOf(notes);
        }
    }
}
