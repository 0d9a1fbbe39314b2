package dev.lookout.probe;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Instance;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restarts of each container a ComfyProbe discovered, exported as {@value ComfyProbeOutputs#RESTARTS_METRIC}
 * {probe, container} for the ComfyUIRestarting rule. A restart is seen two ways and the larger wins: Docker's
 * RestartCount (restarts by the restart policy) going up, and the container's StartedAt moving (any start of the
 * same container again: {@code docker restart}, a kill then start). A new container under the same name (a
 * compose recreate) is a deploy, not a restart: its count starts from its own RestartCount.
 */
public final class RestartCounts {
    private final MeterRegistry registry;
    private final Map<Series, Seen> seen = new HashMap<>();

    public RestartCounts(MeterRegistry registry) {
        this.registry = registry;
    }

    private record Series(String probe, String container) {
    }

    private static final class Seen {
        final AtomicLong total = new AtomicLong();
        FunctionCounter meter;
        String id;
        int restartCount;
        Instant startedAt;
    }

    /** Brings the counters of {@code probe} up to date with what its containers look like now. */
    public synchronized void observe(ObjectKey probe, List<Instance> containers) {
        String probeLabel = probe.namespace() + "/" + probe.name();
        java.util.Set<Series> current = new java.util.HashSet<>();
        for (Instance c : containers) {
            Series series = new Series(probeLabel, c.name());
            current.add(series);
            Seen s = seen.get(series);
            if (s == null) {
                s = new Seen();
                s.total.set(c.restartCount());
                Seen counted = s;
                s.meter = FunctionCounter.builder("lookout.container.restarts", counted.total, AtomicLong::doubleValue)
                        .description("Restarts of a container a ComfyProbe discovered (restart policy, docker restart, kill and start)")
                        .tags(Tags.of("probe", probeLabel, "container", c.name()))
                        .register(registry);
                remember(s, c);
                seen.put(series, s);
                continue;
            }
            if (!Objects.equals(s.id, c.id())) {
                remember(s, c); // recreated: a deploy, not a restart
                continue;
            }
            long byPolicy = Math.max(0, c.restartCount() - s.restartCount);
            long byStart = c.startedAt() != null && !c.startedAt().equals(s.startedAt) ? 1 : 0;
            s.total.addAndGet(Math.max(byPolicy, byStart));
            remember(s, c);
        }
        // Containers gone from the host (scaled down, removed) stop being exported.
        seen.entrySet().removeIf(e -> {
            boolean gone = e.getKey().probe().equals(probeLabel) && !current.contains(e.getKey());
            if (gone) {
                registry.remove(e.getValue().meter);
            }
            return gone;
        });
    }

    /** The probe is deleted: its series go. */
    public void forget(ObjectKey probe) {
        observe(probe, List.of());
    }

    /** The current count of one container (for tests and status). */
    public synchronized long count(ObjectKey probe, String container) {
        Seen s = seen.get(new Series(probe.namespace() + "/" + probe.name(), container));
        return s == null ? 0 : s.total.get();
    }

    private static void remember(Seen s, Instance c) {
        s.id = c.id();
        s.restartCount = c.restartCount();
        s.startedAt = c.startedAt();
    }
}
