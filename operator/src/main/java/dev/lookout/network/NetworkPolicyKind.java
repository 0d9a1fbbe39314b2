package dev.lookout.network;

import dev.lookout.kind.KindDefinition;
import dev.lookout.prometheus.KindOutputs;

/** NetworkPolicy as the registry knows it: it renders nothing for Prometheus (it acts on Docker networks only). */
public final class NetworkPolicyKind {
    public static final KindDefinition<NetworkPolicy> DEFINITION = new KindDefinition<>("NetworkPolicy", "networkpolicies",
            NetworkPolicy.class, new NetworkPolicyValidator(), (policy, key, context) -> KindOutputs.NONE,
            services -> new NetworkPolicyReconciler(services.networks(), services.meters()));

    private NetworkPolicyKind() {
    }
}
