package dev.lookout.kubernetes.platform;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Workload;
import dev.lookout.platform.WorkloadState;
import dev.lookout.platform.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * Workloads as objects in the owner's namespace (docs/kubernetes-platform.md): a GPU workload a DaemonSet on its
 * host's node(s), any other a Deployment, each with a Service and the ConfigMap and Secret of its files. Compute,
 * then apply: {@link DesiredObjects} says what should exist, {@link ObjectApplier} makes it so and deletes the
 * owner's leftovers, {@link WorkloadReadiness} reads back where it stands.
 *
 * <p>Events are the controller layer's: it watches the objects labelled {@code app.kubernetes.io/managed-by=lookout}
 * and reconciles the owner named by their {@code lookout.dev/owner} label.
 */
public final class KubernetesWorkloads implements Workloads {
    private final ObjectApplier applier;
    private final GpuNodes nodes;
    private final OwnerReferences references;

    public KubernetesWorkloads(KubernetesClient client, OwnerReferences references) {
        this.applier = new ObjectApplier(client);
        this.nodes = new GpuNodes(client);
        this.references = references;
    }

    @Override
    public WorkloadState apply(ObjectKey owner, String host, Workload desired) {
        if (desired.build() != null) {
            return new WorkloadState.Blocked("ImageBuildUnsupported", "a cluster has no Docker engine to build "
                    + desired.build().repository() + " with: build the image elsewhere and name it (spec.image.prebuilt)", null);
        }
        try {
            if (desired.gpus() != null) {
                Optional<WorkloadState.Blocked> blocked = nodes.check(host);
                if (blocked.isPresent()) {
                    return blocked.get(); // nothing written: a DaemonSet that runs nowhere would only hide the reason
                }
            }
            DesiredObjects objects = DesiredObjects.of(owner, host, desired, references.of(owner));
            HasMetadata live = null;
            for (HasMetadata object : objects.objects()) {
                ObjectApplier.Applied applied = applier.apply(owner, object);
                if (object == objects.workload()) {
                    live = applied.live();
                }
            }
            applier.prune(owner, objects.objects());
            return WorkloadReadiness.of(host, desired, objects, live);
        } catch (ObjectApplier.NameTaken e) {
            return new WorkloadState.Blocked("ObjectNameTaken", e.getMessage(), null);
        } catch (KubernetesClientException e) {
            throw new KubernetesPlatformException("applying " + desired.name() + " for " + owner + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(ObjectKey owner) {
        try {
            applier.removeAll(owner);
        } catch (KubernetesClientException e) {
            throw new KubernetesPlatformException("removing what " + owner + " runs: " + e.getMessage(), e);
        }
    }
}
