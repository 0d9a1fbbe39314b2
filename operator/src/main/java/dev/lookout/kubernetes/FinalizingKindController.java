package dev.lookout.kubernetes;

import dev.lookout.engine.Engine;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;

/**
 * The controller of a kind that owns something outside Kubernetes (Docker containers on a host of lookout.yaml):
 * java-operator-sdk keeps a finalizer on each resource, so that a deletion waits until the kind's cleanup removed
 * what it owns, and a cleanup that fails is retried instead of leaving containers behind.
 */
final class FinalizingKindController<R extends CustomResource<?, ?>> extends KindController<R> implements Cleaner<R> {
    FinalizingKindController(Class<R> type, ClusterResources resources, Engine engine, PlatformEvents events) {
        super(type, resources, engine, events);
    }

    @Override
    public DeleteControl cleanup(R resource, Context<R> context) throws Exception {
        forget(ClusterResources.key(resource));
        return DeleteControl.defaultDelete();
    }
}
