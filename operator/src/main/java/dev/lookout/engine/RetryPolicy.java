package dev.lookout.engine;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for a key whose reconcile failed: {@code base * 2^(failures-1)}, capped
 * at {@code max}, then spread by ±{@code jitter} so keys that failed together do not retry together
 * (client-go's per-item limiter, with jitter added).
 */
public record RetryPolicy(Duration base, Duration max, double jitter) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(200), Duration.ofMinutes(2), 0.2);

    public RetryPolicy {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("retry policy needs 0 < base <= max and 0 <= jitter < 1");
        }
    }

    /** The wait before retry number {@code failures} (1 for the first retry). */
    public Duration delay(int failures, RandomGenerator random) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        long capped = Math.min(max.toMillis(), base.toMillis() << doublings);
        double spread = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(capped * spread)));
    }
}
