package dev.lookout.registry;

import dev.lookout.gpu.GpuNode;
import dev.lookout.gpu.GpuNodeKind;
import dev.lookout.kind.KindDefinition;
import dev.lookout.network.NetworkPolicy;
import dev.lookout.network.NetworkPolicyKind;
import dev.lookout.nginx.NginxVtsTarget;
import dev.lookout.nginx.NginxVtsTargetKind;
import dev.lookout.probe.ComfyProbe;
import dev.lookout.probe.ComfyProbeKind;
import java.util.List;
import java.util.Optional;

/**
 * The four kinds, in one place: the only class that names them all. Adding a kind means adding its definition
 * here; the loader, the renderer, {@code run} and {@code plan} pick it up from {@link #ALL}.
 */
public final class KindRegistry {
    public static final KindDefinition<ComfyProbe> COMFY_PROBE = ComfyProbeKind.DEFINITION;
    public static final KindDefinition<NginxVtsTarget> NGINX_VTS_TARGET = NginxVtsTargetKind.DEFINITION;
    public static final KindDefinition<GpuNode> GPU_NODE = GpuNodeKind.DEFINITION;
    public static final KindDefinition<NetworkPolicy> NETWORK_POLICY = NetworkPolicyKind.DEFINITION;

    /** Every kind, in the order they are listed to users. */
    public static final List<KindDefinition<?>> ALL = List.of(COMFY_PROBE, NGINX_VTS_TARGET, GPU_NODE, NETWORK_POLICY);

    private KindRegistry() {
    }

    /**
     * Whether a resource of {@code kind} owns something outside Kubernetes that its cleanup must remove: GpuNode and
     * NginxVtsTarget run containers on a Docker host. On Kubernetes they get a finalizer, so a deletion waits for
     * that cleanup. ComfyProbe (outputs only; its cleanup forgets memory) and NetworkPolicy (a moved network is not
     * moved back; its cleanup forgets memory) need none: their outputs are re-rendered without them.
     */
    public static boolean ownsOutsideKubernetes(KindDefinition<?> kind) {
        return kind == GPU_NODE || kind == NGINX_VTS_TARGET;
    }

    public static Optional<KindDefinition<?>> byKind(String kind) {
        return ALL.stream().filter(k -> k.kind().equals(kind)).findFirst();
    }
}
