package dev.lookout.probe;

import dev.lookout.api.ObjectKey;
import dev.lookout.platform.Instance;
import dev.lookout.platform.Instances;
import dev.lookout.platform.PlatformException;
import dev.lookout.prometheus.JobNames;
import dev.lookout.reload.PrometheusClient;
import dev.lookout.reload.QueryException;
import dev.lookout.reload.QuerySample;
import dev.lookout.validation.PromDuration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code spec.remediation.restartAfter}: restarts a discovered container whose probe has failed for that long,
 * as Prometheus saw it (the probes are blackbox's, not Lookout's), at most once per {@code restarts.window}
 * (or per {@code restartAfter} without one), so a ComfyUI that cannot come up is not restarted in a loop.
 * Each restart is logged and counted in {@code lookout_remediation_restarts_total{probe, container}}.
 */
public final class ProbeRemediator {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeRemediator.class);
    private static final Duration RESTART_GRACE = Duration.ofSeconds(10);

    private final PrometheusClient prometheus;
    private final Instances instances;
    private final MeterRegistry registry;
    private final Clock clock;
    private final RemediationHistory history;
    private final Set<ObjectKey> queryFailing = ConcurrentHashMap.newKeySet();

    /** @param stateDir where the restarts it did are remembered across restarts of Lookout; null: in memory only */
    public ProbeRemediator(PrometheusClient prometheus, Instances instances, MeterRegistry registry, Clock clock, Path stateDir) {
        this.prometheus = prometheus;
        this.instances = instances;
        this.registry = registry;
        this.clock = clock;
        this.history = stateDir == null ? RemediationHistory.inMemory() : RemediationHistory.load(stateDir);
    }

    /**
     * Failed "that long" means: no successful probe within {@code restartAfter}, and enough probes in it that the
     * target was probed all along (a target that appeared a moment ago has one failed sample, not a long failure).
     */
    static String failingQuery(ObjectKey key, ComfyProbeSpec spec) {
        Duration after = PromDuration.parse(spec.remediation().restartAfter()).orElseThrow();
        Duration interval = PromDuration.parse(spec.interval()).orElseThrow();
        long samples = Math.max(1, after.toMillis() / Math.max(1, interval.toMillis()) - 1);
        String series = "probe_success{job=\"" + JobNames.job(key) + "\"}";
        String range = "[" + spec.remediation().restartAfter() + "]";
        return "max_over_time(" + series + range + ") == 0 and count_over_time(" + series + range + ") >= " + samples;
    }

    /**
     * Restarts what has failed long enough; returns when to look again (the probe interval).
     *
     * @param containers the containers the probe discovered (the failing series name them by container name)
     */
    public Duration check(ObjectKey key, ComfyProbeSpec spec, String host, List<Instance> containers) {
        Duration interval = PromDuration.parse(spec.interval()).orElse(Duration.ofSeconds(30));
        Duration after = PromDuration.parse(spec.remediation().restartAfter()).orElseThrow();
        Map<String, Instance> byName = containers.stream().collect(Collectors.toMap(Instance::name, c -> c, (a, b) -> a));
        List<QuerySample> failing;
        try {
            failing = prometheus.query(failingQuery(key, spec));
            if (queryFailing.remove(key)) {
                LOG.info("{}: remediation can read probe results from Prometheus again", key);
            }
        } catch (QueryException | RuntimeException e) {
            if (queryFailing.add(key)) {
                LOG.warn("{}: remediation cannot read probe results from Prometheus ({}); tried again every {}", key,
                        e.getMessage(), interval);
            }
            return interval;
        }
        Duration window = PromDuration.parse(spec.restarts() != null ? spec.restarts().window() : spec.remediation().restartAfter())
                .orElse(interval);
        Instant now = clock.instant();
        for (QuerySample sample : failing) {
            Instance container = byName.get(sample.labels().get("container"));
            if (container == null || !container.running()) {
                continue; // a static target, a container gone since, or one already restarting
            }
            // The series is keyed by name: a container recreated under it (a compose deploy) inherits the old one's
            // failures, and must first have had restartAfter of its own to come up (ComfyUI loads its models).
            if (container.startedAt() != null && container.startedAt().plus(after).isAfter(now)) {
                continue;
            }
            restartOnce(key, host, container, spec.remediation().restartAfter(), window);
        }
        return interval;
    }

    private void restartOnce(ObjectKey key, String host, Instance container, String restartAfter, Duration window) {
        String id = key + "/" + container.name();
        Instant now = clock.instant();
        Optional<Instant> last = history.last(id);
        if (last.isPresent() && last.get().plus(window).isAfter(now)) {
            return;
        }
        try {
            instances.restart(host, container, RESTART_GRACE); // by id: the very container whose probe failed
            history.restarted(id, now);
            Counter.builder("lookout.remediation.restarts")
                    .description("Containers Lookout restarted because their probe kept failing (spec.remediation)")
                    .tags("probe", key.namespace() + "/" + key.name(), "container", container.name())
                    .register(registry).increment();
            LOG.warn("{}: restarted container {} on host {}: its probe has failed for {} (next restart no sooner than {} from now)",
                    key, container.name(), host, restartAfter, window);
        } catch (PlatformException | IllegalStateException e) {
            LOG.warn("{}: cannot restart container {} on host {}: {}", key, container.name(), host, e.getMessage());
        }
    }

    public void forget(ObjectKey key) {
        history.forget(key + "/");
        queryFailing.remove(key);
    }
}
