package dev.lookout.engine;

import java.time.Instant;

/**
 * The last output cycle that wrote, reloaded or failed, as the status page tells it: a cycle that found
 * nothing to write does not replace it, so the page keeps saying when Prometheus last took a change.
 *
 * @param result  {@code applied}, {@code refused}, {@code pending} (written, the reload not confirmed) or
 *                {@code failed} (not written)
 * @param detail  what was written and reloaded, or why not, in the words of the log
 */
public record OutputsReport(Instant at, String result, String detail) {
    public boolean ok() {
        return result.equals("applied");
    }
}
