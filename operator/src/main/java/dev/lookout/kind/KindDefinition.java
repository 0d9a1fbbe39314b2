package dev.lookout.kind;

import dev.lookout.prometheus.KindOutputs;
import dev.lookout.validation.KindValidator;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * Everything the rest of Lookout needs to know about one kind of group {@code lookout.dev}: its name, its model
 * class, its rules, what it adds to Prometheus's outputs and how to build its reconciler. Each kind's package
 * declares its own; {@code registry.KindRegistry} lists them, and the loader, the renderer, both run modes and
 * {@code plan} iterate that list instead of naming kinds.
 *
 * @param outputs     what one resource adds to the shared Prometheus outputs
 * @param reconcilers builds the kind's reconciler from what a run mode offers (platform, config, meters)
 */
public record KindDefinition<R extends CustomResource<?, ?>>(String kind, String plural, Class<R> type,
                                                             KindValidator<R> validator, KindOutputs.Renderer<R> outputs,
                                                             ReconcilerFactory<R> reconcilers) {
    public static final String GROUP = "lookout.dev";
    public static final String API_VERSION = GROUP + "/v1alpha1";

    /** Name of the generated CRD file, as fabric8's generator writes it. */
    public String crdFileName() {
        return plural + "." + GROUP + "-v1.yml";
    }

    /** The CRD as the jar carries it. */
    public String crdResource() {
        return "crds/" + crdFileName();
    }

    /** {@code resource} as this kind's model (it was bound by this kind's loader). */
    public R cast(Object resource) {
        return type.cast(resource);
    }

    /** Builds a kind's reconciler for one run of the operator. */
    @FunctionalInterface
    public interface ReconcilerFactory<R> {
        Reconciler<R> create(KindServices services);
    }
}
