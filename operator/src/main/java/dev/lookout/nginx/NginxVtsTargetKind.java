package dev.lookout.nginx;

import dev.lookout.kind.KindDefinition;

/** NginxVtsTarget as the registry knows it. */
public final class NginxVtsTargetKind {
    public static final KindDefinition<NginxVtsTarget> DEFINITION = new KindDefinition<>("NginxVtsTarget", "nginxvtstargets",
            NginxVtsTarget.class, new NginxVtsTargetValidator(), new NginxVtsOutputs(),
            services -> new NginxVtsReconciler(services.workloads(), services.inputs(), new ModuleSources()::read,
                    services.config().image(ModuleImage.NGINX_SOURCE_ROLE, ModuleImage.NGINX_SOURCE_URL),
                    services.config().image(NginxWorkload.EXPORTER_ROLE, NginxWorkload.EXPORTER_IMAGE), services.config()));

    private NginxVtsTargetKind() {
    }
}
