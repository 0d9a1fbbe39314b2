package dev.lookout.testing;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Endpoint;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import dev.lookout.platform.Workloads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workloads seam in memory, for reconciler unit tests: it keeps what each owner runs where, counts the changes
 * it had to make (so a test sees that a second apply changed nothing), and can be told to block a host or to leave
 * a workload not running yet. Endpoints: Prometheus scrapes {@code name:port}, Lookout reads {@code 10.9.0.N:port}.
 */
public final class FakeWorkloads implements Workloads {
    /** What one owner runs. */
    public record Placed(String host, Workload workload, String id) {
    }

    private final Map<ObjectKey, Placed> placed = new LinkedHashMap<>();
    private final Map<String, WorkloadState.Blocked> blockedHosts = new HashMap<>();
    private final List<String> changes = new ArrayList<>();
    private boolean starting;
    private int ids;

    /** Every workload on {@code host} gets {@code blocked} instead of running. */
    public FakeWorkloads block(String host, WorkloadState.Blocked blocked) {
        blockedHosts.put(host, blocked);
        return this;
    }

    public FakeWorkloads unblock(String host) {
        blockedHosts.remove(host);
        return this;
    }

    /** Workloads exist but do not run yet. */
    public FakeWorkloads starting(boolean starting) {
        this.starting = starting;
        return this;
    }

    @Override
    public synchronized WorkloadState apply(ObjectKey owner, String host, Workload desired) {
        WorkloadState.Blocked blocked = blockedHosts.get(host);
        if (blocked != null) {
            return blocked;
        }
        Placed current = placed.get(owner);
        if (current == null || !current.host().equals(host) || !current.workload().equals(desired)) {
            if (current != null) {
                changes.add("remove " + current.workload().name() + " from " + current.host());
            }
            current = new Placed(host, desired, "id-" + (++ids));
            placed.put(owner, current);
            changes.add("create " + desired.name() + " on " + host);
        }
        if (starting) {
            return new WorkloadState.Starting(host, desired.name(), current.id(), "created", "not started yet", null);
        }
        Map<Integer, Endpoint> endpoints = new HashMap<>();
        for (int port : desired.ports()) {
            endpoints.put(port, new Endpoint(desired.name() + ":" + port, "10.9.0." + ids + ":" + port));
        }
        return new WorkloadState.Running(host, desired.name(), current.id(), "running", endpoints, desired.image(),
                desired.build() == null ? null : builtImage);
    }

    /** What a platform would report of an image it built for a workload with a build (as a real one reads it off the image). */
    public volatile WorkloadState.BuiltImage builtImage;

    @Override
    public synchronized void remove(ObjectKey owner) {
        Placed gone = placed.remove(owner);
        if (gone != null) {
            changes.add("remove " + gone.workload().name() + " from " + gone.host());
        }
    }

    public synchronized Placed placed(ObjectKey owner) {
        return placed.get(owner);
    }

    /** Every change made so far, in order: {@code create NAME on HOST}, {@code remove NAME from HOST}. */
    public synchronized List<String> changes() {
        return List.copyOf(changes);
    }
}
