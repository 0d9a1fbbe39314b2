package dev.lookout.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a request the endpoints read: the decoded path, the query parameters (first value
 * wins) and the Accept header.
 */
record HttpRequest(String method, String path, Map<String, String> query, String accept) {
    HttpRequest {
        query = Map.copyOf(query);
        accept = accept == null ? "" : accept;
    }

    /** Parses a raw query string ({@code a=1&b=x%20y}); a parameter without {@code =} has an empty value. */
    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.putIfAbsent(key, value);
        }
        return query;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
