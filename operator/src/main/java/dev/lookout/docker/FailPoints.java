package dev.lookout.docker;

/**
 * Where the crash-safety tests stop Lookout as {@code kill -9} would (no shutdown hooks, nothing flushed): in the
 * middle of a network move. Inert unless the system property {@code lookout.failpoint} names a point; then the JVM
 * halts with 137 the first time it is reached (in each run).
 */
final class FailPoints {
    private static final String POINT = System.getProperty("lookout.failpoint");

    private FailPoints() {
    }

    static void reached(String point) {
        if (point.equals(POINT)) {
            System.err.println("lookout.failpoint " + point + " reached: halting");
            Runtime.getRuntime().halt(137);
        }
    }
}
