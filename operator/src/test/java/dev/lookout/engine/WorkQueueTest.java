package dev.lookout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(40), 0.2);

    @Test
    void aKeyAddedManyTimesWhileQueuedIsProcessedOnce() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (WorkQueue<String> queue = new WorkQueue<>("t", 1, FAST, key -> {
            gate.await(5, TimeUnit.SECONDS);
            seen.add(key);
        }, f -> { })) {
            queue.add("blocker");
            for (int i = 0; i < 100; i++) {
                queue.add("a");
                queue.add("b");
            }
            assertThat(queue.depth()).isEqualTo(3); // blocker in flight, a and b queued once each
            gate.countDown();
            assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(seen).containsExactly("blocker", "a", "b");
    }

    @Test
    void aKeyIsNeverProcessedByTwoWorkersAtOnceAndIsRedoneWhenChangedInFlight() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxParallelSameKey = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WorkQueue<String> queue = new WorkQueue<>("t", 4, FAST, key -> {
            maxParallelSameKey.accumulateAndGet(running.incrementAndGet(), Math::max);
            if (runs.incrementAndGet() == 1) {
                inFlight.countDown();
                release.await(5, TimeUnit.SECONDS);
            }
            running.decrementAndGet();
        }, f -> { })) {
            queue.add("k");
            assertThat(inFlight.await(5, TimeUnit.SECONDS)).isTrue();
            queue.add("k"); // changed while in flight: must run again, after the first run
            queue.add("k");
            release.countDown();
            assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(maxParallelSameKey.get()).isEqualTo(1);
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void aFailingKeyIsRetriedWithGrowingBackoffUntilItSucceeds() throws Exception {
        Map<Integer, Long> attemptsAt = new ConcurrentHashMap<>();
        List<Duration> retries = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        try (WorkQueue<String> queue = new WorkQueue<>("t", 2, FAST, key -> {
            int n = attempts.incrementAndGet();
            attemptsAt.put(n, System.nanoTime());
            if (n < 4) {
                throw new IllegalStateException("docker down");
            }
            done.countDown();
        }, f -> retries.add(f.retryIn()))) {
            queue.add("k");
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(attempts.get()).isEqualTo(4);
        assertThat(retries).hasSize(3);
        // 5 ms, 10 ms, 20 ms, each ±20 %
        assertThat(retries.get(0).toMillis()).isBetween(4L, 6L);
        assertThat(retries.get(1).toMillis()).isBetween(8L, 12L);
        assertThat(retries.get(2).toMillis()).isBetween(16L, 24L);
        assertThat(attemptsAt.get(4) - attemptsAt.get(3)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(15));
    }

    @Test
    void whatAFailingKeyDependsOnDoesNotCutItsBackoffShortButItsOwnChangeDoes() throws Exception {
        // The attempt itself causes the dependency changes (as a refused container start causes network events).
        RetryPolicy slow = new RetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(10), 0);
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger echoes = new AtomicInteger(3);
        List<WorkQueue<String>> self = new ArrayList<>();
        try (WorkQueue<String> queue = new WorkQueue<>("t", 2, slow, key -> {
            attempts.incrementAndGet();
            if (echoes.getAndDecrement() > 0) {
                self.get(0).addUnlessFailing(key); // while in flight
            }
            throw new IllegalStateException("start refused");
        }, f -> { })) {
            self.add(queue);
            queue.add("k");
            Thread.sleep(150);
            assertThat(attempts.get()).as("the first attempt only: its echo waits for the backoff").isEqualTo(1);
            queue.addUnlessFailing("k");
            Thread.sleep(100);
            assertThat(attempts.get()).as("a dependency change while failing").isEqualTo(1);
            queue.add("k");
            org.awaitility.Awaitility.await("the resource itself changed: tried at once").atMost(Duration.ofSeconds(3))
                    .until(() -> attempts.get() == 2);
        }
    }

    @Test
    void whatAHealthyKeyDependsOnQueuesItAndRunsItAgainWhenItChangedInFlight() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WorkQueue<String> queue = new WorkQueue<>("t", 1, FAST, key -> {
            if (runs.incrementAndGet() == 1) {
                inFlight.countDown();
                release.await(5, TimeUnit.SECONDS);
            }
        }, f -> { })) {
            queue.addUnlessFailing("k");
            assertThat(inFlight.await(5, TimeUnit.SECONDS)).isTrue();
            queue.addUnlessFailing("k");
            release.countDown();
            assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();
            Thread.sleep(20);
            assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void aFailureIsReportedBeforeTheKeyCanRunAgain() throws Exception {
        // The report writes the failure into the status: a newer attempt that finished first would be overwritten
        // by it, and the resource would say the old failure until the next retry.
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch reporting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (WorkQueue<String> queue = new WorkQueue<>("t", 2, new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(10), 0),
                key -> {
                    order.add("run " + runs.incrementAndGet());
                    if (runs.get() == 1) {
                        throw new IllegalStateException("refused");
                    }
                }, f -> {
                    reporting.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    order.add("reported " + f.failures());
                })) {
            queue.add("k");
            assertThat(reporting.await(5, TimeUnit.SECONDS)).isTrue();
            queue.add("k"); // changed meanwhile: the second worker must not take it before the report is done
            Thread.sleep(100);
            release.countDown();
            assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(order).containsExactly("run 1", "reported 1", "run 2");
    }

    @Test
    void aReportThatThrowsLeavesTheKeyFreeToRunAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        try (WorkQueue<String> queue = new WorkQueue<>("t", 1, FAST, key -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("refused");
            }
            second.countDown();
        }, f -> {
            throw new IllegalStateException("bug in the report");
        })) {
            queue.add("k");
            assertThat(second.await(5, TimeUnit.SECONDS)).as("retried after the failed report").isTrue();
        }
    }

    @Test
    void backoffIsCappedAndJittered() {
        Random random = new Random(1);
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 0.2);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            delays.add(policy.delay(40, random).toMillis());
        }
        assertThat(delays).allMatch(d -> d >= 800 && d <= 1200);
        assertThat(delays.stream().distinct().count()).isGreaterThan(10);
    }

    @Test
    void closeLetsTheKeyInFlightFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        WorkQueue<String> queue = new WorkQueue<>("t", 1, FAST, key -> {
            started.countDown();
            Thread.sleep(100);
            finished.incrementAndGet();
        }, f -> { });
        queue.add("k");
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        queue.add("other");
        queue.close(Duration.ofSeconds(5));
        assertThat(finished.get()).isEqualTo(1); // the write in progress completed; "other" was dropped
    }
}
