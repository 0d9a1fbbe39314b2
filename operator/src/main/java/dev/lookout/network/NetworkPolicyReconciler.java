package dev.lookout.network;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.kind.Reconciler;
import dev.lookout.platform.HostNetwork;
import dev.lookout.platform.HostNetworks;
import dev.lookout.platform.HostRoute;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NetworkPolicy: the host's networks in scope against the allowed pools, avoided ranges and (with
 * {@code detectRoutes}) the host's own routes, each reported with the subnet it would move to; the shared network
 * created when missing; and under {@code action: Recreate} the non-compliant networks moved there. Moves left half
 * done by a previous run are finished first, whatever the action. Ready means every network in scope complies.
 */
public final class NetworkPolicyReconciler implements Reconciler<NetworkPolicy> {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkPolicyReconciler.class);
    /** A network's own create and destroy are not among the engine events Lookout follows: looked at on a timer. */
    static final Duration RECHECK = Duration.ofSeconds(30);

    private final HostNetworks networks;
    private final MeterRegistry meters;

    public NetworkPolicyReconciler(HostNetworks networks, MeterRegistry meters) {
        this.networks = networks;
        this.meters = meters;
    }

    @Override
    public ReconcileResult reconcile(NetworkPolicy policy, ObjectKey key) {
        NetworkPolicySpec spec = policy.getSpec();
        String host = spec.host();
        HostNetworks.Found found = networks.list(key, host);
        if (found instanceof HostNetworks.Found.Unavailable down) {
            return ReconcileResult.status(new NetworkPolicyStatus()).blocked(down.reason(), down.message());
        }
        if (!networks.resume(host).isEmpty()) {
            found = networks.list(key, host);
        }
        List<HostRoute> routes = List.of();
        String routesUnread = null;
        if (spec.detectRoutes()) {
            try {
                routes = networks.routes(host);
            } catch (RuntimeException e) {
                // Reported without them; nothing is moved, as a move could land on a route it cannot see.
                routesUnread = "the host's routes cannot be read (" + e.getMessage() + "); networks are reported without "
                        + "them and none is moved until they can be";
            }
        }
        BridgeSubnetPlan plan = BridgeSubnetPlanner.plan(spec, listed(found), routes);
        List<String> moved = new ArrayList<>();
        if (spec.action() == NetworkAction.Recreate && routesUnread == null) {
            for (BridgeSubnetPlan.NetworkPlan move : plan.moves()) {
                networks.move(key, host, move.toMove());
                moved.add(move.name() + " " + move.subnet() + " → " + move.plannedSubnet());
                Counter.builder("lookout.network.moves").description("Docker networks a NetworkPolicy moved to another subnet")
                        .tags("host", host, "network", move.name()).register(meters).increment();
                LOG.warn("{}: moved network {} on Docker host {} from {} to {}: {}", key, move.name(), host, move.subnet(),
                        move.plannedSubnet(), move.reason());
            }
        }
        if (plan.create().isPresent() && plan.create().get().subnet() != null && routesUnread == null) {
            BridgeSubnetPlan.SharedNetworkToCreate shared = plan.create().get();
            networks.ensure(key, host, shared.name(), shared.subnet(), shared.gateway());
        }
        if (!moved.isEmpty() || plan.create().isPresent()) {
            plan = BridgeSubnetPlanner.plan(spec, listed(networks.list(key, host)), routes); // status says what is so now
        }
        NetworkPolicyStatus status = new NetworkPolicyStatus();
        status.setNetworks(plan.reports());
        status.setDefaultAddressPools(plan.defaultAddressPools());
        ReconcileResult result = ReconcileResult.status(status).requeueAfter(RECHECK);
        List<BridgeSubnetPlan.NetworkPlan> wrong = plan.networks().stream().filter(n -> !n.compliant()).toList();
        if (routesUnread != null) {
            result = result.blocked("RoutesUnreadable", routesUnread);
        } else if (!wrong.isEmpty()) {
            result = result.blocked("NetworksNotCompliant", notCompliant(wrong, spec.action()));
        } else if (plan.create().isPresent()) {
            result = result.blocked("SharedNetworkMissing", "shared network " + plan.create().get().name() + " cannot be "
                    + "created: " + plan.create().get().reason());
        }
        return result;
    }

    private static List<HostNetwork> listed(HostNetworks.Found found) {
        if (found instanceof HostNetworks.Found.Listed listed) {
            return listed.networks();
        }
        throw new IllegalStateException(((HostNetworks.Found.Unavailable) found).message()); // retried with backoff
    }

    /** "2 network(s) break the policy: a (172.21.3.0/24: overlaps …; would move to 192.168.240.0/24); b (…)". */
    static String notCompliant(List<BridgeSubnetPlan.NetworkPlan> wrong, NetworkAction action) {
        StringBuilder sb = new StringBuilder(wrong.size() + " network(s) break the policy: ");
        for (int i = 0; i < wrong.size(); i++) {
            BridgeSubnetPlan.NetworkPlan n = wrong.get(i);
            sb.append(i == 0 ? "" : "; ").append(n.name()).append(" (").append(n.reason());
            if (n.plannedSubnet() != null) {
                sb.append(n.movable() ? "; would move to " : "; would belong in ").append(n.plannedSubnet());
            }
            sb.append(')');
        }
        if (action == NetworkAction.Report) {
            sb.append(". action: Report leaves them as they are; action: Recreate moves them");
        }
        return sb.toString();
    }

    @Override
    public void cleanup(ObjectKey key) {
        networks.forget(key);
    }
}
