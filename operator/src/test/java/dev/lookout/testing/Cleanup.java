package dev.lookout.testing;

/** Closing what a test started, in the order given, each even when one before it fails (and nulls skipped). */
public final class Cleanup {
    private Cleanup() {
    }

    public static void quietly(AutoCloseable... closeables) {
        for (AutoCloseable c : closeables) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("cleanup: " + e);
                }
            }
        }
    }
}
