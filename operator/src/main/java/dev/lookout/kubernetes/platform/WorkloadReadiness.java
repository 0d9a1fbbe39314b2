package dev.lookout.kubernetes.platform;

import dev.lookout.platform.Endpoint;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a workload stands, read off its DaemonSet's or Deployment's status as the controllers report it: running once
 * every pod the controller wants is of the current template and ready, with its endpoints at the Service's DNS name.
 */
final class WorkloadReadiness {
    /** How soon a workload that is not ready yet is looked at again (its pods' events also bring the owner back). */
    static final Duration STARTING = Duration.ofSeconds(10);

    private WorkloadReadiness() {
    }

    static WorkloadState of(String host, Workload desired, DesiredObjects objects, HasMetadata live) {
        String namespace = live.getMetadata().getNamespace();
        String kind = live.getKind();
        String notReady = live instanceof DaemonSet ds ? notReady(ds) : notReady((Deployment) live);
        String ownerless = objects.ownerless() ? "; made without an owner reference (the owner is not known to the "
                + "controller yet), so only Lookout, not Kubernetes' garbage collector, removes it" : "";
        if (notReady != null) {
            return new WorkloadState.Starting(host, objects.service(), live.getMetadata().getUid(), "starting", kind + " "
                    + namespace + "/" + objects.service() + " " + notReady + "; see `kubectl -n " + namespace + " describe "
                    + kind.toLowerCase(java.util.Locale.ROOT) + " " + objects.service() + "`" + ownerless, STARTING);
        }
        Map<Integer, Endpoint> endpoints = new LinkedHashMap<>();
        for (int port : desired.ports()) {
            // The Service's name in its namespace, without the cluster domain (which the pods' DNS search completes):
            // Prometheus and Lookout in the cluster both resolve it.
            String address = objects.service() + "." + namespace + ".svc:" + port;
            endpoints.put(port, new Endpoint(address, address));
        }
        return new WorkloadState.Running(host, objects.service(), live.getMetadata().getUid(), "ready" + ownerless, endpoints,
                desired.image());
    }

    /** Why the DaemonSet does not run yet; null when every node it wants has a ready pod of its current template. */
    static String notReady(DaemonSet ds) {
        DaemonSetStatus s = ds.getStatus();
        if (s == null || !observed(s.getObservedGeneration(), ds.getMetadata().getGeneration())) {
            return "is not yet seen by the DaemonSet controller";
        }
        int wanted = value(s.getDesiredNumberScheduled());
        if (wanted == 0) {
            return "has no node to run on yet";
        }
        if (value(s.getUpdatedNumberScheduled()) < wanted || value(s.getNumberReady()) < wanted) {
            return "has " + value(s.getNumberReady()) + " of " + wanted + " pods ready (" + value(s.getUpdatedNumberScheduled())
                    + " of the current template)";
        }
        return null;
    }

    /** Why the Deployment does not run yet; null when its replica of the current template is ready. */
    static String notReady(Deployment d) {
        DeploymentStatus s = d.getStatus();
        if (s == null || !observed(s.getObservedGeneration(), d.getMetadata().getGeneration())) {
            return "is not yet seen by the Deployment controller";
        }
        int wanted = value(d.getSpec().getReplicas());
        if (value(s.getUpdatedReplicas()) < wanted || value(s.getReadyReplicas()) < wanted) {
            return "has " + value(s.getReadyReplicas()) + " of " + wanted + " pods ready (" + value(s.getUpdatedReplicas())
                    + " of the current template)";
        }
        return null;
    }

    /** Whether the controller has seen the object's current spec (a status of the previous one says nothing). */
    private static boolean observed(Long observed, Long generation) {
        return generation == null || observed != null && observed >= generation;
    }

    private static int value(Integer i) {
        return i == null ? 0 : i;
    }
}
