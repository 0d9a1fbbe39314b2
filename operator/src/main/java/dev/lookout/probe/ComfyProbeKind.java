package dev.lookout.probe;

import dev.lookout.kind.KindDefinition;

/** ComfyProbe as the registry knows it. */
public final class ComfyProbeKind {
    public static final KindDefinition<ComfyProbe> DEFINITION = new KindDefinition<>("ComfyProbe", "comfyprobes", ComfyProbe.class,
            new ComfyProbeValidator(), new ComfyProbeOutputs(),
            services -> new ComfyProbeReconciler(services.instances(), new RestartCounts(services.meters()),
                    services.prometheus() == null ? null : new ProbeRemediator(services.prometheus(), services.instances(),
                            services.meters(), services.clock(), services.stateDir()),
                    services.foundBefore(), services.clock()));

    private ComfyProbeKind() {
    }
}
