package dev.lookout.gpu;

import dev.lookout.kind.KindDefinition;

/** GpuNode as the registry knows it. */
public final class GpuNodeKind {
    public static final KindDefinition<GpuNode> DEFINITION = new KindDefinition<>("GpuNode", "gpunodes", GpuNode.class,
            new GpuNodeValidator(), new GpuNodeOutputs(),
            services -> new GpuNodeReconciler(services.workloads(), services.config(), new ExporterMetrics()::read));

    private GpuNodeKind() {
    }
}
