package dev.lookout.probe;

import dev.lookout.api.Scheme;
import dev.lookout.platform.Instance;
import dev.lookout.prometheus.DiscoveredTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which of the instances a ComfyProbe's discovery found are probed, and at which URL: by the address the platform
 * gives (a container's name on the shared network, never 127.0.0.1 or a bridge IP, which change on every
 * recreate). An instance the platform says Prometheus cannot reach is reported, not dropped in silence.
 */
public final class ProbeTargets {
    private ProbeTargets() {
    }

    /**
     * @param targets     what to probe, sorted by target
     * @param unreachable probed instances Prometheus cannot reach, with the platform's reason
     * @param matched     every instance found, whatever its state (restart counts follow a stopped one too)
     */
    public record Found(List<DiscoveredTarget> targets, List<Instance> unreachable, List<Instance> matched) {
    }

    /**
     * Running instances count, and so do restarting and paused ones: a ComfyUI that crash-loops must stay a
     * target so that its failing probe raises ComfyUIDown. A stopped one is not a target (someone stopped it).
     */
    static boolean probed(Instance i) {
        return i.running() || "restarting".equals(i.state()) || "paused".equals(i.state());
    }

    public static Found find(DockerDiscovery discovery, String path, List<Instance> instances) {
        return find(discovery.scheme(), discovery.port(), path, instances);
    }

    /** The same for any discovery: where the instances listen ({@code scheme}, {@code port}) and what is probed. */
    public static Found find(Scheme scheme, int port, String path, List<Instance> instances) {
        List<DiscoveredTarget> targets = new ArrayList<>();
        List<Instance> unreachable = new ArrayList<>();
        List<Instance> matched = new ArrayList<>(instances);
        for (Instance i : instances) {
            if (!probed(i)) {
                continue;
            }
            if (i.address() == null) {
                unreachable.add(i);
                continue;
            }
            String url = scheme.name().toLowerCase(Locale.ROOT) + "://" + i.address() + ":" + port + path;
            targets.add(new DiscoveredTarget(url, i.targetLabels()));
        }
        targets.sort(null);
        unreachable.sort(java.util.Comparator.comparing(Instance::name));
        matched.sort(java.util.Comparator.comparing(Instance::name));
        return new Found(targets, unreachable, matched);
    }

    /** The message of a TargetsUnreachable condition: each instance and why, then the platform's advice once. */
    public static String unreachableMessage(List<Instance> unreachable, String advice) {
        StringBuilder sb = new StringBuilder();
        for (Instance i : unreachable) {
            sb.append(sb.isEmpty() ? "" : "; ").append(i.name()).append(' ').append(i.unreachable());
        }
        return sb.append(advice == null || advice.isEmpty() ? "." : ". " + advice + ".").toString();
    }
}
