package dev.lookout.exposition;

import java.util.Locale;
import java.util.Optional;

/** The type a {@code # TYPE} line gives a metric family. */
public enum MetricType {
    COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED;

    /** The type named as the format writes it ({@code counter}), or empty for any other word. */
    static Optional<MetricType> named(String word) {
        for (MetricType type : values()) {
            if (type.name().toLowerCase(Locale.ROOT).equals(word)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
