package dev.lookout.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work queue between a source and the reconcilers, with client-go's semantics: a key is queued at most
 * once however often it is added; a key is never processed by two workers at once (added while in flight,
 * it is processed again afterwards); a failed key is retried after {@link RetryPolicy}'s backoff, and its
 * failure count is forgotten once it succeeds. A fixed number of workers bounds the concurrency.
 *
 * <p>Two ways in: {@link #add} (the resource itself changed: worth a prompt try, backoff or not) and
 * {@link #addUnlessFailing} (something it depends on changed), which leaves a failing key to its backoff. What a
 * failed attempt did itself changes things it depends on (a container start that Docker refuses still connects
 * and disconnects the container's network, and both are events), so were those to cut the backoff short, the
 * failure would repeat at the speed of the events, for ever.
 */
public final class WorkQueue<K> implements AutoCloseable {
    /** Processes one key; throwing means "retry later with backoff". */
    @FunctionalInterface
    public interface Handler<K> {
        void process(K key) throws Exception;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<K> queue = new LinkedHashSet<>();
    private final Set<K> inFlight = new HashSet<>();
    private final Set<K> dirty = new HashSet<>();
    /** In flight and added by {@link #addUnlessFailing} meanwhile: processed again only if this attempt succeeds. */
    private final Set<K> dirtyUnlessFailing = new HashSet<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final Set<K> waiting = new HashSet<>();
    private final Handler<K> handler;
    private final RetryPolicy retry;
    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
    private final Consumer<FailedKey<K>> onFailure;
    private final ScheduledExecutorService delays;
    private final Thread[] workers;
    private boolean closed;

    /** A key whose processing threw, with the retry scheduled for it. */
    public record FailedKey<K>(K key, Exception error, int failures, Duration retryIn) {
    }

    public WorkQueue(String name, int workerCount, RetryPolicy retry, Handler<K> handler, Consumer<FailedKey<K>> onFailure) {
        if (workerCount < 1) {
            throw new IllegalArgumentException("a work queue needs at least one worker");
        }
        this.handler = handler;
        this.retry = retry;
        this.onFailure = onFailure;
        this.delays = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-retry"));
        this.workers = new Thread[workerCount];
        for (int i = 0; i < workerCount; i++) {
            workers[i] = daemon(this::work, name + "-worker-" + i);
            workers[i].start();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Queues the key unless it is already queued; a key in flight is processed once more after it finishes. */
    public void add(K key) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            waiting.remove(key);
            if (inFlight.contains(key)) {
                dirty.add(key);
            } else if (queue.add(key)) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #add}, for a change of something the key depends on, but a key whose last attempt failed is
     * left to its scheduled retry, and one in flight is processed again only if the attempt in flight succeeds.
     */
    public void addUnlessFailing(K key) {
        lock.lock();
        try {
            if (closed || failures.containsKey(key)) {
                return;
            }
            waiting.remove(key);
            if (inFlight.contains(key)) {
                dirtyUnlessFailing.add(key);
            } else if (queue.add(key)) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues the key after {@code delay}; a plain {@link #add} in the meantime wins. */
    public void addAfter(K key, Duration delay) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            waiting.add(key);
        } finally {
            lock.unlock();
        }
        delays.schedule(() -> {
            boolean due;
            lock.lock();
            try {
                due = waiting.remove(key);
            } finally {
                lock.unlock();
            }
            if (due) {
                add(key);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Keys queued or in flight (what {@code lookout_queue_depth} shows); keys waiting out a backoff are not counted. */
    public int depth() {
        lock.lock();
        try {
            return queue.size() + inFlight.size();
        } finally {
            lock.unlock();
        }
    }

    /** True when nothing is queued or in flight (keys waiting for a retry do not count). */
    public boolean idle() {
        return depth() == 0;
    }

    /** Waits until {@link #idle()}, at most {@code timeout}; returns whether it became idle. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!queue.isEmpty() || !inFlight.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            K key;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                var it = queue.iterator();
                key = it.next();
                it.remove();
                inFlight.add(key);
            } finally {
                lock.unlock();
            }
            Exception error = null;
            try {
                handler.process(key);
            } catch (Exception e) {
                error = e;
            } catch (Error e) { // e.g. a StackOverflowError in one resource must not kill the worker
                error = new IllegalStateException(e);
            }
            finish(key, error);
        }
    }

    private void finish(K key, Exception error) {
        FailedKey<K> failed = null;
        if (error != null) {
            lock.lock();
            try {
                int count = failures.merge(key, 1, Integer::sum);
                failed = new FailedKey<>(key, error, count, retry.delay(count, ThreadLocalRandom.current()));
            } finally {
                lock.unlock();
            }
            // Told while the key is still in flight (outside the lock: the callback takes others): no other worker
            // can finish a newer attempt of this key first and then have this older failure overwrite its result.
            try {
                onFailure.accept(failed);
            } catch (RuntimeException e) {
                // Reporting must not leave the key in flight for ever (nor end this worker): the retry still comes.
                LOG.error("reporting the failure of {} failed; it is retried all the same", key, e);
            }
        }
        lock.lock();
        try {
            inFlight.remove(key);
            if (error == null) {
                failures.remove(key);
            }
            boolean dependencyChanged = dirtyUnlessFailing.remove(key) && error == null;
            if ((dirty.remove(key) || dependencyChanged) && !closed) {
                queue.add(key); // changed while in flight: process the newest state now, retry or not
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            addAfter(key, failed.retryIn());
        }
    }

    /** Stops taking work, lets in-flight keys finish (at most {@code grace}), and stops the workers. */
    public void close(Duration grace) throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        delays.shutdownNow();
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread worker : workers) {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(10));
    }
}
