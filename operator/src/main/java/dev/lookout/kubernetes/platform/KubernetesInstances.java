package dev.lookout.kubernetes.platform;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Instance;
import dev.lookout.platform.InstanceQuery;
import dev.lookout.platform.Instances;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Instances as the pods that match a label selector in the namespaces asked (ComfyProbe's {@code discover.kubernetes}),
 * reached at their pod IP. Restarting one deletes it, which only brings it back when a controller (a ReplicaSet, a
 * StatefulSet…) owns it; a bare pod is refused rather than removed for good.
 *
 * <p>Events are the controller layer's: it watches pods and reconciles the owners whose selector matches.
 */
public final class KubernetesInstances implements Instances {
    private final KubernetesClient client;

    public KubernetesInstances(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Found find(ObjectKey owner, InstanceQuery query) {
        List<String> namespaces = query.namespaces().isEmpty() ? List.of(owner.namespace()) : query.namespaces();
        List<Instance> instances = new ArrayList<>();
        try {
            for (String namespace : namespaces) {
                client.pods().inNamespace(namespace).withLabels(query.labels()).list().getItems()
                        .forEach(pod -> instances.add(PodInstances.of(pod)));
            }
        } catch (KubernetesClientException e) {
            return new Found.Unavailable("KubernetesUnavailable", "listing pods in " + String.join(", ", namespaces)
                    + " failed (" + e.getMessage() + "); retried with backoff");
        }
        instances.sort(Comparator.comparing(Instance::name));
        return new Found.Listed(instances, "a pod gets its IP once it is scheduled and its sandbox runs: it is probed from then on");
    }

    @Override
    public void forget(ObjectKey owner) {
        // Nothing kept per owner here: the pod watch is the controller layer's.
    }

    /** Deletes the very pod that was found (by uid), giving it {@code grace}; its controller makes a new one. */
    @Override
    public void restart(String host, Instance instance, Duration grace) {
        String namespace = instance.targetLabels().get("namespace");
        String name = instance.targetLabels().get("pod");
        try {
            Pod pod = client.pods().inNamespace(namespace).withName(name).get();
            if (pod == null || !pod.getMetadata().getUid().equals(instance.id())) {
                return; // gone, or already replaced by another of the same name: the one found is restarted
            }
            boolean controlled = pod.getMetadata().getOwnerReferences().stream().anyMatch(r -> Boolean.TRUE.equals(r.getController()));
            if (!controlled) {
                throw new KubernetesPlatformException("pod " + instance.name() + " is owned by no controller (no ownerReference "
                        + "with controller=true): deleting it would not restart it but remove it for good. Run it from a "
                        + "Deployment or StatefulSet, or restart it yourself", null);
            }
            client.pods().inNamespace(namespace).withName(name).withGracePeriod(grace.toSeconds()).delete();
        } catch (KubernetesClientException e) {
            throw new KubernetesPlatformException("deleting pod " + instance.name() + " to restart it: " + e.getMessage(), e);
        }
    }
}
