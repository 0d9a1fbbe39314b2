package dev.lookout.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerClientException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns what docker-java throws into a {@link DockerException} that says what the caller can do about it.
 * docker-java throws its own {@code DockerException} (with the HTTP status) for an engine's refusal, and a
 * bare {@code RuntimeException} wrapping the {@link IOException} of its transport for everything else.
 */
final class DockerErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** docker-java's message: {@code Status 404: {"message":"No such image: x:1"}}. */
    private static final Pattern STATUS_MESSAGE = Pattern.compile("(?s)Status \\d+: (.*)");

    private DockerErrors() {
    }

    /** The exception for a failed call; {@code what} says which call ("inspect 3f2a…"). */
    static DockerException translate(EngineEndpoint engine, String what, Throwable failure) {
        if (failure instanceof DockerException known) {
            return known;
        }
        if (failure instanceof com.github.dockerjava.api.exception.DockerException refusal) {
            int status = refusal.getHttpStatus();
            String message = engineMessage(refusal);
            if (status == 409) {
                return new DockerException.Conflict(engine.host(), what + " on Docker host " + engine.describe()
                        + ": " + message);
            }
            return new DockerException.Refused(engine.host(), status, what + " on Docker host " + engine.describe()
                    + " refused (" + status + "): " + message, refusal);
        }
        if (find(failure, TimeoutException.class) != null || find(failure, SocketTimeoutException.class) != null) {
            return unavailable(engine, "did not answer " + what + " in time", failure);
        }
        IOException io = find(failure, IOException.class);
        if (io != null) {
            return unavailable(engine, what + " failed: " + describe(io), failure);
        }
        if (failure instanceof DockerClientException) {
            // docker-java's own client-side failure, such as an unreadable TLS key: nothing the engine said.
            return unavailable(engine, what + " failed: " + failure.getMessage(), failure);
        }
        return new DockerException.Refused(engine.host(), 0, what + " on Docker host " + engine.describe()
                + " failed: " + failure, failure);
    }

    static DockerException.Unavailable unavailable(EngineEndpoint engine, String why, Throwable cause) {
        return new DockerException.Unavailable(engine.host(), "Docker host " + engine.describe()
                + " is unavailable: " + why, cause);
    }

    /**
     * Whether a call failed for want of a working connection, before the engine could act on it or without its
     * answer: the pooled connection the daemon closed (NoHttpResponseException, broken pipe, reset), or a
     * daemon that is restarting (refused, socket missing). Trying again on a fresh connection may succeed.
     * A timeout is not: the call's time is spent. Nor is a TLS failure: a certificate does not heal.
     */
    static boolean lostConnection(Throwable failure) {
        if (failure instanceof DockerException
                || failure instanceof com.github.dockerjava.api.exception.DockerException) {
            return false; // the engine answered
        }
        IOException io = find(failure, IOException.class);
        return io != null && !(io instanceof InterruptedIOException) && !(io instanceof AsynchronousCloseException)
                && find(failure, SSLException.class) == null && find(failure, TimeoutException.class) == null;
    }

    /** The engine's own words: the {@code message} of its JSON error body, else the body. */
    static String engineMessage(com.github.dockerjava.api.exception.DockerException refusal) {
        String text = refusal.getMessage() == null ? "" : refusal.getMessage();
        Matcher m = STATUS_MESSAGE.matcher(text);
        String body = m.matches() ? m.group(1).trim() : text.trim();
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (IOException notJson) {
            // an engine or proxy that answered plain text: keep it as it is
        }
        return body;
    }

    /** The name of a transport failure without the shaded package prefix. */
    private static String describe(IOException io) {
        String type = io.getClass().getSimpleName();
        return io.getMessage() == null || io.getMessage().isBlank() ? type : type + ": " + io.getMessage();
    }

    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
