package dev.lookout.bench;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.DockerEngineClient;
import dev.lookout.docker.DockerPlatform;
import dev.lookout.docker.DockerSettings;
import dev.lookout.docker.HostWatch;
import dev.lookout.docker.PlanHosts;
import dev.lookout.kind.LoadedResource;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.network.NetworkPolicy;
import dev.lookout.network.NetworkPolicyReconciler;
import dev.lookout.network.NetworkPolicyStatus;
import dev.lookout.testing.DaemonRoute;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.TestImages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * NetworkPolicy on the real engine: how long one reconcile takes to Report on a host with many networks in scope
 * (list every network with its containers, plan), and to Recreate N networks with M containers each (journal,
 * disconnect, remove, create, reconnect with aliases). The networks start in a free range the policy avoids; the
 * pool is another free range. Arguments: [report networks (100)] [moved networks (10)] [containers each (5)].
 * Run with {@code make bench-network}.
 */
public final class NetworkMoveBench {
    private static final ObjectKey KEY = new ObjectKey("NetworkPolicy", "default", "bench");

    private NetworkMoveBench() {
    }

    public static void main(String[] args) throws Exception {
        int reported = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int moved = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int containers = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        DockerEngine.require();
        String busybox = TestImages.busybox();
        String project = DockerEngine.randomName("netbench");
        String avoided = DaemonRoute.freeBlock(16);
        String pool = DaemonRoute.freeBlock(16);
        while (pool.equals(avoided)) {
            pool = DaemonRoute.freeBlock(16);
        }
        List<String> networks = new ArrayList<>();
        List<String> started = new ArrayList<>();
        Path tmp = Files.createTempDirectory("lookout-network-bench");
        OperatorConfig config = OperatorConfig.defaults();
        try (DockerEngineClient client = new DockerEngineClient(OperatorConfig.DockerHost.LOCAL, DockerSettings.defaults())) {
            for (int i = 0; i < reported; i++) {
                networks.add(network(project, avoided, i));
            }
            NetworkPolicyReconciler reconciler = reconciler(client, config, tmp);
            NetworkPolicy report = policy(tmp, pool, avoided, project, "Report");
            reconciler.reconcile(report, KEY); // warm-up
            List<Long> reportMillis = new ArrayList<>();
            int inScope = 0;
            for (int run = 0; run < 5; run++) {
                long t0 = System.nanoTime();
                ReconcileResult result = reconciler.reconcile(report, KEY);
                reportMillis.add((System.nanoTime() - t0) / 1_000_000);
                inScope = ((NetworkPolicyStatus) result.status()).getNetworks().size();
            }
            reportMillis.sort(null);
            System.out.printf("Report: %d networks in scope (%d on the host): median %d ms, min %d, max %d (5 runs)%n",
                    inScope, client.networks().size(), reportMillis.get(2), reportMillis.get(0), reportMillis.get(4));

            for (int i = moved; i < reported; i++) {
                DockerEngine.docker("network", "rm", networks.get(i));
            }
            networks.subList(moved, networks.size()).clear();
            for (String network : networks) {
                for (int c = 0; c < containers; c++) {
                    started.add(DockerEngine.docker("run", "-d", "--label", DockerEngine.LABEL + "=1", "--network", network,
                            "--network-alias", "svc" + c, busybox));
                }
            }
            NetworkPolicy recreate = policy(tmp, pool, avoided, project, "Recreate");
            long t0 = System.nanoTime();
            ReconcileResult result = reconciler.reconcile(recreate, KEY);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            long compliant = ((NetworkPolicyStatus) result.status()).getNetworks().stream().filter(n -> n.compliant()).count();
            System.out.printf("Recreate: %d networks x %d containers moved in %d ms (%d ms a network); %d of %d compliant after%n",
                    moved, containers, millis, millis / Math.max(1, moved), compliant, networks.size());
        } finally {
            if (!started.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(started);
                DockerEngine.run(Duration.ofSeconds(120), rm.toArray(String[]::new));
            }
            for (String network : networks) {
                DockerEngine.run(Duration.ofSeconds(30), "network", "rm", network);
            }
        }
    }

    /** The reconciler as run builds it, on the live Docker platform of the local engine. */
    private static NetworkPolicyReconciler reconciler(DockerEngineClient client, OperatorConfig config, Path state) {
        PlanHosts hosts = new PlanHosts(config.docker().hosts(), host -> client);
        DockerPlatform platform = new DockerPlatform(hosts, new HostWatch(), config, null, state);
        return new NetworkPolicyReconciler(platform.networks(), new SimpleMeterRegistry());
    }

    private static String network(String project, String block, int i) {
        String[] o = block.substring(0, block.indexOf('/')).split("\\.");
        String name = project + "-" + i + "_default";
        DockerEngine.docker("network", "create", "--subnet", o[0] + "." + o[1] + "." + i + ".0/24",
                "--label", "com.docker.compose.project=" + project, name);
        return name;
    }

    private static NetworkPolicy policy(Path dir, String pool, String avoided, String project, String action) {
        LoadedResource r = Manifests.load(dir, """
                apiVersion: lookout.dev/v1alpha1
                kind: NetworkPolicy
                metadata: {name: bench}
                spec:
                  host: local
                  allowedPools: [{base: %s, size: 24}]
                  avoid: [%s]
                  scope: {labelSelector: {com.docker.compose.project: %s}}
                  action: %s
                """.formatted(pool, avoided, project, action)).resources().get(0);
        return (NetworkPolicy) r.resource();
    }
}
