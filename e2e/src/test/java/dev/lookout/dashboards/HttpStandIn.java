package dev.lookout.dashboards;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * One HTTP endpoint on 127.0.0.1 standing in for something Prometheus or blackbox reaches (an exporter, ComfyUI):
 * every GET under {@code path} answers 200 with what {@code body} gives for the request's path at that moment.
 */
final class HttpStandIn implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    /** What an exporter's /metrics sends; Prometheus 3 refuses a scrape without a content type it knows. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private HttpStandIn(HttpServer server) {
        this.server = server;
    }

    static HttpStandIn serve(String path, String contentType, UnaryOperator<String> body) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(HOST), 0), 0);
            server.createContext(path, exchange -> {
                byte[] bytes = body.apply(exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
            return new HttpStandIn(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + HOST, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:PORT}, as a scrape target names it. */
    String address() {
        return HOST + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
