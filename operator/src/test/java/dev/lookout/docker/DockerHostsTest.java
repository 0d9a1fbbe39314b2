package dev.lookout.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lookout.config.OperatorConfig;
import dev.lookout.testing.EngineProxy;
import dev.lookout.testing.PrivateDockerd;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link DockerHosts} on a daemon of the test's own, which it restarts, and through a proxy that loses data. */
@Timeout(60)
class DockerHostsTest {
    private static final Duration QUICK = Duration.ofMillis(50);
    private static PrivateDockerd daemon;

    private DockerEngineClient direct;
    private DockerHosts hosts;
    private final Recorder listener = new Recorder();

    @BeforeAll
    static void startDaemon() {
        PrivateDockerd.assumeAvailable();
        TestEngine.requireSharedEngine();
        daemon = PrivateDockerd.start();
        daemon.loadImage(TestEngine.image());
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @BeforeEach
    void client() {
        direct = new DockerEngineClient(new OperatorConfig.DockerHost("direct", daemon.url(), null),
                DockerSettings.defaults());
    }

    @AfterEach
    void cleanUp() {
        if (hosts != null) {
            long start = System.nanoTime();
            hosts.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close").isLessThan(Duration.ofSeconds(3));
        }
        if (daemon.running()) {
            direct.list(Map.of()).forEach(c -> direct.remove(c.id()));
        }
        direct.close();
    }

    private DockerHosts start(DockerSettings settings, OperatorConfig.DockerHost... configured) {
        hosts = new DockerHosts(List.of(configured), settings);
        listener.hosts = hosts;
        hosts.start(listener);
        return hosts;
    }

    private static OperatorConfig.DockerHost privateHost() {
        return new OperatorConfig.DockerHost("private", daemon.url(), null);
    }

    private static DockerSettings settings() {
        return DockerSettings.defaults().withReconnect(Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    @Test
    void aStartedContainerReachesTheListenerPromptlyWithTheInventoryAlreadyUpdated() {
        String before = direct.create(TestEngine.spec("lookout-test-before", "hosts"));
        start(settings(), privateHost());
        await().atMost(Duration.ofSeconds(5)).pollInterval(QUICK).until(() -> listener.count("resynced") == 1);
        assertThat(hosts.state("private")).isInstanceOf(HostState.Up.class);
        assertThat(hosts.containers("private")).extracting(ContainerInfo::id).containsExactly(before);

        String id = direct.create(TestEngine.spec("lookout-test-started", "hosts"));
        long asked = System.nanoTime();
        direct.start(id);

        // Prompt, not timed: how fast is DockerInventoryBench's to measure (docs/benchmarks.md); a loaded CI machine
        // must not fail this for being slow, only for the event not arriving, or arriving before the inventory.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> listener.changed(id, "start").isPresent());
        Call call = listener.changed(id, "start").orElseThrow();
        assertThat(call.seen()).as("the inventory when the listener was called").isPresent();
        assertThat(call.seen().get().running()).isTrue();
        assertThat(Duration.ofNanos(call.nanos() - asked)).isLessThan(Duration.ofSeconds(5));
        // The update says what the container was and is, so listeners can tell whether it concerns them.
        // (Seen by the create event's inspect, which may already have found it running: events are re-inspected.)
        assertThat(call.update().before()).as("before the start").isNotNull()
                .satisfies(c -> assertThat(c.name()).isEqualTo("lookout-test-started"));
        assertThat(call.update().after()).isEqualTo(call.seen().get());

        direct.remove(id);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> listener.changed(id, "destroy").isPresent());
        Call destroyed = listener.changed(id, "destroy").orElseThrow();
        assertThat(destroyed.seen()).isEmpty();
        assertThat(destroyed.update().after()).isNull();
        assertThat(destroyed.update().before()).as("a removal still names what was removed").isNotNull()
                .satisfies(c -> assertThat(c.name()).isEqualTo("lookout-test-started"));
        assertThat(hosts.container("private", id)).isEmpty();
    }

    @Test
    void aDaemonRestartIsOneHostDownThenAResyncWithWhatChangedMeanwhile() {
        ContainerSpec always = new ContainerSpec("lookout-test-always", TestEngine.image(), TestEngine.SERVE, null,
                Map.of(), null, null, null, null, null, "always", null, null);
        String id = direct.create(always);
        direct.start(id);
        start(settings(), privateHost());
        await().atMost(Duration.ofSeconds(5)).pollInterval(QUICK).until(() -> listener.count("resynced") == 1);
        Instant firstStart = hosts.container("private", id).orElseThrow().startedAt();

        daemon.stop();
        await().atMost(Duration.ofSeconds(5)).pollInterval(QUICK).until(() -> listener.count("hostDown") == 1);
        HostState down = hosts.state("private");
        assertThat(down).isInstanceOfSatisfying(HostState.Down.class,
                d -> assertThat(d.reason()).contains(daemon.url()));

        // The daemon starts the container again (restart policy) before anyone can subscribe to its events.
        daemon.restart();
        await().atMost(Duration.ofSeconds(10)).pollInterval(QUICK).until(() -> listener.count("resynced") == 2);
        assertThat(hosts.state("private")).isInstanceOf(HostState.Up.class);
        assertThat(listener.count("hostDown")).as("once per outage, however many retries").isEqualTo(1);
        ContainerInfo again = hosts.container("private", id).orElseThrow();
        assertThat(again.running()).isTrue();
        assertThat(again.startedAt()).isAfter(firstStart);
    }

    @Test
    void anEventsStreamThatGoesSilentIsFoundByThePeriodicResyncAndReplaced() {
        try (EngineProxy proxy = EngineProxy.to(daemon.socket())) {
            DockerSettings resyncEverySecond = settings().withResyncInterval(Duration.ofSeconds(1));
            start(resyncEverySecond, new OperatorConfig.DockerHost("private", proxy.url(), null));
            await().atMost(Duration.ofSeconds(5)).pollInterval(QUICK).until(() -> listener.count("resynced") == 1);

            // The events connection (and only it) now drops every byte, both ends still open: nothing on the
            // socket tells the client. Other connections work, as a ping and a list on fresh ones do.
            assertThat(proxy.silenceEventStreams()).isEqualTo(1);
            String id = direct.create(TestEngine.spec("lookout-test-unreported", "hosts"));
            direct.start(id);

            await().atMost(Duration.ofSeconds(6)).pollInterval(QUICK).until(() -> listener.count("resynced") == 2);
            assertThat(hosts.staleStreams("private")).isEqualTo(1);
            assertThat(listener.changed(id, "start")).as("the silenced stream delivered nothing").isEmpty();
            assertThat(hosts.container("private", id)).hasValueSatisfying(c -> assertThat(c.running()).isTrue());
            assertThat(hosts.state("private")).isInstanceOf(HostState.Up.class);

            // The new stream delivers.
            direct.stop(id, Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(2)).pollInterval(QUICK)
                    .until(() -> listener.changed(id, "die").isPresent());
            assertThat(hosts.container("private", id).orElseThrow().running()).isFalse();
            assertThat(hosts.staleStreams("private")).isEqualTo(1);
        }
    }

    @Test
    void aHostThatIsDownIsReportedOnceAndDelaysNoOther() {
        String missing = "unix:///tmp/lookout-test-nowhere/docker.sock";
        start(settings().withReconnect(Duration.ofMillis(20), Duration.ofMillis(100)),
                new OperatorConfig.DockerHost("gone", missing, null), privateHost());

        await().atMost(Duration.ofSeconds(5)).pollInterval(QUICK).until(() -> listener.count("resynced") == 1);
        await().atMost(Duration.ofSeconds(5)).pollInterval(QUICK).until(() -> listener.count("hostDown") == 1);
        assertThat(hosts.hostNames()).containsExactly("gone", "private");
        assertThat(hosts.state("private")).isInstanceOf(HostState.Up.class);
        assertThat(hosts.state("gone")).isInstanceOfSatisfying(HostState.Down.class, d -> {
            assertThat(d.reason()).contains("'gone' (" + missing + ")");
            assertThat(d.nextRetry()).isAfterOrEqualTo(d.since());
        });
        Instant firstRetry = ((HostState.Down) hosts.state("gone")).nextRetry();
        await().atMost(Duration.ofSeconds(2)).pollInterval(QUICK)
                .until(() -> ((HostState.Down) hosts.state("gone")).nextRetry().isAfter(firstRetry));
        assertThat(listener.calls).filteredOn(c -> c.kind().equals("hostDown")).extracting(Call::host)
                .containsExactly("gone");
        assertThat(hosts.api("gone")).isPresent();
        assertThat(hosts.api("elsewhere")).isEmpty();
        assertThat(hosts.state("elsewhere")).isInstanceOf(HostState.Down.class);
        assertThat(hosts.containers("gone")).isEmpty();
    }

    /** One call of the listener, with what the inventory held for its container at that moment. */
    record Call(String kind, String host, String id, String action, long nanos, Optional<ContainerInfo> seen,
                ContainerUpdate update) {
    }

    static final class Recorder implements HostListener {
        final List<Call> calls = new CopyOnWriteArrayList<>();
        volatile DockerHosts hosts;

        @Override
        public void containerChanged(String host, ContainerUpdate update) {
            calls.add(new Call("containerChanged", host, update.id(), update.action(), System.nanoTime(),
                    hosts.container(host, update.id()), update));
        }

        @Override
        public void resynced(String host) {
            calls.add(new Call("resynced", host, null, null, System.nanoTime(), Optional.empty(), null));
        }

        @Override
        public void hostDown(String host, String reason) {
            calls.add(new Call("hostDown", host, null, reason, System.nanoTime(), Optional.empty(), null));
        }

        long count(String kind) {
            return calls.stream().filter(c -> c.kind().equals(kind)).count();
        }

        Optional<Call> changed(String id, String action) {
            return calls.stream().filter(c -> c.kind().equals("containerChanged") && id.equals(c.id())
                    && action.equals(c.action())).findFirst();
        }
    }
}
