package dev.lookout.docker;

import dev.lookout.platform.WorkloadChange;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link ContainerPlanner} plan on one engine. The image is made sure of before anything is removed,
 * so a spec that names a missing image leaves the running container alone.
 */
public final class ContainerApplier {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerApplier.class);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);

    private ContainerApplier() {
    }

    /** A change Lookout may not make: a container it does not own has the name it needs. */
    public static final class NameTaken extends RuntimeException {
        public NameTaken(String message) {
            super(message);
        }
    }

    /**
     * @param desired the stamped spec the plan was made for (null when the plan only removes)
     * @throws DockerException.ImageNotFound when the image is neither on the host nor pullable
     * @throws NameTaken                     for a {@link WorkloadChange.Action#BLOCKED} change
     */
    public static void apply(DockerApi api, List<WorkloadChange> changes, ContainerSpec desired) {
        for (WorkloadChange change : changes) {
            switch (change.action()) {
                case BLOCKED -> throw new NameTaken(change.workload() + " on host " + change.host() + ": " + change.reason());
                case CREATE -> {
                    ensureImage(api, desired.image());
                    api.start(api.create(desired));
                }
                case RECREATE -> {
                    ensureImage(api, desired.image());
                    api.remove(change.workload());
                    api.start(api.create(desired));
                }
                case START -> api.start(change.workload());
                case REMOVE -> api.remove(change.workload());
            }
            LOG.info("{} {} {} on host {} for {}: {}", change.action().symbol(), change.action().name().toLowerCase(java.util.Locale.ROOT),
                    change.workload(), change.host(), change.owner(), change.reason());
        }
    }

    /** The image on the host: there already, or pulled; else ImageNotFound saying how to get it there. */
    static void ensureImage(DockerApi api, String image) {
        if (api.imageExists(image) || api.pull(image, PULL_TIMEOUT)) {
            return;
        }
        throw new DockerException.ImageNotFound(api.host(), image, "image " + image + " is not on Docker host " + api.host()
                + " and cannot be pulled; load it there (docker load) or point lookout.yaml's images at a registry that has it");
    }
}
