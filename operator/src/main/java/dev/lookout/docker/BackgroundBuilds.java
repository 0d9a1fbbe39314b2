package dev.lookout.docker;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Workload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Image builds run beside the reconcile workers, not on them: a first build takes from seconds to minutes (a
 * compiler stage, an `apt-get source`), and the engine has two workers for every resource. A reconcile that needs
 * an image starts its build here and returns at once ({@code ImageBuilding}); when the build ends every owner that
 * asked for it meanwhile is requeued and finds the image, or the failure. One build per host and tag runs at a time,
 * whoever asks.
 */
final class BackgroundBuilds {
    /** What a reconcile learns of the build of its tag. */
    sealed interface Progress {
        /** The build runs; {@code started} is when. */
        record Building(Instant started) implements Progress {
        }

        /** The last build of this tag failed at {@code ended}; tried again once {@link #RETRY_AFTER} has passed. */
        record Failed(String message, Instant ended) implements Progress {
        }
    }

    /** A failed build is tried again after a while (a mirror that was down), and at once when its inputs change (a new tag). */
    static final Duration RETRY_AFTER = Duration.ofMinutes(10);
    /** Builds at once, over all hosts: each is CPU- and network-heavy on its engine's side. */
    private static final int PARALLEL = 2;

    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    /** Per build running: the owners that asked for it, each told when it ends. */
    private final Map<String, Set<ObjectKey>> waiting = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final Clock clock;
    /** lookout.yaml's {@code lookout.instance}: a build's helper container is labelled with it, so a leftover is swept. */
    private final String instance;

    BackgroundBuilds(Clock clock, String instance) {
        this.clock = clock;
        this.instance = instance;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "lookout-image-build-" + threads.incrementAndGet());
            t.setDaemon(true); // an engine build in flight ends with the process: it is started again on the next run
            return t;
        });
    }

    /**
     * The build of {@code tag} on {@code api}'s host: started now when none runs and none failed recently, else how it
     * goes. While it runs, {@code owner} is among those {@code done} is called with when it ends, either way.
     */
    Progress ensure(DockerApi api, Workload.ImageBuild build, String tag, ObjectKey owner, Consumer<ObjectKey> done) {
        String key = api.host() + "\u0000" + tag;
        Instant now = clock.instant();
        // A failure whose wait is over is forgotten: the tags of changed inputs would otherwise pile up for good.
        progress.values().removeIf(p -> p instanceof Progress.Failed f && !f.ended().plus(RETRY_AFTER).isAfter(now));
        Progress[] started = new Progress[1];
        Progress current = progress.compute(key, (k, seen) -> {
            if (seen instanceof Progress.Building
                    || seen instanceof Progress.Failed failed && failed.ended().plus(RETRY_AFTER).isAfter(now)) {
                return seen;
            }
            started[0] = new Progress.Building(now);
            return started[0];
        });
        if (current instanceof Progress.Building) {
            waiting.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(owner);
        }
        if (started[0] != null) {
            executor.execute(() -> {
                try {
                    ImageBuilds.build(api, build, tag, Ownership.owner(owner), instance);
                    progress.remove(key); // the image is on the host now: it is what the next reconcile finds
                } catch (ImageBuilds.Failed e) {
                    progress.put(key, new Progress.Failed(e.getMessage(), clock.instant()));
                } catch (RuntimeException e) {
                    progress.put(key, new Progress.Failed("the build could not be run: " + e.getMessage(), clock.instant()));
                } finally {
                    Set<ObjectKey> owners = waiting.remove(key);
                    (owners == null ? Set.of(owner) : owners).forEach(done);
                }
            });
        }
        return current;
    }

    /** How many builds it remembers (running, or failed and waiting to be tried again). */
    int remembered() {
        return progress.size();
    }

    /** How long until a failed build may be tried again, on this queue's clock; zero once it may. */
    Duration retryIn(Progress.Failed failed) {
        Duration left = Duration.between(clock.instant(), failed.ended().plus(RETRY_AFTER));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
