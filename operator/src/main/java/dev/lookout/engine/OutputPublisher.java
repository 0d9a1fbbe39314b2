package dev.lookout.engine;

import dev.lookout.api.ObjectKey;
import dev.lookout.render.PrometheusRenderer;
import java.util.Set;

/**
 * Where a cycle's outputs go when Prometheus does not read Lookout's files: in {@code prometheus.mode: operator},
 * prometheus-operator's objects in the cluster, which it turns into Prometheus's configuration. The engine knows no
 * cluster: Kubernetes mode implements this.
 */
public interface OutputPublisher {
    /**
     * Makes what the cluster holds match {@code result}: each resource's objects created or changed where they differ
     * from what was last published, the objects of resources no longer rendered deleted.
     *
     * @throws Refused     the API server refused the objects of some resources' newest versions (the others were
     *                     published): the engine renders their last good versions instead
     * @throws Unreachable the API server did not answer, or refused what no newer version explains: retried
     */
    Published publish(PrometheusRenderer.Result result, RenderSet set) throws Refused, Unreachable;

    /**
     * The user's blackbox configuration as the cluster holds it now (Lookout's modules are merged into it, the user's
     * kept), or null when there is none yet.
     */
    String userBlackboxConfig();

    /**
     * Whether the cluster needs a publication although the render did not change: a resource deleted and created again
     * under its name between two cycles renders the same, but its objects must carry the new one's owner reference, or
     * Kubernetes collects them with the old one.
     */
    default boolean owed() {
        return false;
    }

    /** What a publication changed, in objects. */
    record Published(int applied, int removed) {
    }

    /** What {@link #publish} made and removed when the cluster refused some resources' objects. */
    final class Refused extends Exception {
        private final transient Set<ObjectKey> culprits;

        public Refused(Set<ObjectKey> culprits, String message) {
            super(message);
            this.culprits = Set.copyOf(culprits);
        }

        public Set<ObjectKey> culprits() {
            return culprits;
        }
    }

    /**
     * Nothing to blame on a newer version: the API server could not be reached or failed, or it refused an object of a
     * version that was fine before (a name some other object took meanwhile). The publication is owed and tried again,
     * with back-off.
     */
    final class Unreachable extends Exception {
        private final String reason;

        public Unreachable(String reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        public Unreachable(String message, Throwable cause) {
            this("KubernetesUnreachable", message, cause);
        }

        /** The condition reason the resources get meanwhile. */
        public String reason() {
            return reason;
        }
    }
}
