package dev.lookout.kubernetes;

import dev.lookout.config.OperatorConfig;
import dev.lookout.engine.OutputPublisher;
import dev.lookout.kind.KindDefinition;
import dev.lookout.kubernetes.monitoring.MonitoringPublisher;
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
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lookout run --kubernetes}, assembled: the same core as directory mode (engine, outputs, reloads, Docker hosts,
 * HTTP endpoint), fed by one java-operator-sdk controller per kind instead of a folder. Resources are read from the
 * cluster fabric8's usual way (KUBECONFIG, ~/.kube/config, or the pod's service account) unless a kubeconfig is named;
 * status goes back through the status subresource. With {@link LeaderElection}, several replicas run and the one holding
 * the Lease acts; the others keep their informers and HTTP endpoint (ready) but reconcile, write and act on nothing.
 */
public final class KubernetesOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesOperator.class);
    /** Retries forever, as directory mode's queue does: a Docker host that is down for an hour comes back. */
    private static final GenericRetry RETRY = new GenericRetry().setInitialInterval(Duration.ofMillis(500))
            .setIntervalMultiplier(2).setMaxInterval(Duration.ofMinutes(2).toMillis()).withoutMaxAttempts();

    /**
     * @param kubeconfig      the kubeconfig to use; null: fabric8's own lookup (KUBECONFIG, ~/.kube/config, in-cluster)
     * @param serverSideApply finalizers by server-side apply (true but for fabric8's mock server, which refuses it)
     * @param leaderElection  null: this process acts alone; otherwise it acts only while it holds the Lease
     * @param namespaces      the namespaces whose resources and Secrets are watched (a role per namespace suffices);
     *                        empty: every namespace (a cluster role)
     */
    public record Options(OperatorCore.Parts core, Path kubeconfig, boolean serverSideApply, LeaderElection leaderElection,
                          java.util.Set<String> namespaces) {
        public Options {
            namespaces = namespaces == null ? java.util.Set.of() : java.util.Set.copyOf(namespaces);
        }

        public Options(OperatorCore.Parts core, Path kubeconfig, boolean serverSideApply, LeaderElection leaderElection) {
            this(core, kubeconfig, serverSideApply, leaderElection, java.util.Set.of());
        }

        public Options(OperatorCore.Parts core, Path kubeconfig, boolean serverSideApply) {
            this(core, kubeconfig, serverSideApply, null);
        }

        public Options(OperatorCore.Parts core, Path kubeconfig) {
            this(core, kubeconfig, true, null);
        }
    }

    /**
     * Leader election with java-operator-sdk's own elector (fabric8's {@code LeaderElector} on a
     * {@code coordination.k8s.io/v1} Lease named {@code <lookout.instance>-leader}): several replicas run, one acts.
     *
     * @param namespace     where the Lease is
     * @param leaseDuration how long a lease that is not renewed holds off the others (the takeover bound)
     * @param renewDeadline how long the leader keeps trying to renew before it gives up leading
     * @param retryPeriod   how often the replicas try to take the lease, and the leader renews it
     * @param lost          run once when this replica stops leading other than by {@link #close()} (its lease was taken
     *                      or could not be renewed): it must stop this process's work, since java-operator-sdk's
     *                      controllers go on otherwise; {@code lookout run} closes the operator and exits 1
     */
    public record LeaderElection(String namespace, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
                                 Runnable lost) {
        public LeaderElection {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(lost, "lost");
        }

        /** java-operator-sdk's (and client-go's) defaults: a 15 s lease, renewed within 10 s, tried every 2 s. */
        public static LeaderElection in(String namespace, Runnable lost) {
            return new LeaderElection(namespace, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                    LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                    LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, lost);
        }
    }

    /** A Lease's name is a DNS subdomain; lookout.instance (a Docker label value) may be more. */
    private static final java.util.regex.Pattern DNS_SUBDOMAIN =
            java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /**
     * The Lease of this Lookout: {@code <lookout.instance>-leader} ({@code lookout-leader} by default), so two Lookouts
     * sharing a cluster, which must have two instance names anyway, elect their leaders apart.
     *
     * @throws IllegalArgumentException when the instance name cannot name a Lease
     */
    public static String leaseName(String instance) {
        String name = instance + "-leader";
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("lookout.instance " + instance + " cannot name the leader Lease ("
                    + name + "): lower-case letters, digits, '-' and '.' only");
        }
        return name;
    }

    private final OperatorCore core;
    private final KubernetesClient client;
    private final LeaderElection election;
    private final String lease;
    /** This replica's name in the Lease (the pod's name and a random part). */
    private final String identity = identity();
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean closing;
    /** The start work behind leadership: one list per kind folded as one snapshot, then the orphan sweep may act. */
    private Runnable lead;
    /** Secrets (from the start) and the cluster platform's DaemonSets and Deployments (once this replica acts). */
    private final List<SharedIndexInformer<?>> watches = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Operator operator;
    private StatusWriter statuses;

    private KubernetesOperator(OperatorCore core, KubernetesClient client, LeaderElection election, String lease) {
        this.core = core;
        this.client = client;
        this.election = election;
        this.lease = lease;
    }

    public static KubernetesOperator start(Options o) throws IOException {
        LeaderElection election = o.leaderElection();
        String lease = election == null ? null : leaseName(o.core().config().lookout().instance());
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

                @Override
                public OutputPublisher publisher() {
                    OperatorConfig config = o.core().config();
                    if (config.prometheus().mode() != OperatorConfig.Mode.OPERATOR) {
                        return null;
                    }
                    String namespace = config.prometheus().operator().namespace() != null
                            ? config.prometheus().operator().namespace() : MonitoringPublisher.defaultNamespace(client);
                    return new MonitoringPublisher(client, config, namespace, owners, o.namespaces());
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
            KubernetesOperator self = new KubernetesOperator(core, client, election, lease);
            Gauge.builder("lookout.leader", self.leading, b -> b.get() ? 1 : 0)
                    .description("1 while this replica acts: always without --leader-elect, while it holds the Lease with it")
                    .register(core.registry());
            PriorStatus prior = new PriorStatus(core.table(), core.mapper());
            StatusWriter writer = new StatusWriter(client, core.table(), prior, core.mapper());
            self.statuses = writer;
            started.push(writer);
            core.engine().afterCycle(writer::requestWrite);
            ClusterResources resources = new ClusterResources(core.engine(), core.table(), prior, core.mapper(), owners);
            // Watched by every replica (a read): until prime, a Secret is only remembered, nothing is folded or queued.
            List<SharedIndexInformer<Secret>> secrets = SecretWatch.start(client, resources, core.engine(), o.namespaces());
            secrets.forEach(informer -> started.push(informer::close));
            self.watches.addAll(secrets);
            self.lead = () -> {
                resources.prime(listAll(client, o.namespaces()), secrets.stream().flatMap(informer -> informer.getStore().list().stream()).toList());
                core.ownersKnown();
                // Only the replica that acts: a requeue is a reconcile.
                self.watches.addAll(WorkloadWatch.start(client, o.namespaces(), core.engine()));
            };
            LeaderElectionConfiguration leaderElection = election == null ? null : new LeaderElectionConfiguration(
                    lease, election.namespace(), election.leaseDuration(), election.renewDeadline(), election.retryPeriod(),
                    self.identity, new LeaderCallbacks(self::startLeading, self::stopLeading, self::newLeader), false);
            Operator operator = new Operator(new KindConfigurations(client, o.serverSideApply(), leaderElection, core.registry()));
            self.operator = operator;
            started.push(operator::stop);
            // Requeues (Docker events, cluster workloads, Secrets, rules across resources) become java-operator-sdk
            // events, so that its queue alone decides when a resource is reconciled, retries included.
            PlatformEvents events = new PlatformEvents(core.engine()::failing);
            for (KindDefinition<?> kind : KindRegistry.ALL) {
                register(operator, kind, resources, core, o.namespaces(), events);
            }
            core.engine().routeRequeues(events);
            if (election == null) {
                self.lead.run();
                self.leading.set(true);
            } else {
                core.standby(true); // ready while another replica leads: there is nothing of ours to sync
            }
            core.serve();
            // With leader election the controllers' informers start here but process no event until this replica
            // leads: java-operator-sdk then calls startLeading, and starts event processing once it returns.
            operator.start();
            if (election == null) {
                LOG.info("watching {} kinds on {}; outputs in {}; http://{}:{}/ (metrics, healthz, readyz, api/v1/resources)",
                        KindRegistry.ALL.size(), client.getMasterUrl(), core.outRoot(), o.core().listen().getHostString(), core.httpPort());
            } else {
                LOG.info("standing by for the Lease {}/{} on {} (acting once it holds it); http://{}:{}/ (metrics, healthz, "
                                + "readyz, api/v1/resources)", election.namespace(), lease, client.getMasterUrl(),
                        o.core().listen().getHostString(), core.httpPort());
            }
            return self;
        } catch (IOException | RuntimeException e) {
            OperatorCore.closeAll(started, e);
            throw e;
        }
    }

    /**
     * This replica now holds the Lease (java-operator-sdk calls this on the elector's thread, before it starts the
     * controllers' event processing): the start work a single process does before {@code Operator.start()}.
     * Listing every kind and folding them as one snapshot here, rather than from the first reconcile, keeps the
     * guarantee that no output is rendered from a partial set; the controllers' first reconciles then find every
     * resource known. A failure throws, so the event processing never starts, and gives the process up.
     */
    private void startLeading() {
        if (closing) {
            return;
        }
        LOG.info("leading: this replica holds the Lease {}/{}; listing every resource, then reconciling",
                election.namespace(), lease);
        try {
            core.standby(false);
            lead.run();
            leading.set(true);
        } catch (RuntimeException e) {
            LOG.error("cannot start leading: {}", e.toString(), e);
            lose();
            throw e;
        }
    }

    /** Called when leading ends, by {@link #close()} (nothing to do) or because the Lease was lost. */
    private void stopLeading() {
        if (closing) {
            return;
        }
        LOG.error("lost the Lease {}/{}: this replica stops, so that only the new leader acts", election.namespace(), lease);
        lose();
    }

    private void lose() {
        leading.set(false);
        if (lost.compareAndSet(false, true)) {
            election.lost().run();
        }
    }

    private void newLeader(String identity) {
        LOG.debug("the Lease {}/{} is held by {}", election.namespace(), lease, identity);
    }

    /**
     * Hands the Lease back as client-go's {@code ReleaseOnCancel} does (no holder, a one-second duration), so that a
     * standing-by replica takes over at its next try instead of after the lease duration: java-operator-sdk 5.2.3 cancels
     * fabric8's elector without releasing. Only while this replica still holds it; a failure leaves it to expire.
     */
    private void releaseLease() {
        try {
            client.resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class).inNamespace(election.namespace())
                    .withName(lease).edit(l -> {
                        if (l.getSpec() != null && identity.equals(l.getSpec().getHolderIdentity())) {
                            l.getSpec().setHolderIdentity("");
                            l.getSpec().setLeaseDurationSeconds(1);
                        }
                        return l;
                    });
            LOG.info("released the Lease {}/{}", election.namespace(), lease);
        } catch (RuntimeException e) {
            LOG.warn("could not release the Lease {}/{} ({}): the next leader takes it once it expires", election.namespace(),
                    lease, e.toString());
        }
    }

    /** The pod's name (HOSTNAME) and a random part, as client-go's examples do: unique even for two in one process. */
    private static String identity() {
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "lookout" : host) + "_" + UUID.randomUUID();
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

    /** Every Lookout resource in the watched namespaces (empty: all), one list per kind, before any controller runs. */
    private static List<CustomResource<?, ?>> listAll(KubernetesClient client, java.util.Set<String> namespaces) {
        List<CustomResource<?, ?>> all = new ArrayList<>();
        for (KindDefinition<?> kind : KindRegistry.ALL) {
            if (namespaces.isEmpty()) {
                all.addAll(client.resources(kind.type()).inAnyNamespace().list().getItems());
            } else {
                for (String namespace : new java.util.TreeSet<>(namespaces)) {
                    all.addAll(client.resources(kind.type()).inNamespace(namespace).list().getItems());
                }
            }
        }
        return all;
    }

    private static <R extends CustomResource<?, ?>> void register(Operator operator, KindDefinition<R> kind,
                                                                ClusterResources resources, OperatorCore core,
                                                                java.util.Set<String> namespaces, PlatformEvents events) {
        boolean finalize = KindRegistry.ownsOutsideKubernetes(kind);
        KindController<R> controller = finalize
                ? new FinalizingKindController<>(kind.type(), resources, core.engine(), events)
                : new KindController<>(kind.type(), resources, core.engine(), events);
        operator.register(controller, c -> {
            c.withName(kind.plural()).withRetry(RETRY);
            if (!namespaces.isEmpty()) {
                c.settingNamespaces(namespaces);
            }
            // java-operator-sdk gives every namespace's informer the same store: pruned only where there is one informer.
            if (namespaces.size() <= 1) {
                c.withItemStore(InformerCachePruner.store());
            }
            if (!finalize) {
                c.withTriggerReconcilerOnAllEvents(true);
            }
        });
    }

    /** Whether this replica acts: always without leader election; with it, while it holds the Lease. */
    public boolean leading() {
        return leading.get();
    }

    /** Waits until the engine is quiet (nothing queued, no cycle running) and the statuses it led to are written (tests). */
    public boolean awaitQuiet(Duration timeout) throws InterruptedException {
        return core.engine().awaitQuiet(timeout) && statuses.awaitIdle(timeout);
    }

    public int httpPort() {
        return core.httpPort();
    }

    @Override
    public void close() throws Exception {
        if (!closed.compareAndSet(false, true)) {
            return; // lookout run closes on a lost lease, then again from its shutdown hook
        }
        closing = true;
        // No reconcile starts after this; the engine then finishes its cycle and saves the state. With leader election
        // the elector is cancelled without releasing the Lease (java-operator-sdk's choice): another replica takes it
        // once it expires, within the lease duration.
        operator.stop();
        boolean held = election != null && leading.getAndSet(false);
        // Before the engine closes: an event must not fold into a closed engine.
        watches.forEach(SharedIndexInformer::close);
        core.close();
        statuses.close(); // after the engine's last cycle: its statuses are written before the client goes
        if (held) {
            releaseLease(); // last: the next leader must not act while this one still finishes its work
        }
        client.close();
    }
}
