package dev.lookout.cli;

import dev.lookout.config.OperatorConfig;
import dev.lookout.directory.DirectoryOperator;
import dev.lookout.kubernetes.KubernetesOperator;
import dev.lookout.validation.PromDuration;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run",
        description = "Run the operator: watch a folder of manifests (--watch) or a cluster's Lookout resources (--kubernetes) "
                + "and keep Prometheus and blackbox-exporter in step.%n"
                + "Outputs are written under --out (prometheus/ and blackbox/), checked, and reloaded; status is kept in --state.%n"
                + "Bad input never stops it: the resources of a bad file keep their last good outputs and say why.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--watch", paramLabel = "DIR", description = "Folder of manifests (*.yaml, *.yml), watched recursively.")
    Path watch;

    @Option(names = "--kubernetes", description = "Read the resources from the Kubernetes API instead of a folder; status "
            + "is written to their status subresource.")
    boolean kubernetes;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "With --kubernetes: the kubeconfig to use "
            + "(default: KUBECONFIG, ~/.kube/config, then the pod's service account).")
    Path kubeconfig;

    @Option(names = "--leader-elect", description = "With --kubernetes: run as one of several replicas. Only the holder of "
            + "the Lease <lookout.instance>-leader (lookout-leader by default) reconciles, writes outputs and status and acts "
            + "on Docker hosts and the cluster; the others stay ready and idle, and one takes over within the lease "
            + "duration (15 s) when it goes. A replica that loses the Lease exits 1.")
    boolean leaderElect;

    @Option(names = "--leader-election-namespace", paramLabel = "NAMESPACE", description = "With --leader-elect: the "
            + "namespace of the Lease (default: the pod's own, from its service account; required outside a pod).")
    String leaderElectionNamespace;

    @Option(names = "--watch-namespaces", paramLabel = "NS[,NS...]", split = ",", description = "With --kubernetes: watch "
            + "the resources and Secrets of these namespaces only (a Role in each suffices; default: every namespace).")
    java.util.List<String> watchNamespaces = java.util.List.of();

    /** Where a pod's service account says its namespace (a field so that tests can point elsewhere). */
    static Path serviceAccountNamespace = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    @Option(names = "--config", paramLabel = "FILE", description = "Operator configuration (lookout.yaml); embedded defaults without it.")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".lookout/out",
            description = "Where the outputs are written: prometheus/ is what Prometheus reads as prometheus.outputDir, "
                    + "blackbox/ holds blackbox's config (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = ".lookout/state",
            description = "Where status and last good versions are kept across restarts (default: ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "HTTP for /metrics, /healthz, /readyz and /api/v1/resources (default: ${DEFAULT-VALUE}; "
                    + "0.0.0.0:8080 when Prometheus scrapes Lookout from another container).")
    String listen;

    @Option(names = "--promtool", paramLabel = "FILE", description = "promtool to check outputs with (default: PATH, then ~/.cache/lookout/bin).")
    Path promtool;

    @Option(names = "--resync", paramLabel = "DURATION", defaultValue = "5m",
            description = "Full rescan of the folder, as a safety net for missed events (default: ${DEFAULT-VALUE}).")
    String resync;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Optional<OperatorConfig> operatorConfig = ConfigOption.load(config, err);
        if (operatorConfig.isEmpty()) {
            return 2;
        }
        if ((watch == null) == !kubernetes) {
            err.println("lookout run: give exactly one of --watch DIR and --kubernetes");
            err.flush();
            return 2;
        }
        if (kubeconfig != null && !kubernetes) {
            err.println("lookout run: --kubeconfig needs --kubernetes");
            err.flush();
            return 2;
        }
        if (kubeconfig != null && !Files.isRegularFile(kubeconfig)) {
            err.println("lookout run: --kubeconfig " + kubeconfig + ": no such file");
            err.flush();
            return 2;
        }
        if ((leaderElect || leaderElectionNamespace != null) && !kubernetes) {
            err.println("lookout run: --leader-elect and --leader-election-namespace need --kubernetes");
            err.flush();
            return 2;
        }
        if (leaderElectionNamespace != null && !leaderElect) {
            err.println("lookout run: --leader-election-namespace needs --leader-elect");
            err.flush();
            return 2;
        }
        if (!watchNamespaces.isEmpty() && !kubernetes) {
            err.println("lookout run: --watch-namespaces needs --kubernetes");
            err.flush();
            return 2;
        }
        for (String namespace : watchNamespaces) {
            if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                err.println("lookout run: --watch-namespaces: \"" + namespace + "\" is not a namespace name (lower-case letters, "
                        + "digits and '-', at most 63)");
                err.flush();
                return 2;
            }
        }
        String leaseNamespace = null;
        if (leaderElect) {
            leaseNamespace = leaseNamespace(leaderElectionNamespace, serviceAccountNamespace).orElse(null);
            if (leaseNamespace == null) {
                err.println("lookout run: --leader-elect needs --leader-election-namespace outside a pod (no "
                        + serviceAccountNamespace + ")");
                err.flush();
                return 2;
            }
            try {
                KubernetesOperator.leaseName(operatorConfig.get().lookout().instance());
            } catch (IllegalArgumentException e) {
                err.println("lookout run: --leader-elect: " + e.getMessage());
                err.flush();
                return 2;
            }
        }
        if (!kubernetes && operatorConfig.get().prometheus().mode() == dev.lookout.config.OperatorConfig.Mode.OPERATOR) {
            err.println("lookout run: prometheus.mode: operator makes prometheus-operator objects in a cluster: it needs "
                    + "--kubernetes (with --watch, use mode include or full)");
            err.flush();
            return 2;
        }
        if (watch != null && !Files.isDirectory(watch)) {
            err.println("lookout run: --watch " + watch + ": no such folder");
            err.flush();
            return 2;
        }
        Duration resyncEvery = PromDuration.parse(resync).orElse(null);
        if (resyncEvery == null || resyncEvery.isZero()) {
            err.println("lookout run: --resync " + resync + ": not a duration such as 30s, 5m, 1h");
            err.flush();
            return 2;
        }
        InetSocketAddress address = address(listen);
        if (address == null) {
            err.println("lookout run: --listen " + listen + ": expected HOST:PORT such as 127.0.0.1:8080");
            err.flush();
            return 2;
        }
        DirectoryOperator.Options options = DirectoryOperator.Options.of(watch, operatorConfig.get(), config, out, state, address)
                .withPromtool(promtool)
                .withResync(resyncEvery);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean lostLease = new AtomicBoolean();
        KubernetesOperator.LeaderElection election = leaseNamespace == null ? null
                : KubernetesOperator.LeaderElection.in(leaseNamespace, () -> {
                    lostLease.set(true);
                    stopped.countDown();
                });
        AutoCloseable operator;
        try {
            operator = kubernetes ? KubernetesOperator.start(new KubernetesOperator.Options(options.core(), kubeconfig, true,
                    election, java.util.Set.copyOf(watchNamespaces))) : DirectoryOperator.start(options);
        } catch (java.net.BindException e) {
            err.println("lookout run: " + e.getMessage() + " (--listen picks another address)");
            err.flush();
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                operator.close(); // SIGTERM: stop the watch, let the write in progress finish, save the state
            } catch (Exception e) {
                System.err.println("lookout: shutdown: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "lookout-shutdown"));
        stopped.await();
        if (lostLease.get()) {
            // Another replica leads now (or will): stop at once, so that two never act together; the pod restarts
            // this one, which then stands by.
            operator.close();
            err.println("lookout run: lost the leader Lease; exiting");
            err.flush();
            return 1;
        }
        return 0;
    }

    /** The Lease's namespace: the flag's, else the pod's (its service account's namespace file); empty outside a pod. */
    static Optional<String> leaseNamespace(String flag, Path serviceAccountNamespaceFile) {
        if (flag != null) {
            return flag.isBlank() ? Optional.empty() : Optional.of(flag);
        }
        try {
            if (Files.isRegularFile(serviceAccountNamespaceFile)) {
                String namespace = Files.readString(serviceAccountNamespaceFile).trim();
                return namespace.isEmpty() ? Optional.empty() : Optional.of(namespace);
            }
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 0 || port > 65535) {
                return null;
            }
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
