package dev.lookout.load;

import dev.lookout.gpu.GpuNode;
import dev.lookout.network.NetworkPolicy;
import dev.lookout.nginx.NginxVtsTarget;
import dev.lookout.probe.ComfyProbe;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Arrays;
import java.util.Optional;

/** The four kinds of group {@code lookout.dev}. */
public enum LookoutKind {
    COMFY_PROBE("ComfyProbe", "comfyprobes", ComfyProbe.class),
    NGINX_VTS_TARGET("NginxVtsTarget", "nginxvtstargets", NginxVtsTarget.class),
    GPU_NODE("GpuNode", "gpunodes", GpuNode.class),
    NETWORK_POLICY("NetworkPolicy", "networkpolicies", NetworkPolicy.class);

    public static final String GROUP = "lookout.dev";
    public static final String API_VERSION = GROUP + "/v1alpha1";

    private final String kind;
    private final String plural;
    private final Class<? extends CustomResource<?, ?>> type;

    LookoutKind(String kind, String plural, Class<? extends CustomResource<?, ?>> type) {
        this.kind = kind;
        this.plural = plural;
        this.type = type;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    public Class<? extends CustomResource<?, ?>> type() {
        return type;
    }

    /** Name of the generated CRD file, as fabric8's generator writes it. */
    public String crdFileName() {
        return plural + "." + GROUP + "-v1.yml";
    }

    public static Optional<LookoutKind> byKind(String kind) {
        return Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
    }
}
