package dev.lookout.http;

import dev.lookout.engine.EngineMetrics;
import dev.lookout.kind.KindDefinition;
import dev.lookout.registry.KindRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Every meter the operator exports, so that their names live in one place. Names are Micrometer's
 * dotted names; the Prometheus registry turns {@code lookout.reconcile} (a counter) into
 * {@code lookout_reconcile_total} and a timer into {@code <name>_seconds_count/_sum/_max}
 * (LookoutMetricsTest scrapes and pins every exported name). Label values are bounded: kinds,
 * {@code success|error}, {@code true|false}, and the fixed reload targets and outcomes (anything else
 * is refused rather than growing the series count).
 *
 * <p>Series that an alert may wait for are created at zero up front, for every kind, reload target and
 * outcome, since a counter that appears only on its first error defeats {@code increase()}.
 */
public final class LookoutMetrics implements EngineMetrics, AutoCloseable {
    /** Where a reload is sent. */
    public static final List<String> RELOAD_TARGETS = List.of("prometheus", "blackbox");
    /** How a reload ended: accepted, refused (config invalid), not answered, or refused and the last good set restored. */
    public static final List<String> RELOAD_OUTCOMES = List.of("applied", "rejected", "unreachable", "rolled_back", "rollback_failed");
    /** DESIGN.md promises a change reaches Prometheus in under a second in sidecar mode: buckets around that. */
    static final Duration[] CHANGE_TO_RELOAD_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final AtomicReference<IntSupplier> queueDepth = new AtomicReference<>(() -> 0);
    private final AtomicInteger renderedFiles = new AtomicInteger();
    private final AtomicReference<Double> lastChangeToReload = new AtomicReference<>(Double.NaN);
    private final Map<String, ToDoubleFunction<Boolean>> resourceCounts = new ConcurrentHashMap<>();
    private final Timer renderDuration;
    private final Timer changeToReload;

    public LookoutMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (KindDefinition<?> kind : KindRegistry.ALL) {
            reconcileCounter(kind.kind(), true);
            reconcileCounter(kind.kind(), false);
            errorCounter(kind.kind());
            reconcileTimer(kind.kind());
        }
        for (String target : RELOAD_TARGETS) {
            RELOAD_OUTCOMES.forEach(outcome -> reloadCounter(target, outcome));
        }
        rendersCounter(true);
        rendersCounter(false);
        Gauge.builder("lookout.queue.depth", queueDepth, q -> q.get().getAsInt())
                .description("Resources waiting in the work queue")
                .strongReference(true)
                .register(registry);
        Gauge.builder("lookout.rendered.files", renderedFiles, AtomicInteger::get)
                .description("Files in the last rendered output tree")
                .strongReference(true)
                .register(registry);
        renderDuration = Timer.builder("lookout.render.duration")
                .description("Rendering the Prometheus and blackbox outputs from all resources")
                .register(registry);
        changeToReload = Timer.builder("lookout.change.to.reload")
                .description("From a resource change seen to the reload that applied it")
                .serviceLevelObjectives(CHANGE_TO_RELOAD_BUCKETS)
                .register(registry);
        bindJvmMetrics();
    }

    private void bindJvmMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /**
     * One reconcile pass of a resource of {@code kind} (the kind name, e.g. {@code ComfyProbe}) that took
     * {@code duration}. A failed pass ({@code ok == false}) also counts in {@code lookout_reconcile_errors_total}.
     */
    @Override
    public void reconciled(String kind, Duration duration, boolean ok) {
        reconcileCounter(kind, ok).increment();
        reconcileTimer(kind).record(duration);
        if (!ok) {
            errorCounter(kind).increment();
        }
    }

    /**
     * An error for {@code kind} outside a timed reconcile pass, e.g. a manifest rejected when loaded.
     * Do not call it for a pass already reported with {@code reconciled(kind, d, false)}: that counts it.
     */
    public void reconcileError(String kind) {
        errorCounter(kind).increment();
    }

    /** The work queue's depth, read at every scrape; a later call replaces the supplier. */
    public void queueDepth(IntSupplier depth) {
        queueDepth.set(depth);
    }

    /** One render of the shared outputs: {@code files} in the tree, {@code changed} when any byte differed. */
    @Override
    public void rendered(Duration duration, int files, boolean changed) {
        rendersCounter(changed).increment();
        renderDuration.record(duration);
        renderedFiles.set(files);
    }

    /**
     * One reload sent to {@code target} ({@link #RELOAD_TARGETS}) that ended in {@code outcome}
     * ({@link #RELOAD_OUTCOMES}).
     *
     * @throws IllegalArgumentException for any other target or outcome
     */
    @Override
    public void reload(String target, String outcome) {
        if (!RELOAD_TARGETS.contains(target) || !RELOAD_OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("reload target must be one of " + RELOAD_TARGETS
                    + " and outcome one of " + RELOAD_OUTCOMES + ", not " + target + "/" + outcome);
        }
        reloadCounter(target, outcome).increment();
    }

    /** From the change that triggered a render to the reload that applied it (a histogram, and the last value). */
    @Override
    public void changeToReload(Duration duration) {
        changeToReload.record(duration);
        // Registered at the first reload, so the series is absent (not 0) until there is a value.
        if (!Double.isNaN(lastChangeToReload.getAndSet(duration.toNanos() / 1e9))) {
            return;
        }
        Gauge.builder("lookout.last.change.to.reload", lastChangeToReload, AtomicReference::get)
                .description("The last change-to-reload time")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    /**
     * Resources of {@code kind}, ready and not ready ({@code count.applyAsDouble(true|false)}), read at
     * every scrape; a later call for the same kind replaces the function.
     */
    public void resources(String kind, ToDoubleFunction<Boolean> count) {
        resourceCounts.put(kind, count);
        for (boolean ready : new boolean[] {true, false}) {
            Gauge.builder("lookout.resources", resourceCounts, m -> m.get(kind).applyAsDouble(ready))
                    .description("Resources held, by kind and Ready condition")
                    .tag("kind", kind)
                    .tag("ready", String.valueOf(ready))
                    .strongReference(true)
                    .register(registry);
        }
    }

    private Counter reconcileCounter(String kind, boolean ok) {
        return Counter.builder("lookout.reconcile")
                .description("Reconcile passes, by kind and result")
                .tag("kind", kind)
                .tag("result", ok ? "success" : "error")
                .register(registry);
    }

    private Counter errorCounter(String kind) {
        return Counter.builder("lookout.reconcile.errors")
                .description("Reconcile errors, by kind (failed passes and rejected resources)")
                .tag("kind", kind)
                .register(registry);
    }

    private Timer reconcileTimer(String kind) {
        return Timer.builder("lookout.reconcile.duration")
                .description("Time of one reconcile pass, by kind")
                .tag("kind", kind)
                .register(registry);
    }

    private Counter rendersCounter(boolean changed) {
        return Counter.builder("lookout.renders")
                .description("Renders of the shared outputs; changed=false means identical bytes, nothing written")
                .tag("changed", String.valueOf(changed))
                .register(registry);
    }

    private Counter reloadCounter(String target, String outcome) {
        return Counter.builder("lookout.reloads")
                .description("Reloads sent, by target and outcome")
                .tag("target", target)
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Unregisters the JVM GC listeners; the registry itself is the caller's. */
    @Override
    public void close() {
        gc.close();
    }
}
