package dev.lookout.kind;

import dev.lookout.api.ObjectKey;

/**
 * What one kind needs beyond the shared Prometheus outputs: observe, act on the platform, and report the
 * kind's own status fields. Reconcilers know neither the source (directory or Kubernetes) nor the queue;
 * they must be idempotent (reconciling twice changes nothing the second time). Throwing means "retry
 * later": the queue backs off.
 */
public interface Reconciler<R> {
    ReconcileResult reconcile(R resource, ObjectKey key) throws Exception;

    /** Removes what the resource owned once it is deleted. */
    default void cleanup(ObjectKey key) throws Exception {
    }
}
