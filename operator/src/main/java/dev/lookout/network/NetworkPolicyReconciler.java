package dev.lookout.network;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.kind.Reconciler;

/**
 * NetworkPolicy's reconciler, until its work on the host exists: it says so instead of claiming it. Neither
 * {@code action: Report} (reading the host's networks against the pools) nor {@code Recreate} (moving them) is
 * built yet, so the resource is {@code Ready=False, reason: NotImplemented}; nothing on the host is touched.
 */
public final class NetworkPolicyReconciler implements Reconciler<NetworkPolicy> {
    static final String NOT_IMPLEMENTED = "NotImplemented";

    @Override
    public ReconcileResult reconcile(NetworkPolicy policy, ObjectKey key) {
        NetworkPolicySpec spec = policy.getSpec();
        return ReconcileResult.status(new NetworkPolicyStatus()).blocked(NOT_IMPLEMENTED, "NetworkPolicy's work on Docker "
                + "host " + spec.host() + " is not built yet: Lookout does not read the host's networks against the allowed "
                + "pools, so it can neither report them nor " + (spec.action() == NetworkAction.Recreate ? "move them (action: "
                + "Recreate)" : "move them") + "; the policy is validated and kept, and nothing on the host is changed");
    }
}
