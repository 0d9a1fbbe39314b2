package dev.lookout.kubernetes;

import dev.lookout.api.ObjectKey;
import dev.lookout.engine.Engine;
import dev.lookout.kind.KindDefinition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DaemonSets and Deployments the cluster platform made (labelled {@code app.kubernetes.io/managed-by=lookout}),
 * watched so that a change of theirs (a rollout finished, pods became ready, someone deleted one) requeues the resource
 * that owns it at once, rather than on the platform's 10 s look-again. The owner is read from the object's controller
 * owner reference, which names the resource exactly (the owner label may be shortened). An API server that serves no
 * apps/v1 (404: the tests' server for custom resources alone) is logged once and left to the look-again.
 */
final class WorkloadWatch {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadWatch.class);
    static final String MANAGED = "app.kubernetes.io/managed-by";

    private WorkloadWatch() {
    }

    static List<SharedIndexInformer<?>> start(KubernetesClient client, Set<String> namespaces, Engine engine) {
        List<SharedIndexInformer<?>> informers = new ArrayList<>();
        try {
            watch(client.apps().daemonSets(), "daemonsets", namespaces, engine, informers);
            watch(client.apps().deployments(), "deployments", namespaces, engine, informers);
        } catch (RuntimeException e) {
            informers.forEach(SharedIndexInformer::close);
            throw e;
        }
        return informers;
    }

    private static <T extends HasMetadata> void watch(MixedOperation<T, ?, ? extends Resource<T>> objects, String plural,
                                                      Set<String> namespaces, Engine engine, List<SharedIndexInformer<?>> into) {
        ResourceEventHandler<T> requeue = new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                owner(object).ifPresent(engine::requeue);
            }

            @Override
            public void onUpdate(T before, T now) {
                owner(now).ifPresent(engine::requeue);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                owner(object).ifPresent(engine::requeue);
            }
        };
        try {
            if (namespaces.isEmpty()) {
                into.add(objects.inAnyNamespace().withLabel(MANAGED, "lookout").inform(requeue, 0));
            } else {
                for (String namespace : new TreeSet<>(namespaces)) {
                    into.add(objects.inNamespace(namespace).withLabel(MANAGED, "lookout").inform(requeue, 0));
                }
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            LOG.warn("the API server serves no {} (apps/v1): the cluster platform's workloads are looked at again on a clock",
                    plural);
        }
    }

    /** The Lookout resource that controls {@code object}, from its owner reference; empty for anything else. */
    static Optional<ObjectKey> owner(HasMetadata object) {
        List<OwnerReference> references = object.getMetadata().getOwnerReferences();
        if (references == null) {
            return Optional.empty();
        }
        return references.stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()) && r.getApiVersion() != null
                        && r.getApiVersion().startsWith(KindDefinition.GROUP + "/"))
                .findFirst()
                .map(r -> new ObjectKey(r.getKind(), object.getMetadata().getNamespace(), r.getName()));
    }
}
