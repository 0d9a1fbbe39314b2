package dev.lookout.docker;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A docker-java stream (events, pull progress) delivered to plain functions. Unlike docker-java's
 * {@code ResultCallback.Adapter}, it does not log every stream that ends with an error at ERROR level (a daemon
 * restart would), and it reports the end exactly once: docker-java calls {@code onError} and then
 * {@code onComplete} for a stream that broke.
 */
final class StreamCallback<T> implements ResultCallback<T> {
    private final Consumer<T> items;
    private final Consumer<Throwable> ended;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Closeable stream;
    private volatile boolean closed;

    /** @param ended called once when the stream ends: with null at its normal end, else with the failure */
    StreamCallback(Consumer<T> items, Consumer<Throwable> ended) {
        this.items = items;
        this.ended = ended;
    }

    @Override
    public void onStart(Closeable stream) {
        this.stream = stream;
        started.countDown();
        if (closed) {
            closeQuietly(stream);
        }
    }

    @Override
    public void onNext(T item) {
        if (!closed) {
            items.accept(item);
        }
    }

    @Override
    public void onError(Throwable failure) {
        finish(failure);
    }

    @Override
    public void onComplete() {
        finish(null);
    }

    /** Whether the engine answered (the response headers came) within {@code millis}. */
    boolean awaitStarted(long millis) throws InterruptedException {
        return started.await(millis, TimeUnit.MILLISECONDS) && !finished.get();
    }

    boolean awaitDone(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Ends the stream from this side: no more items, and {@code ended} is not called for it. */
    @Override
    public void close() {
        closed = true;
        finished.set(true);
        started.countDown();
        Closeable s = stream;
        if (s != null) {
            closeQuietly(s);
        }
        done.countDown();
    }

    private void finish(Throwable failure) {
        if (finished.compareAndSet(false, true)) {
            try {
                if (!closed) {
                    ended.accept(failure); // before the latches: a waiter reads what this records
                }
            } finally {
                started.countDown();
                done.countDown();
            }
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // closing a broken stream: nothing left to do
        }
    }
}
