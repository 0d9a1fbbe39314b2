package dev.lookout.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.api.ObjectKey;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.kind.Reconciler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop, independent of where resources come from: snapshots from a source are folded into the
 * {@link ResourceTable}; changed keys go through the {@link WorkQueue} to their kind's {@link Reconciler};
 * one output thread renders all resources at once through the {@link OutputPipeline}. A burst of changes
 * becomes one render and one reload: the output thread waits (a bounded time) for the queue to drain first.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /**
     * @param workers     reconcile workers
     * @param maxCoalesce the longest a change waits for the queue to drain before it is rendered anyway
     * @param reloadRetry backoff for a reload owed to an unreachable Prometheus, or a failed cycle. Capped at 10 s:
     *                    Prometheus is near (localhost, the compose network), a try costs one refused connection,
     *                    and a Prometheus that starts after Lookout (compose, a restart, an upgrade) should not
     *                    wait half a minute for the reload it is owed
     */
    public record Settings(int workers, Duration maxCoalesce, RetryPolicy reconcileRetry, RetryPolicy reloadRetry) {
        public static final Settings DEFAULT = new Settings(2, Duration.ofSeconds(1), RetryPolicy.DEFAULT,
                new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(10), 0.2));
    }

    private final ResourceTable table;
    private final Map<String, Reconciler<Object>> reconcilers;
    private final OutputPipeline pipeline;
    private final StateStore store;
    private final EngineMetrics metrics;
    private final Settings settings;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final WorkQueue<ObjectKey> queue;
    private final Thread outputThread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean cycleRequested;
    private long cycleRequestedAt;
    private long retryAtNanos = Long.MAX_VALUE;
    private int cycleFailures;
    private boolean cycleRunning;
    private boolean closing;
    private boolean synced;
    private String outputProblem;
    private volatile Throwable outputDeath;
    private volatile OutputsReport lastOutputs;
    private Set<dev.lookout.validation.Problem> loggedProblems = Set.of();
    private final List<Runnable> cycleListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<ObjectKey, Object> keyLocks = new java.util.concurrent.ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public Engine(ResourceTable table, Map<String, ? extends Reconciler<?>> reconcilers, OutputPipeline pipeline,
                  StateStore store, EngineMetrics metrics, Settings settings, Clock clock, ObjectMapper mapper) {
        this.table = table;
        this.reconcilers = (Map<String, Reconciler<Object>>) Map.copyOf(reconcilers);
        this.pipeline = pipeline;
        this.store = store;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.mapper = mapper;
        this.queue = new WorkQueue<>("reconcile", settings.workers(), settings.reconcileRetry(), this::reconcile, this::reconcileFailed);
        this.outputThread = new Thread(this::outputLoop, "lookout-outputs");
    }

    /** Restores the state folder's status (if any) and starts the output thread. */
    public void start() throws IOException {
        if (store != null) {
            try {
                table.restore(store.load(), mapper);
            } catch (IOException | RuntimeException e) {
                LOG.warn("state in {} cannot be read ({}); starting without it", store.folder(), e.getMessage());
            }
        }
        outputThread.start();
    }

    /** A source's newest snapshot: changed keys are queued, and an output cycle is requested (Secrets may have changed). */
    public void accept(SourceSnapshot snapshot) {
        fold(snapshot).forEach(queue::add);
    }

    /**
     * Folds a snapshot in and requests an output cycle, but queues nothing: for a source that brings its own work
     * queue (Kubernetes mode, where java-operator-sdk calls {@link #reconcileKey}). Returns the keys that changed.
     */
    public Set<ObjectKey> fold(SourceSnapshot snapshot) {
        logNewProblems(snapshot);
        Set<ObjectKey> changed = table.apply(snapshot, clock.instant());
        requestCycle();
        return changed;
    }

    /** Calls {@code listener} after every output cycle, once the table holds what the cycle found (Kubernetes status). */
    public void afterCycle(Runnable listener) {
        cycleListeners.add(listener);
    }

    /** Says each problem once, when it appears (the status of the resource keeps saying it). */
    private void logNewProblems(SourceSnapshot snapshot) {
        Set<dev.lookout.validation.Problem> now = new java.util.HashSet<>(snapshot.manifests().problems());
        for (dev.lookout.validation.Problem p : snapshot.manifests().problems()) {
            if (!loggedProblems.contains(p)) {
                if (p.isError()) {
                    LOG.warn("{}", p);
                } else {
                    LOG.info("{}", p);
                }
            }
        }
        loggedProblems = now;
    }

    /**
     * Reconciles {@code key} again (a platform saw something change that the resource depends on), unless its
     * last reconcile failed: it is then retried with backoff, whatever the platform reports meanwhile.
     */
    public void requeue(ObjectKey key) {
        Requeues routed = requeues;
        if (routed != null) {
            routed.requeue(key);
        } else {
            queue.addUnlessFailing(key);
        }
    }

    /**
     * Where {@link #requeue} and {@link #reconcileNow} go when a source brings its own queue: Kubernetes mode hands them
     * to java-operator-sdk, so that one queue per resource decides when it is reconciled, with its retries.
     */
    public interface Requeues {
        /** Reconcile {@code key} again, unless its last reconcile failed: its retry backoff decides then. */
        void requeue(ObjectKey key);

        /** Reconcile {@code key} again now, even while its retries back off. */
        void reconcileNow(ObjectKey key);
    }

    private volatile Requeues requeues;

    /** From now on, requeues go to {@code requeues} rather than this engine's own queue. */
    public void routeRequeues(Requeues requeues) {
        this.requeues = requeues;
    }

    /** Whether {@code key}'s last reconcile failed (its retries back off); a success clears it. */
    public boolean failing(ObjectKey key) {
        return table.failing(key);
    }

    /**
     * A file that is no manifest changed ({@code file}): the resources that may read it, those whose manifest is in its
     * folder or one above it (paths in a spec are relative and stay below the manifest's folder), are reconciled again.
     */
    public void requeueReaders(java.nio.file.Path file) {
        table.manifestsAbove(file).forEach(queue::addUnlessFailing);
    }

    /** Reconciles {@code key} again now, even while its retries back off (its Docker host came back, say). */
    public void reconcileNow(ObjectKey key) {
        Requeues routed = requeues;
        if (routed != null) {
            routed.reconcileNow(key);
        } else {
            queue.add(key);
        }
    }

    public ResourceTable table() {
        return table;
    }

    public int queueDepth() {
        return queue.depth();
    }

    private void reconcile(ObjectKey key) throws Exception {
        Duration again = reconcileKey(key);
        if (again != null) {
            queue.addAfter(key, again);
        }
    }

    /**
     * One reconcile of {@code key} as the table has it now: its kind's reconciler, or its cleanup once it is gone.
     * Throws what the reconciler threw (the caller's queue retries; {@link #reconcileFailed} records it).
     *
     * @return when to reconcile it again even if nothing changes; null: only on change
     */
    public Duration reconcileKey(ObjectKey key) throws Exception {
        // Two queues may hold the same key in Kubernetes mode (java-operator-sdk's, and this one's for what a Docker
        // host reports): a kind's reconciler is never run twice at once for one resource. Uncontended otherwise; one
        // small lock per key ever seen (not removed on delete: a thread may still be waiting on it).
        synchronized (keyLocks.computeIfAbsent(key, k -> new Object())) {
            return reconcileKeyAlone(key);
        }
    }

    private Duration reconcileKeyAlone(ObjectKey key) throws Exception {
        ResourceTable.Work work = table.work(key);
        Reconciler<Object> reconciler = reconcilers.get(key.kind());
        Duration again = null;
        if (reconciler != null) {
            long start = System.nanoTime();
            if (work instanceof ResourceTable.Work.Reconcile r) {
                ReconcileResult result = reconciler.reconcile(r.resource().resource(), key);
                ReconcileResult.Blocked blocked = table.reconciled(key, r.generation(), result, clock.instant());
                if (blocked != null) {
                    LOG.warn("{}: {}: {}", key, blocked.reason(), blocked.message()); // said once; the status keeps saying it
                }
                again = result.requeueAfter();
            } else if (work instanceof ResourceTable.Work.Cleanup) {
                reconciler.cleanup(key);
            }
            metrics.reconciled(key.kind(), Duration.ofNanos(System.nanoTime() - start), true);
        }
        requestCycle();
        return again;
    }

    private void reconcileFailed(WorkQueue.FailedKey<ObjectKey> failed) {
        reconcileFailed(failed.key(), failed.error(), failed.failures(), failed.retryIn());
    }

    /** A reconcile of {@code key} threw: logged, counted, and the resource says ReconcileFailed until a retry works. */
    public void reconcileFailed(ObjectKey key, Throwable error, int failures, Duration retryIn) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        if (error.getMessage() == null && failures == 1) {
            // No message means a bug rather than a platform's refusal: the stack says where, once.
            LOG.warn("{}: reconcile failed, retry {} in {} ms", key, failures, retryIn.toMillis(), error);
        } else {
            LOG.warn("{}: reconcile failed ({}), retry {} in {} ms", key, message, failures, retryIn.toMillis());
        }
        metrics.reconciled(key.kind(), Duration.ZERO, false);
        table.reconcileFailed(key, message, clock.instant());
        requestCycle();
    }

    private void requestCycle() {
        lock.lock();
        try {
            if (!cycleRequested) {
                cycleRequested = true;
                cycleRequestedAt = System.nanoTime();
            }
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void outputLoop() {
        try {
            while (awaitCycle()) {
                runCycle();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            outputDeath = e;
            LOG.error("the output thread stopped: {}", e.toString(), e);
        }
    }

    /** Waits for a requested (or owed) cycle, then for the queue to drain, at most {@code maxCoalesce}; false when closing. */
    private boolean awaitCycle() throws InterruptedException {
        long requestedAt;
        lock.lock();
        try {
            while (!closing && !cycleRequested && System.nanoTime() < retryAtNanos) {
                long wait = retryAtNanos == Long.MAX_VALUE ? Long.MAX_VALUE : retryAtNanos - System.nanoTime();
                if (wait == Long.MAX_VALUE) {
                    signal.await();
                } else {
                    signal.awaitNanos(wait);
                }
            }
            if (closing) {
                return false;
            }
            requestedAt = cycleRequested ? cycleRequestedAt : System.nanoTime();
        } finally {
            lock.unlock();
        }
        long left = settings.maxCoalesce().toNanos() - (System.nanoTime() - requestedAt);
        if (left > 0) {
            queue.awaitIdle(Duration.ofNanos(left));
        }
        lock.lock();
        try {
            cycleRequested = false;
            retryAtNanos = Long.MAX_VALUE;
            cycleRunning = true;
            return true; // a cycle already due still runs while closing: the write in progress finishes
        } finally {
            lock.unlock();
        }
    }

    private void runCycle() {
        RenderSet set = table.renderSet();
        Instant now;
        try {
            OutputPipeline.Outcome outcome = pipeline.run(set);
            now = clock.instant();
            handle(outcome, set, now);
            cycleFailures = outcome instanceof OutputPipeline.Outcome.Pending ? cycleFailures : 0;
        } catch (IOException | RuntimeException e) {
            now = clock.instant();
            String problem = "writing the outputs failed: " + e.getMessage();
            if (!problem.equals(outputProblem)) {
                LOG.error("{}", problem, e);
            }
            setOutputProblem(problem);
            lastOutputs = new OutputsReport(now, "failed", problem);
            scheduleRetry();
        }
        saveState();
        for (Runnable listener : cycleListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("after the output cycle: {}", e.toString(), e);
            }
        }
        lock.lock();
        try {
            cycleRunning = false;
            synced = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void handle(OutputPipeline.Outcome outcome, RenderSet set, Instant now) {
        if (outcome instanceof OutputPipeline.Outcome.Applied applied) {
            table.applied(set, now, pipeline.appliedMessage());
            if (outputProblem != null) {
                LOG.info("outputs applied again after: {}", outputProblem);
            }
            setOutputProblem(null);
            boolean wrote = applied.written() + applied.removed() > 0;
            String what = applied.written() + " written, " + applied.removed() + " removed"
                    + (applied.reloaded() ? ", reloaded " + applied.changeToReload().toMillis() + " ms after the change" : "");
            if (wrote || lastOutputs == null || !lastOutputs.ok()) {
                lastOutputs = new OutputsReport(now, "applied", what);
            }
            if (wrote) {
                LOG.info("outputs: {} ({})", what, applied.phases());
            }
        } else if (outcome instanceof OutputPipeline.Outcome.Unchanged) {
            table.applied(set, now, pipeline.appliedMessage()); // e.g. only labels changed: nothing to write, the version is applied
            if (lastOutputs == null || !lastOutputs.ok()) {
                lastOutputs = new OutputsReport(now, "applied", "the files on disk were already current");
            }
        } else if (outcome instanceof OutputPipeline.Outcome.Refused refused) {
            LOG.warn("{} refused for {}: {}", refused.reason(), refused.culprits(), refused.message());
            table.rejected(refused.culprits(), refused.reason(), refused.message(), now);
            lastOutputs = new OutputsReport(now, "refused", refused.reason() + ": " + refused.message());
            requestCycle(); // the others still go ahead, rendered without the refused versions
        } else if (outcome instanceof OutputPipeline.Outcome.Pending pending) {
            table.pending(set, pending.reason(), pending.message(), now);
            lastOutputs = new OutputsReport(now, "pending", pending.message());
            if (outputProblem == null) {
                LOG.warn("{} (said once; retried with backoff until it answers)", pending.message());
            }
            setOutputProblem(pending.message());
            scheduleRetry();
        }
    }

    /** One more failed cycle in a row: the next try waits longer (reset by a cycle that is not Pending). */
    private void scheduleRetry() {
        cycleFailures++;
        Duration delay = settings.reloadRetry().delay(cycleFailures, ThreadLocalRandom.current());
        lock.lock();
        try {
            retryAtNanos = System.nanoTime() + delay.toNanos();
        } finally {
            lock.unlock();
        }
    }

    private void setOutputProblem(String problem) {
        lock.lock();
        try {
            outputProblem = problem;
        } finally {
            lock.unlock();
        }
    }

    private void saveState() {
        if (store == null) {
            return;
        }
        try {
            store.save(table.export(mapper));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot save state in {}: {}", store.folder(), e.getMessage());
        }
    }

    /** Why the operator is not ready; empty when it is (first cycle done, last reload confirmed). */
    public List<String> notReady() {
        List<String> reasons = new ArrayList<>();
        lock.lock();
        try {
            if (!synced) {
                reasons.add("first sync of the outputs not done yet");
            }
            if (outputProblem != null) {
                reasons.add(outputProblem);
            }
        } finally {
            lock.unlock();
        }
        return reasons;
    }

    /** The last cycle that wrote, reloaded or failed; empty before the first cycle. */
    public Optional<OutputsReport> lastOutputs() {
        return Optional.ofNullable(lastOutputs);
    }

    /** False once the output thread died (a bug): /healthz then fails so a supervisor restarts the process. */
    public boolean alive() {
        return outputDeath == null && outputThread.isAlive();
    }

    /** Waits until no key is queued and no cycle is requested or running (tests and benches). */
    public boolean awaitQuiet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            queue.awaitIdle(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            lock.lock();
            try {
                if (!cycleRequested && !cycleRunning && queue.idle()) {
                    return true;
                }
                signal.awaitNanos(Math.min(deadline - System.nanoTime(), 20_000_000L));
            } finally {
                lock.unlock();
            }
        }
        return false;
    }

    /** Stops taking work; the cycle in progress (a write) finishes first; the state is saved. */
    @Override
    public void close() throws InterruptedException {
        lock.lock();
        try {
            closing = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
        queue.close(Duration.ofSeconds(10));
        outputThread.join(Duration.ofSeconds(30).toMillis());
        saveState();
    }
}
