package dev.lookout.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.DefaultResourceClassResolver;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.ResourceClassResolver;
import io.javaoperatorsdk.operator.api.config.Utils;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.Optional;

/**
 * java-operator-sdk reads a controller's resource class from its class's type argument; one generic
 * {@link KindController} serves every kind, so the class is taken from the instance being registered instead.
 * Registration happens on one thread, one controller at a time. {@code KubernetesModeTest}'s finalizer test caught
 * the class-keyed cache handing NginxVtsTarget's configuration to GpuNode's controller.
 */
final class KindConfigurations extends BaseConfigurationService {
    private final ResourceClassResolver byType = new DefaultResourceClassResolver();
    private Class<?> registering;
    private final boolean serverSideApply;
    private final io.javaoperatorsdk.operator.api.monitoring.Metrics metrics;
    private final LeaderElectionConfiguration leaderElection;

    /**
     * Uses {@code client}, which the operator closes itself (it was opened before the controllers).
     *
     * @param serverSideApply whether finalizers are added with server-side apply (java-operator-sdk's default, what a
     *                        real API server takes); false only for an API server without it (fabric8's mock: 415)
     * @param leaderElection  java-operator-sdk's leader election (a Lease); null: none, the controllers process events
     *                        from {@code Operator.start()} on
     * @param registry        where java-operator-sdk's own meters go: Lookout's {@code /metrics}
     */
    KindConfigurations(KubernetesClient client, boolean serverSideApply, LeaderElectionConfiguration leaderElection,
                       io.micrometer.core.instrument.MeterRegistry registry) {
        this(client, serverSideApply, leaderElection,
                // Per controller, not per resource: 10,000 resources would be 10,000 series of each meter.
                io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics.withoutPerResourceMetrics(registry));
    }

    private KindConfigurations(KubernetesClient client, boolean serverSideApply, LeaderElectionConfiguration leaderElection,
                               io.javaoperatorsdk.operator.api.monitoring.Metrics metrics) {
        super(Utils.VERSION, null, client);
        this.serverSideApply = serverSideApply;
        this.leaderElection = leaderElection;
        this.metrics = metrics;
    }

    @Override
    public io.javaoperatorsdk.operator.api.monitoring.Metrics getMetrics() {
        return metrics;
    }

    @Override
    public Optional<LeaderElectionConfiguration> getLeaderElectionConfiguration() {
        return Optional.ofNullable(leaderElection);
    }

    @Override
    public boolean useSSAToPatchPrimaryResource() {
        return serverSideApply;
    }

    @Override
    public boolean closeClientOnStop() {
        return false;
    }

    @Override
    public boolean checkCRDAndValidateLocalModel() {
        return false; // the CRDs are installed by the chart (crds/); a check would need read access to CRDs
    }

    /**
     * Not cached by reconciler class, as the base class does: two kinds share {@link KindController}'s class, and the
     * second would get the first's configuration (its resource class). Each controller is registered once anyway.
     */
    @Override
    public <R extends HasMetadata> ControllerConfiguration<R> getConfigurationFor(Reconciler<R> reconciler) {
        return configFor(reconciler);
    }

    @Override
    protected synchronized <P extends HasMetadata> ControllerConfiguration<P> configFor(Reconciler<P> reconciler) {
        registering = reconciler instanceof KindController<?> k ? k.resourceType() : null;
        try {
            return super.configFor(reconciler);
        } finally {
            registering = null;
        }
    }

    @Override
    protected ResourceClassResolver getResourceClassResolver() {
        return new ResourceClassResolver() {
            @Override
            @SuppressWarnings("unchecked")
            public <P extends HasMetadata> Class<P> getPrimaryResourceClass(Class<? extends Reconciler<P>> reconcilerClass) {
                return registering != null ? (Class<P>) registering : byType.getPrimaryResourceClass(reconcilerClass);
            }
        };
    }
}
