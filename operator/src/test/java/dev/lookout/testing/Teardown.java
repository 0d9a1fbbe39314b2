package dev.lookout.testing;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What closing a test's resource does (remove a container or network, take a compose project down), run once:
 * by {@link #run()}, or by a shutdown hook when the JVM exits first, so that a run killed mid-test leaves nothing
 * behind on the engine.
 */
public final class Teardown {
    private final Runnable action;
    private final AtomicBoolean done = new AtomicBoolean();
    private final Thread hook;

    private Teardown(String name, Runnable action) {
        this.action = action;
        this.hook = new Thread(this::once, name);
    }

    /** {@code action}, run at the JVM's exit unless {@link #run()} ran it before; {@code name} names the hook's thread. */
    public static Teardown atExit(String name, Runnable action) {
        Teardown teardown = new Teardown(name, action);
        Runtime.getRuntime().addShutdownHook(teardown.hook);
        return teardown;
    }

    /** Runs the action now, unless it ran already; the hook then does nothing. */
    public void run() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run
        }
        once();
    }

    private void once() {
        if (done.compareAndSet(false, true)) {
            action.run();
        }
    }
}
