package dev.lookout.validation;

import dev.lookout.api.Patterns;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;

/** Prometheus' duration syntax ({@code 1h30m}, {@code 500ms}): units y w d h m s ms, descending, each at most once. */
public final class PromDuration {
    private static final java.util.regex.Pattern SYNTAX = java.util.regex.Pattern.compile(
            "^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$");
    private static final long[] UNIT_MILLIS = {
        365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};

    static {
        // The CRD pattern and this one must accept the same strings; keep them side by side.
        assert Patterns.DURATION.replace("[0-9]+", "").length() > 0;
    }

    private PromDuration() {
    }

    /** The duration, or empty when the text is not Prometheus syntax (or overflows). Zero is returned as zero. */
    public static Optional<Duration> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long total = 0;
        try {
            for (int i = 0; i < UNIT_MILLIS.length; i++) {
                String group = m.group(i + 1);
                if (group != null) {
                    total = Math.addExact(total, Math.multiplyExact(Long.parseLong(group), UNIT_MILLIS[i]));
                }
            }
        } catch (ArithmeticException | NumberFormatException overflow) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(total));
    }
}
