package dev.lookout.docker;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the containers Lookout manages whose resource no longer exists: deleted while Lookout was not running,
 * or while their host was down (a deleted resource's own cleanup removes what it owns when it can). It runs once
 * the resources are known (after the source's first snapshot) and after every resync of a host, on a thread of
 * its own so that neither the source nor the events threads wait for Docker.
 */
public final class OrphanSweep implements HostListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);

    private final DockerHosts hosts;
    /** Only this instance's containers are candidates: another Lookout's are not leftovers of ours. */
    private final String instance;
    private final Supplier<Set<String>> declaredOwners;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lookout-orphan-sweep");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean ownersKnown;

    /** @param declaredOwners {@link Ownership#owner} of every resource the source declares */
    public OrphanSweep(DockerHosts hosts, String instance, Supplier<Set<String>> declaredOwners) {
        this.hosts = hosts;
        this.instance = instance;
        this.declaredOwners = declaredOwners;
    }

    /** The source delivered its first snapshot: from now on an owner that is not declared is gone. */
    public void ownersKnown() {
        if (!ownersKnown) {
            ownersKnown = true;
            hosts.hostNames().forEach(this::sweepLater);
        }
    }

    @Override
    public void resynced(String host) {
        sweepLater(host);
    }

    @Override
    public void containerChanged(String host, ContainerUpdate update) {
    }

    @Override
    public void hostDown(String host, String reason) {
    }

    private void sweepLater(String host) {
        if (ownersKnown) {
            worker.execute(() -> sweep(host));
        }
    }

    void sweep(String host) {
        if (!hosts.state(host).up()) {
            return;
        }
        try {
            DockerApi api = hosts.api(host).orElseThrow();
            List<ContainerInfo> managed = api.list(Ownership.managed(instance));
            ContainerApplier.apply(api, ContainerPlanner.orphans(host, managed, declaredOwners.get()), null);
        } catch (DockerException e) {
            LOG.warn("cannot remove Lookout's leftover containers on host {} now ({}); tried again at its next resync", host, e.getMessage());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
