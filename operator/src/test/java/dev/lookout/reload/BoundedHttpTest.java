package dev.lookout.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BoundedHttpTest {
    private static final BoundedHttp HTTP = new BoundedHttp(Duration.ofSeconds(2), Duration.ofMillis(5500));

    static Stream<Arguments> failures() {
        ConnectException refused = new ConnectException();
        refused.initCause(new ConnectException("Connection refused"));
        ConnectException dns = new ConnectException();
        dns.initCause(new UnresolvedAddressException());
        return Stream.of(
                Arguments.of(refused, "connection refused"),
                Arguments.of(new ConnectException(), "connection refused"),
                Arguments.of(new ConnectException("No route to host"), "no route to host"),
                Arguments.of(dns, "unknown host prometheus"),
                Arguments.of(new HttpConnectTimeoutException("HTTP connect timed out"), "connect timed out after 2s"),
                Arguments.of(new HttpTimeoutException("request timed out"), "no answer within 5500ms"),
                Arguments.of(new IOException("HTTP/1.1 header parser received no bytes"), "HTTP/1.1 header parser received no bytes"),
                Arguments.of(new IOException(new IOException("Connection reset\n\tat x")), "connection reset"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void failureBecomesAShortReason(IOException failure, String reason) {
        assertThat(HTTP.reason(failure, URI.create("http://prometheus:9090/-/reload"))).isEqualTo(reason);
    }

    @Test
    void firstLineIsTrimmedAndCut() {
        assertThat(BoundedHttp.firstLine("  boom \nstack")).isEqualTo("boom");
        assertThat(BoundedHttp.firstLine(null)).isEmpty();
        assertThat(BoundedHttp.firstLine("x".repeat(3000))).hasSize(BoundedHttp.MAX_MESSAGE + 1).endsWith("…");
    }

    @Test
    void timeoutsMustBePositive() {
        assertThatThrownBy(() -> new BoundedHttp(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BoundedHttp(Duration.ofSeconds(1), Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
