package dev.lookout.kubernetes;

import dev.lookout.kind.KindDefinition;
import dev.lookout.registry.KindRegistry;
import dev.lookout.runtime.OperatorCore;
import dev.lookout.kubernetes.platform.KubernetesInstances;
import dev.lookout.kubernetes.platform.KubernetesWorkloads;
import dev.lookout.platform.Instances;
import dev.lookout.platform.Workloads;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lookout run --kubernetes}, assembled: the same core as directory mode (engine, outputs, reloads, Docker hosts,
 * HTTP endpoint), fed by one java-operator-sdk controller per kind instead of a folder. Resources are read from the
 * cluster fabric8's usual way (KUBECONFIG, ~/.kube/config, or the pod's service account) unless a kubeconfig is named;
 * status goes back through the status subresource.
 */
public final class KubernetesOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesOperator.class);
    /** Retries forever, as directory mode's queue does: a Docker host that is down for an hour comes back. */
    private static final GenericRetry RETRY = new GenericRetry().setInitialInterval(Duration.ofMillis(500))
            .setIntervalMultiplier(2).setMaxInterval(Duration.ofMinutes(2).toMillis()).withoutMaxAttempts();

    /**
     * @param kubeconfig      the kubeconfig to use; null: fabric8's own lookup (KUBECONFIG, ~/.kube/config, in-cluster)
     * @param serverSideApply finalizers by server-side apply (true but for fabric8's mock server, which refuses it)
     */
    public record Options(OperatorCore.Parts core, Path kubeconfig, boolean serverSideApply) {
        public Options(OperatorCore.Parts core, Path kubeconfig) {
            this(core, kubeconfig, true);
        }
    }

    private final OperatorCore core;
    private final KubernetesClient client;
    private final Operator operator;

    private KubernetesOperator(OperatorCore core, KubernetesClient client, Operator operator) {
        this.core = core;
        this.client = client;
        this.operator = operator;
    }

    public static KubernetesOperator start(Options o) throws IOException {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config(o.kubeconfig())).build();
        OwnerIndex owners = new OwnerIndex();
        OperatorCore core;
        try {
            core = OperatorCore.start(o.core(), new OperatorCore.Platforms() {
                @Override
                public Workloads workloads(Workloads docker) {
                    return HostRouting.workloads(o.core().config(), docker, new KubernetesWorkloads(client, owners));
                }

                @Override
                public Instances instances(Instances docker) {
                    return HostRouting.instances(docker, new KubernetesInstances(client));
                }
            });
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        Deque<AutoCloseable> started = new ArrayDeque<>();
        started.push(core);
        started.push(client);
        try {
            PriorStatus prior = new PriorStatus(core.table(), core.mapper());
            StatusWriter writer = new StatusWriter(client, core.table(), prior, core.mapper());
            core.engine().afterCycle(writer::writeChanged);
            ClusterResources resources = new ClusterResources(core.engine(), core.table(), prior, core.mapper(), owners);
            java.util.Optional<SharedIndexInformer<Secret>> secrets = SecretWatch.start(client, resources, core.engine());
            secrets.ifPresent(informer -> started.push(informer::close));
            resources.prime(listAll(client), secrets.map(informer -> informer.getStore().list()).orElse(List.of()));
            core.ownersKnown();
            Operator operator = new Operator(new KindConfigurations(client, o.serverSideApply()));
            started.push(operator::stop);
            for (KindDefinition<?> kind : KindRegistry.ALL) {
                register(operator, kind, resources, core);
            }
            core.serve();
            operator.start();
            LOG.info("watching {} kinds on {}; outputs in {}; http://{}:{}/ (metrics, healthz, readyz, api/v1/resources)",
                    KindRegistry.ALL.size(), client.getMasterUrl(), core.outRoot(), o.core().listen().getHostString(), core.httpPort());
            return new KubernetesOperator(core, client, operator);
        } catch (IOException | RuntimeException e) {
            OperatorCore.closeAll(started, e);
            throw e;
        }
    }

    private static Config config(Path kubeconfig) throws IOException {
        if (kubeconfig == null) {
            return Config.autoConfigure(null);
        }
        if (!java.nio.file.Files.isRegularFile(kubeconfig)) {
            throw new IOException("--kubeconfig " + kubeconfig + ": no such file");
        }
        return Config.fromKubeconfig(kubeconfig.toFile());
    }

    /** Every Lookout resource in every namespace, one list per kind, before any controller runs. */
    private static List<CustomResource<?, ?>> listAll(KubernetesClient client) {
        List<CustomResource<?, ?>> all = new ArrayList<>();
        for (KindDefinition<?> kind : KindRegistry.ALL) {
            all.addAll(client.resources(kind.type()).inAnyNamespace().list().getItems());
        }
        return all;
    }

    private static <R extends CustomResource<?, ?>> void register(Operator operator, KindDefinition<R> kind,
                                                                ClusterResources resources, OperatorCore core) {
        boolean finalize = KindRegistry.ownsOutsideKubernetes(kind);
        KindController<R> controller = finalize
                ? new FinalizingKindController<>(kind.type(), resources, core.engine())
                : new KindController<>(kind.type(), resources, core.engine());
        operator.register(controller, c -> {
            c.withName(kind.plural()).withRetry(RETRY);
            if (!finalize) {
                c.withTriggerReconcilerOnAllEvents(true);
            }
        });
    }

    /** Waits until the engine is quiet: nothing queued, no cycle running (tests). */
    public boolean awaitQuiet(Duration timeout) throws InterruptedException {
        return core.engine().awaitQuiet(timeout);
    }

    public int httpPort() {
        return core.httpPort();
    }

    @Override
    public void close() throws Exception {
        operator.stop(); // no reconcile starts after this; the engine then finishes its cycle and saves the state
        core.close();
        client.close();
    }
}
