package dev.lookout.probe;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Instance;
import dev.lookout.prometheus.DiscoveredTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Keeps a target in the probe's file while its container merely restarts. {@code docker restart} and
 * {@code docker compose restart} stop the container (exited) and start it a second later; a target dropped
 * and added back waits for Prometheus's discovery tick (up to 5 s, see docs/compose.md) and then for the new
 * scrape loop's first slot, while a target that stays is probed at its next interval, failing at most once.
 * A container still stopped after {@link #GRACE} is dropped (someone stopped it; its probe is not wanted).
 */
final class RestartGrace {
    static final Duration GRACE = Duration.ofSeconds(10);

    /** @param lookAgain when the first kept target's grace ends (null when none is kept) */
    record Kept(List<DiscoveredTarget> targets, Duration lookAgain) {
    }

    private final Clock clock;
    /** Per probe: stopped instance id → when this probe first saw it stopped. */
    private final Map<ObjectKey, Map<String, Instant>> stoppedSince = new ConcurrentHashMap<>();

    RestartGrace(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param matched every instance the probe's discovery found, whatever its state
     * @param before  the probe's targets from its last discovery
     */
    Kept keep(ObjectKey key, List<Instance> matched, List<DiscoveredTarget> before) {
        Instant now = clock.instant();
        Map<String, Instant> since = stoppedSince.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        List<Instance> stopped = matched.stream().filter(i -> !ProbeTargets.probed(i)).toList();
        Set<String> stoppedIds = stopped.stream().map(Instance::id).collect(Collectors.toSet());
        since.keySet().retainAll(stoppedIds); // running again, or gone: a later stop starts a new grace
        Map<String, DiscoveredTarget> targetOf = new HashMap<>();
        for (DiscoveredTarget target : before) {
            String container = target.labels().get("container");
            if (container != null) {
                targetOf.put(container, target);
            }
        }
        List<DiscoveredTarget> kept = new ArrayList<>();
        Duration lookAgain = null;
        for (Instance instance : stopped) {
            DiscoveredTarget target = targetOf.get(instance.name());
            if (target == null) {
                continue; // it was not a target: nothing to keep
            }
            Duration left = GRACE.minus(Duration.between(since.computeIfAbsent(instance.id(), id -> now), now));
            if (!left.isNegative() && !left.isZero()) {
                kept.add(target);
                lookAgain = lookAgain == null || left.compareTo(lookAgain) < 0 ? left : lookAgain;
            }
        }
        return new Kept(kept, lookAgain);
    }

    void forget(ObjectKey key) {
        stoppedSince.remove(key);
    }
}
