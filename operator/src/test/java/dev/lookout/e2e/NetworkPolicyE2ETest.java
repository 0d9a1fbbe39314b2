package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.DockerSettings;
import dev.lookout.docker.EngineClients;
import dev.lookout.plan.HostPlan;
import dev.lookout.plan.Planner;
import dev.lookout.testing.ComposeProject;
import dev.lookout.testing.DaemonRoute;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.Manifests;
import dev.lookout.testing.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * NetworkPolicy on the real engine, with real {@code docker compose}: compose projects whose networks sit in a range
 * the policy avoids (created as compose creates them, labels and all, in a subnet the test chose, as a daemon with
 * bad default pools would have), a network a container joined with a static address, and Lookout as a process.
 * Report lists them with the subnets they would move to and moves nothing; Recreate moves them into the pool, the
 * containers reach each other by alias again, and {@code docker compose up} finds nothing to change. Then crash
 * safety: Lookout killed (halted, as by {@code kill -9}) at each step of a move, and started again, leaves every
 * network whole. Traffic only between the test's own containers on its own networks.
 */
@Timeout(300)
class NetworkPolicyE2ETest {
    static final Duration WAIT = Duration.ofSeconds(45);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    String pool;
    String avoided;
    final List<Runnable> cleanup = new ArrayList<>();
    final List<LookoutProcess> lookouts = new ArrayList<>();

    @BeforeEach
    void ranges() {
        DockerEngine.require();
        // One free /21: its first /22 is the allowed pool, its last /22 the avoided range the networks start in.
        String block = DaemonRoute.freeBlock(21);
        String base = block.substring(0, block.indexOf('/'));
        String[] o = base.split("\\.");
        pool = base + "/22";
        avoided = o[0] + "." + o[1] + "." + (Integer.parseInt(o[2]) + 4) + ".0/22";
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (LookoutProcess l : lookouts) {
            l.close();
        }
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            try {
                cleanup.get(i).run();
            } catch (RuntimeException e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    /** The n-th /24 of the avoided range. */
    String avoidedSubnet(int n) {
        String[] o = avoided.substring(0, avoided.indexOf('/')).split("\\.");
        return o[0] + "." + o[1] + "." + (Integer.parseInt(o[2]) + n) + ".0/24";
    }

    /** The n-th /24 of the pool. */
    String poolSubnet(int n) {
        String[] o = pool.substring(0, pool.indexOf('/')).split("\\.");
        return o[0] + "." + o[1] + "." + (Integer.parseInt(o[2]) + n) + ".0/24";
    }

    /** The ids of a project's containers, by name. */
    static List<String> containerIds(ComposeProject p) {
        return p.ps().stream().map(c -> c + "=" + DockerEngine.docker("inspect", "-f", "{{.Id}}", c)).toList();
    }

    boolean inPool(String subnet) {
        String[] p = pool.substring(0, pool.indexOf('/')).split("\\.");
        String[] s = subnet.split("[./]");
        int third = Integer.parseInt(s[2]);
        return s[0].equals(p[0]) && s[1].equals(p[1]) && third >= Integer.parseInt(p[2]) && third < Integer.parseInt(p[2]) + 4
                && subnet.endsWith("/24");
    }

    /** A compose project's default network, made beforehand as compose makes it, in {@code subnet}. */
    ComposeProject project(String subnet) {
        String busybox = TestImages.busybox();
        ComposeProject p = ComposeProject.create("""
                services:
                  web: {image: %s}
                  client: {image: %s}
                """.formatted(busybox, busybox));
        cleanup.add(p::close);
        String network = p.createDefaultNetwork(subnet);
        cleanup.add(() -> DockerEngine.run(Duration.ofSeconds(30), "network", "rm", network));
        p.up();
        return p;
    }

    static String subnet(String network) {
        return DockerEngine.docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", network);
    }

    static String id(String network) {
        return DockerEngine.docker("network", "inspect", "-f", "{{.ID}}", network);
    }

    static String aliases(String container, String network) {
        return DockerEngine.docker("inspect", "-f", "{{json (index .NetworkSettings.Networks \"" + network + "\").Aliases}}", container);
    }

    /** @param sharedName null: no shared network */
    String policy(String action, String sharedName, String sharedSubnet, String... projects) {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: NetworkPolicy
                metadata: {name: pools}
                spec:
                  host: local
                  allowedPools: [{base: %s, size: 24}]
                  avoid: [%s]
                  detectRoutes: true
                  scope: {composeProjects: [%s]}
                  action: %s
                """.formatted(pool, avoided, String.join(", ", projects), action)
                + (sharedName == null ? "" : "  sharedNetwork: {name: " + sharedName + ", subnet: " + sharedSubnet + "}\n");
    }

    LookoutProcess start(Path resources, List<String> jvm) throws IOException {
        Path config = tmp.resolve("lookout.yaml");
        Files.writeString(config, """
                prometheus: {url: "http://127.0.0.1:1"}
                blackbox: {url: "http://127.0.0.1:1"}
                images: {helper: %s}
                """.formatted(TestImages.busybox()));
        LookoutProcess l = LookoutProcess.start(tmp.resolve("lookout-" + lookouts.size() + ".log"), jvm, "--watch", resources.toString(),
                "--out", tmp.resolve("out").toString(), "--state", tmp.resolve("state").toString(), "--listen", "127.0.0.1:0",
                "--config", config.toString());
        lookouts.add(l);
        return l;
    }

    /** What {@code lookout plan} would change on the local engine, a line per change: ACTION WORKLOAD REASON. */
    static List<String> plan(Path resources) {
        try (EngineClients clients = new EngineClients(DockerSettings.defaults())) {
            List<HostPlan> plans = new Planner(OperatorConfig.defaults(), clients).plan(Manifests.load(resources).resources());
            return plans.get(0).changes().stream().map(c -> c.action() + " " + c.workload() + " " + c.reason()).toList();
        }
    }

    static JsonNode status(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/resources/NetworkPolicy/default/pools")).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()).path("status") : JSON.missingNode();
    }

    static JsonNode report(JsonNode status, String network) {
        for (JsonNode n : status.path("networks")) {
            if (n.path("name").asText().equals(network)) {
                return n;
            }
        }
        return JSON.missingNode();
    }

    static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(condition);
    }

    @Test
    void reportThenRecreateMovesComposeNetworksIntoThePoolAndLeavesAStaticAddressAlone() throws Exception {
        ComposeProject flux = project(avoidedSubnet(0));
        ComposeProject hidream = project(avoidedSubnet(1));
        // A network a container joined with --ip, labelled into scope: moving it would break that container.
        String pinnedProject = DockerEngine.randomName("pinned");
        String pinned = pinnedProject + "_default";
        String pinnedSubnet = avoidedSubnet(2);
        DockerEngine.docker("network", "create", "--subnet", pinnedSubnet, "--label", "com.docker.compose.project=" + pinnedProject, pinned);
        cleanup.add(() -> DockerEngine.run(Duration.ofSeconds(30), "network", "rm", pinned));
        String pinnedIp = pinnedSubnet.replace("0/24", "10");
        String pinnedContainer = DockerEngine.docker("run", "-d", "--label", DockerEngine.LABEL + "=1", "--network", pinned,
                "--ip", pinnedIp, TestImages.busybox());
        cleanup.add(() -> DockerEngine.run(Duration.ofSeconds(30), "rm", "-f", pinnedContainer));
        String shared = DockerEngine.randomName("shared");
        String sharedSubnet = poolSubnet(3);
        cleanup.add(() -> DockerEngine.run(Duration.ofSeconds(30), "network", "rm", shared));
        String fluxNetwork = flux.name() + "_default";
        String hidreamNetwork = hidream.name() + "_default";
        String fluxId = id(fluxNetwork);
        String web = flux.container("web", 1);
        String client = flux.container("client", 1);
        List<String> containersBefore = Stream.of(flux, hidream).flatMap(p -> containerIds(p).stream()).sorted().toList();

        Path resources = Files.createDirectories(tmp.resolve("resources"));
        Manifests.write(resources, "network.yaml", policy("Recreate", shared, sharedSubnet, flux.name(), hidream.name(), pinnedProject));
        List<String> plan = plan(resources);
        String fluxMove = plan.stream().filter(line -> line.startsWith("RECREATE network " + fluxNetwork + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no move of " + fluxNetwork + " in " + plan));
        assertThat(fluxMove).contains(avoidedSubnet(0) + " → ", "disconnects and reconnects " + client + ", " + web);
        // Networks are planned in name order, so flux's block depends on the random names: any of the pool's.
        assertThat(inPool(fluxMove.replaceFirst(".* → ([0-9./]+);.*", "$1"))).as(fluxMove).isTrue();
        assertThat(plan).anySatisfy(line -> assertThat(line).startsWith("CREATE network " + shared + " "));
        assertThat(plan).noneSatisfy(line -> assertThat(line).contains(pinned));
        assertThat(id(fluxNetwork)).as("plan changes nothing").isEqualTo(fluxId);

        Manifests.write(resources, "network.yaml", policy("Report", shared, sharedSubnet, flux.name(), hidream.name(), pinnedProject));
        LookoutProcess lookout = start(resources, List.of());
        int port = lookout.awaitPort(WAIT);

        await("Report lists the networks", () -> report(status(port), fluxNetwork).has("plannedSubnet")
                && report(status(port), pinned).has("compliant"));
        JsonNode status = status(port);
        assertThat(report(status, fluxNetwork).path("compliant").asBoolean()).isFalse();
        assertThat(report(status, fluxNetwork).path("reason").asText()).contains("overlaps the avoided range " + avoided);
        assertThat(inPool(report(status, fluxNetwork).path("plannedSubnet").asText())).isTrue();
        assertThat(inPool(report(status, hidreamNetwork).path("plannedSubnet").asText())).isTrue();
        assertThat(report(status, pinned).path("reason").asText()).contains("static address " + pinnedIp);
        assertThat(status.path("conditions").get(0).path("reason").asText()).isEqualTo("NetworksNotCompliant");
        assertThat(subnet(shared)).as("the shared network is created, even under Report").isEqualTo(sharedSubnet);
        assertThat(id(fluxNetwork)).as("Report moves nothing").isEqualTo(fluxId);

        Manifests.write(resources, "network.yaml", policy("Recreate", shared, sharedSubnet, flux.name(), hidream.name(), pinnedProject));
        await("Recreate moves both compose networks into the pool", () -> inPool(subnet(fluxNetwork)) && inPool(subnet(hidreamNetwork)));
        assertThat(subnet(pinned)).as("a static address pins its network").isEqualTo(pinnedSubnet);
        assertThat(DockerEngine.docker("inspect", "-f", "{{.State.Running}}", pinnedContainer)).isEqualTo("true");
        await("status says they comply", () -> report(status(port), fluxNetwork).path("compliant").asBoolean());

        assertThat(aliases(web, fluxNetwork)).contains("\"web\"");
        assertThat(DockerEngine.docker("exec", client, "wget", "-qO-", "http://web:8188/object_info/CheckpointLoaderSimple"))
                .as("the client reaches the web service by its compose alias").isNotEmpty();
        assertThat(DockerEngine.docker("network", "inspect", "-f", "{{json .Labels}}", fluxNetwork))
                .contains("\"com.docker.compose.project\":\"" + flux.name() + "\"", "\"com.docker.compose.network\":\"default\"");
        flux.up();
        hidream.up();
        assertThat(Stream.of(flux, hidream).flatMap(p -> containerIds(p).stream()).sorted().toList())
                .as("compose up finds nothing to change").isEqualTo(containersBefore);
        assertThat(lookout.log()).contains("moved network " + fluxNetwork);
    }

    @Test
    void aMoveCutShortAtAnyStepIsFinishedByTheNextStart() throws Exception {
        List<String> steps = List.of("journaled", "disconnected", "removed", "created", "reconnected");
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            ComposeProject p = project(avoidedSubnet(0));
            String network = p.name() + "_default";
            Path resources = Files.createDirectories(tmp.resolve("resources-" + step));
            Manifests.write(resources, "network.yaml", policy("Recreate", null, null, p.name()));

            LookoutProcess crashing = start(resources, List.of("-Dlookout.failpoint=network-move:" + step));
            assertThat(crashing.awaitExit(WAIT)).as("halted at " + step + ":\n" + crashing.log()).isEqualTo(137);
            Path journals = tmp.resolve("state/network-moves/local");
            assertThat(Files.list(journals).toList()).as("the journal outlives the crash at " + step).hasSize(1);

            LookoutProcess again = start(resources, List.of());
            await("the move cut short at " + step + " is finished", () -> inPool(subnet(network))
                    && aliases(p.container("web", 1), network).contains("\"web\"")
                    && aliases(p.container("client", 1), network).contains("\"client\"")
                    && Files.list(journals).findAny().isEmpty());
            assertThat(DockerEngine.docker("exec", p.container("client", 1), "wget", "-qO-",
                    "http://web:8188/object_info/CheckpointLoaderSimple")).as("after " + step).isNotEmpty();
            again.close();
            lookouts.remove(again);
            p.close(); // and its network with it: the next step starts from the avoided range again
            DockerEngine.run(Duration.ofSeconds(30), "network", "rm", network);
        }
    }
}
