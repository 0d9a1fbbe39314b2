package dev.lookout.docker;

import com.github.dockerjava.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one host's {@link ContainerInventory} current, on a thread of its own, and tells the listener.
 *
 * <p>Connecting means: read {@code /info} (the engine's clock), subscribe to events from that moment, list and
 * inspect every container, then {@link HostListener#resynced}. Events then re-inspect the one container they
 * name (or drop it on destroy) before {@link HostListener#containerChanged}. When the stream ends (a daemon
 * restart ends it), it connects again; when the host does not answer, the host is {@link HostState.Down},
 * {@link HostListener#hostDown} is called once for the outage, and it is tried again with a doubling, jittered
 * pause.
 *
 * <p>A stream can also stop delivering without ending (a half-open connection: a NAT or firewall that dropped the
 * flow, a daemon stuck in its event loop) and nothing on the socket says so. Every
 * {@link DockerSettings#resyncInterval} the host is pinged on a fresh call and its containers listed again; a
 * difference no event explained, after a short grace for events on their way, proves the stream stale, and it
 * is replaced (with a full resync). A quiet host with a dead stream is found at its first unreported change,
 * at most one interval late; a timeout on the stream itself could not tell a dead stream from a quiet host.
 */
final class ContainerEventsSupervisor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerEventsSupervisor.class);
    /** How long events that explain a difference found by a resync may still take to arrive. */
    private static final Duration REPORT_GRACE = Duration.ofSeconds(2);
    /** A stream that ends sooner than this after it opened is not reopened at once (no busy loop). */
    private static final Duration SHORT_LIVED = Duration.ofSeconds(1);
    private static final HostListener NO_LISTENER = new HostListener() {
        @Override
        public void containerChanged(String host, ContainerUpdate update) {
        }

        @Override
        public void resynced(String host) {
        }

        @Override
        public void hostDown(String host, String reason) {
        }
    };

    private sealed interface Signal {
        long generation();
    }

    private record Arrived(long generation, EngineEvent event) implements Signal {
    }

    private record Ended(long generation, Throwable cause) implements Signal {
    }

    private final DockerEngineClient client;
    private final DockerSettings settings;
    private final ContainerInventory inventory = new ContainerInventory();
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final AtomicLong staleStreams = new AtomicLong();
    private volatile HostListener listener = NO_LISTENER;
    private volatile HostState state;
    private volatile boolean closing;
    private volatile Thread thread;
    // Only the supervisor's thread touches these.
    private volatile StreamCallback<Event> stream;
    private long generation;
    private Instant streamOpened = Instant.EPOCH;
    private boolean reportedDown;

    ContainerEventsSupervisor(DockerEngineClient client, DockerSettings settings) {
        this.client = client;
        this.settings = settings;
        this.state = new HostState.Down("not connected yet", Instant.now(), Instant.now());
    }

    String host() {
        return client.host();
    }

    DockerEngineClient client() {
        return client;
    }

    ContainerInventory inventory() {
        return inventory;
    }

    HostState state() {
        return state;
    }

    /** How many times a resync found the events stream silent and replaced it. */
    long staleStreams() {
        return staleStreams.get();
    }

    synchronized void start(HostListener listener) {
        if (thread != null) {
            throw new IllegalStateException("the supervisor of Docker host '" + host() + "' already runs");
        }
        this.listener = listener;
        Thread t = new Thread(this, "docker-events-" + host());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void run() {
        Duration backoff = settings.reconnectInitial();
        while (!closing) {
            try {
                connect();
                watch();
                // Only a stream that lived resets the backoff: one cut as soon as it opens (a proxy that ends long
                // polls) must not make a full resync of the host every 250 ms.
                if (!closing && Duration.between(streamOpened, Instant.now()).compareTo(SHORT_LIVED) < 0) {
                    pause(jittered(backoff));
                    backoff = doubled(backoff);
                } else {
                    backoff = settings.reconnectInitial();
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                if (closing) {
                    break;
                }
                closeStream();
                Duration pause = jittered(backoff);
                markDown(e, pause);
                try {
                    pause(pause);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = doubled(backoff);
            }
        }
        closeStream();
    }

    /** Subscribes from the engine's current time, then lists: nothing between the two is lost. */
    private void connect() throws InterruptedException {
        closeStream();
        DockerEngineClient.EngineStatus status = client.status();
        long gen = ++generation;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        stream = client.events(status.engineTime(), e -> signals.add(new Arrived(gen, e)), cause -> {
            failure.set(cause);
            signals.add(new Ended(gen, cause));
        });
        streamOpened = Instant.now();
        if (!stream.awaitStarted(settings.connectTimeout().plus(settings.responseTimeout()).toMillis())) {
            Throwable cause = failure.get();
            throw cause != null ? client.failure("subscribe to events", cause)
                    : client.failure("subscribe to events", new TimeoutException());
        }
        List<ContainerInfo> all = client.list(Map.of());
        inventory.replaceAll(all);
        HostState was = state;
        state = new HostState.Up(Instant.now(), status.info());
        if (was instanceof HostState.Down down && reportedDown) {
            LOG.info("Docker host '{}' ({}) is back after {}: engine {}, {} containers", host(), client.url(),
                    human(Duration.between(down.since(), Instant.now())), status.info().serverVersion(), all.size());
        } else if (was instanceof HostState.Down) {
            LOG.info("Docker host '{}' ({}): engine {}, API {}, runtimes {}, {} containers", host(), client.url(),
                    status.info().serverVersion(), status.info().apiVersion(), new TreeSet<>(status.info().runtimes()),
                    all.size());
        }
        reportedDown = false;
        notifyListener(() -> listener.resynced(host()));
    }

    /** Applies events until the stream ends or a resync finds it stale; returns to reconnect. */
    private void watch() throws InterruptedException {
        long interval = settings.resyncInterval().toNanos();
        long nextCheck = System.nanoTime() + interval;
        while (!closing) {
            long wait = nextCheck - System.nanoTime();
            Signal signal = wait > 0 ? signals.poll(wait, TimeUnit.NANOSECONDS) : null;
            if (signal == null) {
                if (!streamStillReports()) {
                    return;
                }
                nextCheck = System.nanoTime() + interval;
            } else if (signal.generation() == generation) {
                if (signal instanceof Arrived arrived) {
                    apply(arrived.event());
                } else if (signal instanceof Ended ended) {
                    LOG.debug("Docker host '{}': events stream ended ({}); reconnecting", host(),
                            ended.cause() == null ? "closed by the engine" : ended.cause().toString());
                    return;
                }
            }
        }
    }

    /**
     * Re-inspects the event's container, then tells the listener. An engine that does not answer the inspect
     * is down (thrown on); one that refuses it leaves that entry as it was, for the next resync to correct.
     */
    private void apply(EngineEvent event) {
        String id = event.containerId();
        ContainerInfo before = inventory.lastSeen(id).orElse(null);
        ContainerInfo after = null;
        if (event.removesContainer()) {
            inventory.remove(id);
        } else {
            try {
                Optional<ContainerInfo> inspected = client.inspect(id);
                inspected.ifPresentOrElse(inventory::put, () -> inventory.remove(id));
                after = inspected.orElse(null);
            } catch (DockerException.Refused | DockerException.Conflict e) {
                LOG.warn("Docker host '{}': after {} of {}: {}", host(), event.action(), id, e.getMessage());
                after = before;
            }
        }
        ContainerUpdate update = new ContainerUpdate(id, event.action(), before, after);
        notifyListener(() -> listener.containerChanged(host(), update));
    }

    /**
     * Pings the engine and compares a fresh list with the inventory. False when a difference remains that no
     * event explained (or the stream ended meanwhile): the caller reconnects, which resyncs in full.
     */
    private boolean streamStillReports() throws InterruptedException {
        client.ping();
        long mark = inventory.mark();
        List<ContainerInfo> fresh = client.list(Map.of());
        Set<String> missed = inventory.unreported(fresh, mark);
        if (!missed.isEmpty()) {
            long until = System.nanoTime() + REPORT_GRACE.toNanos();
            for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
                Signal signal = signals.poll(left, TimeUnit.NANOSECONDS);
                if (signal == null) {
                    break;
                }
                if (signal.generation() != generation) {
                    continue;
                }
                if (signal instanceof Arrived arrived) {
                    apply(arrived.event());
                } else {
                    return false;
                }
            }
            missed = inventory.unreported(fresh, mark);
        }
        inventory.forgetRemovedBefore(mark);
        if (missed.isEmpty()) {
            return true;
        }
        staleStreams.incrementAndGet();
        LOG.warn("Docker host '{}': its events stream did not report {} changed container(s) ({}); it is stale,"
                + " re-subscribing", host(), missed.size(), String.join(", ", shortIds(missed)));
        return false;
    }

    private void markDown(RuntimeException failure, Duration pause) {
        String reason = failure instanceof DockerException ? failure.getMessage()
                : "Docker host '" + host() + "' (" + client.url() + "): " + failure;
        Instant now = Instant.now();
        Instant since = state instanceof HostState.Down down && reportedDown ? down.since() : now;
        state = new HostState.Down(reason, since, now.plus(pause));
        if (!reportedDown) {
            reportedDown = true;
            // Once per outage; its return is logged by connect().
            if (failure instanceof DockerException) {
                LOG.warn("{}; retrying, at most every {}", reason, human(settings.reconnectMax()));
            } else {
                LOG.warn("{}; retrying, at most every {}", reason, human(settings.reconnectMax()), failure);
            }
            notifyListener(() -> listener.hostDown(host(), reason));
        } else {
            LOG.debug("Docker host '{}' still down: {}", host(), reason);
        }
    }

    static String human(Duration d) {
        return d.toMillis() < 10_000 && d.toMillis() % 1000 != 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    /** A listener that throws must not stop the supervision of its host. */
    private void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("Docker host '{}': a listener failed", host(), e);
        }
    }

    private void pause(Duration pause) throws InterruptedException {
        // Woken early only by close(): signals of a stream are not expected while none is open.
        Thread.sleep(pause.toMillis());
    }

    private Duration jittered(Duration backoff) {
        double factor = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
        long millis = Math.min(settings.reconnectMax().toMillis(), (long) (backoff.toMillis() * factor));
        return Duration.ofMillis(Math.max(1, millis));
    }

    private Duration doubled(Duration backoff) {
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(settings.reconnectMax()) > 0 ? settings.reconnectMax() : next;
    }

    private void closeStream() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
        signals.clear();
    }

    /** Asks the thread to end and closes the stream; {@link #awaitStopped} waits for it. */
    void stop() {
        closing = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        StreamCallback<Event> s = stream;
        if (s != null) {
            s.close();
        }
    }

    /** Waits, until {@code deadline} (System.nanoTime) at most, for the thread to end. */
    void awaitStopped(long deadline) {
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("Docker host '{}': its supervisor thread did not stop in time; left to end on its own", host());
        }
    }

    private static List<String> shortIds(Set<String> ids) {
        return ids.stream().limit(5).map(id -> id.length() > 12 ? id.substring(0, 12) : id).toList();
    }
}
