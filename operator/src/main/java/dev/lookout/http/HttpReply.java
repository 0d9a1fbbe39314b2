package dev.lookout.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What an endpoint answers, as a value: endpoints are functions from a request to a reply, and only
 * {@link OperatorHttpServer} touches the exchange.
 */
record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json";
    static final String HTML = "text/html; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    HttpReply {
        headers = Map.copyOf(headers);
    }

    static HttpReply text(int status, String text) {
        return new HttpReply(status, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static HttpReply html(int status, String page) {
        return new HttpReply(status, HTML, page.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static HttpReply json(int status, JsonNode body) {
        try {
            return new HttpReply(status, JSON, MAPPER.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"error": "..."}}: every failure is JSON, with a message a person can act on and no stack trace. */
    static HttpReply error(int status, String message) {
        return json(status, MAPPER.createObjectNode().put("error", message));
    }

    HttpReply withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new HttpReply(status, contentType, body, more);
    }
}
