package dev.lookout.bench;

import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.ContainerSpec;
import dev.lookout.docker.ContainerUpdate;
import dev.lookout.docker.DockerEngineClient;
import dev.lookout.docker.DockerHosts;
import dev.lookout.docker.DockerSettings;
import dev.lookout.docker.HostListener;
import dev.lookout.testing.PrivateDockerd;
import dev.lookout.testing.TestImages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the Docker inventory costs on a host with many containers: a full list (list + one inspect each, since
 * the list carries no restart count), a supervisor's first resync, and the delay from a container's start to
 * the listener. Runs on a private dockerd (root, dockerd, unshare, and the shared engine's busybox test image,
 * built by .ci/images.sh, needed):
 * {@code mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -pl operator}
 * then {@code java -cp operator/target/classes:operator/target/test-classes:$(cat operator/target/test-classpath.txt)
 * dev.lookout.bench.DockerInventoryBench [containers]}.
 */
public final class DockerInventoryBench {
    /** The static busybox .ci/images.sh builds on the shared engine (copied into the private daemon). */
    private static String image;
    private static final List<String> SERVE = List.of("/bin/busybox", "sh", "-c",
            "trap 'exit 0' TERM; /bin/busybox httpd -f -p 8188 -h /www & wait");
    private static final int RUNS = 7;
    private static final int STARTS = 20;

    private DockerInventoryBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        try (PrivateDockerd daemon = PrivateDockerd.start();
             DockerEngineClient client = new DockerEngineClient(new OperatorConfig.DockerHost("bench", daemon.url(),
                     null), DockerSettings.defaults())) {
            image = TestImages.busybox();
            daemon.loadImage(image);
            long made = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String id = client.create(spec("lookout-test-bench-" + i));
                if (i % 10 == 0) {
                    client.start(id);
                }
            }
            System.out.printf("%d containers (every tenth running) made in %.1f s%n", n,
                    (System.nanoTime() - made) / 1e9);

            List<Double> fulls = new ArrayList<>();
            for (int r = 0; r < RUNS; r++) {
                long t = System.nanoTime();
                int listed = client.list(Map.of()).size();
                fulls.add((System.nanoTime() - t) / 1e6);
                if (listed != n) {
                    throw new AssertionError("listed " + listed + " of " + n);
                }
            }
            System.out.printf("list + inspect of %d containers: median %.0f ms (min %.0f, max %.0f)%n", n,
                    median(fulls), Collections.min(fulls), Collections.max(fulls));

            Map<String, CompletableFuture<Long>> changed = new ConcurrentHashMap<>();
            CountDownLatch resynced = new CountDownLatch(1);
            long starting = System.nanoTime();
            try (DockerHosts hosts = new DockerHosts(List.of(new OperatorConfig.DockerHost("bench", daemon.url(),
                    null)), DockerSettings.defaults())) {
                hosts.start(new HostListener() {
                    @Override
                    public void containerChanged(String host, ContainerUpdate update) {
                        if ("start".equals(update.action())) {
                            long now = System.nanoTime();
                            changed.computeIfAbsent(update.id(), k -> new CompletableFuture<>()).complete(now);
                        }
                    }

                    @Override
                    public void resynced(String host) {
                        resynced.countDown();
                    }

                    @Override
                    public void hostDown(String host, String reason) {
                    }
                });
                if (!resynced.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("no resync within 60 s");
                }
                System.out.printf("DockerHosts start -> first resynced (%d containers): %.0f ms%n",
                        hosts.containers("bench").size(), (System.nanoTime() - starting) / 1e6);

                List<Double> fromAsked = new ArrayList<>();
                List<Double> fromReturned = new ArrayList<>();
                for (int i = 0; i < STARTS; i++) {
                    String id = client.create(spec("lookout-test-latency-" + i));
                    long asked = System.nanoTime();
                    client.start(id);
                    long returned = System.nanoTime();
                    long seen = changed.computeIfAbsent(id, k -> new CompletableFuture<>()).get(5, TimeUnit.SECONDS);
                    fromAsked.add((seen - asked) / 1e6);
                    fromReturned.add((seen - returned) / 1e6);
                }
                System.out.printf("start asked -> listener: median %.1f ms (max %.1f); start returned -> listener:"
                        + " median %.1f ms (max %.1f), over %d starts%n", median(fromAsked),
                        Collections.max(fromAsked), median(fromReturned), Collections.max(fromReturned), STARTS);
            }
        }
    }

    private static ContainerSpec spec(String name) {
        return new ContainerSpec(name, image, SERVE, null, Map.of("lookout.dev/bench", "1"), null, null, null, null,
                null, "no", null, null);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
