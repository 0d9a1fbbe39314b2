package dev.lookout.artifacts.stack;

import java.time.Duration;
import java.util.List;

/** Median, 90th percentile (nearest rank) and maximum of a bench's durations: what its summary prints. */
public record Spread(Duration median, Duration p90, Duration max, int count) {

    public static Spread of(List<Duration> durations) {
        if (durations.isEmpty()) {
            throw new IllegalArgumentException("no durations");
        }
        List<Duration> sorted = durations.stream().sorted().toList();
        return new Spread(rank(sorted, 0.5), rank(sorted, 0.9), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static Duration rank(List<Duration> sorted, double quantile) {
        return sorted.get((int) Math.ceil(quantile * sorted.size()) - 1);
    }

    @Override
    public String toString() {
        return "median %s  p90 %s  max %s  (n=%d)".formatted(seconds(median), seconds(p90), seconds(max), count);
    }

    public static String seconds(Duration d) {
        return "%.2f s".formatted(d.toNanos() / 1e9);
    }
}
