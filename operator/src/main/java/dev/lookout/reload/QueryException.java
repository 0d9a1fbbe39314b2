package dev.lookout.reload;

import java.util.Optional;

/**
 * An instant query that gave no result: Prometheus refused or failed it (then {@link #errorType()} holds
 * its {@code errorType}: {@code bad_data} for a PromQL syntax error, {@code execution}, {@code timeout},
 * …), or no API answer came at all (network failure, a non-Prometheus answer). The message is short and
 * fit for a status condition or a log line.
 */
public final class QueryException extends Exception {
    private final String errorType;

    QueryException(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    /** Prometheus' {@code errorType}; empty when the failure came before any API answer. */
    public Optional<String> errorType() {
        return Optional.ofNullable(errorType);
    }
}
