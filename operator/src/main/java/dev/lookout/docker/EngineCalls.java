package dev.lookout.docker;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the calls to one engine with a deadline each and retries those that lost their connection.
 *
 * <p>The deadline is enforced here, on a worker thread, because docker-java cannot do it for a unix socket:
 * its {@code UnixSocket} reads a blocking {@code SocketChannel} and ignores {@code SO_TIMEOUT}, so the
 * response timeout only works on tcp. Interrupting the worker closes that channel (it is interruptible),
 * which ends the call for real instead of leaving it blocked on a hung daemon.
 */
final class EngineCalls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineCalls.class);
    private static final int WORKERS = 8;

    private final EngineEndpoint engine;
    private final DockerSettings settings;
    private final ThreadPoolExecutor workers;
    private final AtomicLong retried = new AtomicLong();

    EngineCalls(EngineEndpoint engine, DockerSettings settings) {
        this.engine = engine;
        this.settings = settings;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "docker-" + engine.host() + "-call-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
    }

    /** How many attempts were repeated after a lost connection, since this engine's client was made. */
    long retried() {
        return retried.get();
    }

    /**
     * Runs an idempotent call, again on a fresh connection (up to {@link DockerSettings#retries} times, with a
     * doubling pause) when it lost its connection.
     *
     * @param extra time the engine legitimately takes on top of the response timeout (a stop's grace)
     */
    <T> T call(String what, Duration extra, Callable<T> body) {
        Duration pause = settings.retryBackoff();
        for (int attempt = 0; ; attempt++) {
            try {
                return once(what, extra, body);
            } catch (RetryableFailure lost) {
                if (attempt >= settings.retries()) {
                    throw DockerErrors.translate(engine, what, lost.getCause());
                }
                retried.incrementAndGet();
                LOG.debug("Docker host {}: {} lost its connection ({}); trying again in {} ms", engine.describe(),
                        what, lost.getCause().toString(), pause.toMillis());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw DockerErrors.unavailable(engine, what + " was interrupted", e);
                }
                pause = pause.multipliedBy(2);
            }
        }
    }

    <T> T call(String what, Callable<T> body) {
        return call(what, Duration.ZERO, body);
    }

    void run(String what, Duration extra, Runnable body) {
        call(what, extra, () -> {
            body.run();
            return null;
        });
    }

    private <T> T once(String what, Duration extra, Callable<T> body) {
        Duration deadline = settings.responseTimeout().plus(settings.connectTimeout()).plus(extra);
        Future<T> future = workers.submit(body);
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw DockerErrors.unavailable(engine, "did not answer " + what + " within " + deadline.toSeconds()
                    + " s", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw DockerErrors.unavailable(engine, what + " was interrupted", e);
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (DockerErrors.lostConnection(failure)) {
                throw new RetryableFailure(failure);
            }
            throw DockerErrors.translate(engine, what, failure);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** A call that lost its connection: internal to the retry loop. */
    private static final class RetryableFailure extends RuntimeException {
        RetryableFailure(Throwable cause) {
            super(cause);
        }
    }
}
