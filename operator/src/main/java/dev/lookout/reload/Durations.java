package dev.lookout.reload;

import java.time.Duration;

/** Durations in messages, written the way Prometheus users write them: {@code 10s}, {@code 250ms}. */
final class Durations {
    private Durations() {
    }

    static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
