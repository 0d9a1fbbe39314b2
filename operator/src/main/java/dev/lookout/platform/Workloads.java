package dev.lookout.platform;

import dev.lookout.api.ObjectKey;

/**
 * The workloads seam: a kind says what should run for a resource, a platform makes it so. Implementations are
 * idempotent (applying the same workload twice changes nothing the second time), only ever touch what they
 * created for that owner, and re-ask the kind ({@link PlatformEvents}) when something they run changes.
 */
public interface Workloads {
    /**
     * Makes what {@code owner} runs equal {@code desired}, on {@code host} and nowhere else (a resource that moved
     * host leaves the old one). A dry-run platform changes nothing and answers {@link WorkloadState.Planned}.
     *
     * @throws PlatformException when the platform failed in a way worth retrying with backoff
     */
    WorkloadState apply(ObjectKey owner, String host, Workload desired);

    /** Removes everything {@code owner} runs, on every host; a host that cannot be asked is left to the orphan sweep. */
    void remove(ObjectKey owner);
}
