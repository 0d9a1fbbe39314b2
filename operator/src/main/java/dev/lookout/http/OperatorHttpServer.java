package dev.lookout.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The operator's one HTTP port: the status page at {@code /}, {@code /metrics}, {@code /healthz},
 * {@code /readyz} and {@code /api/v1/resources} (read by {@code lookout get}).
 *
 * <p>Built on the JDK's own {@code com.sun.net.httpserver}: a handful of GET endpoints need no web
 * framework, and this adds no dependency (nor its CVEs) to the jar. Requests run on two daemon threads
 * with a bounded queue; when that is full the accepting thread serves the request itself, which slows
 * new connections down instead of dropping them or growing without bound. Every endpoint is GET (and
 * HEAD); any failure is answered with a short message, never a stack trace (that goes to the log).
 */
public final class OperatorHttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OperatorHttpServer.class.getName());
    private static final int THREADS = 2;
    private static final int QUEUE = 32;
    private static final int STOP_DELAY_SECONDS = 1;
    private static final String ENDPOINTS = "/metrics, /healthz, /readyz, " + ResourcesEndpoint.PATH;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final MetricsEndpoint metrics;
    private final ResourcesEndpoint resources;
    private final Readiness readiness;
    private final Supplier<List<String>> liveness;
    private volatile Supplier<String> statusPage;

    /**
     * Binds {@code address} (port 0 picks a free port, see {@link #port()}); serving starts with
     * {@link #start()}.
     *
     * @param liveness the reasons the operator is not alive (e.g. a dead loop thread); empty while it is
     * @throws BindException naming the address when it cannot be bound
     */
    public OperatorHttpServer(InetSocketAddress address, PrometheusMeterRegistry registry, ResourceCatalog catalog,
                              Readiness readiness, Supplier<List<String>> liveness) throws IOException {
        try {
            this.server = HttpServer.create(address, 0);
        } catch (BindException e) {
            BindException named = new BindException("cannot listen on " + address + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
        this.metrics = new MetricsEndpoint(registry);
        this.resources = new ResourcesEndpoint(catalog, ResourceKinds.fromCrds());
        this.readiness = readiness;
        this.liveness = liveness;
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "lookout-http-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.createContext("/", this::serve);
    }

    /** Serves {@code page} (HTML) at {@code /}; without it {@code /} lists the endpoints. Call before {@link #start()}. */
    public OperatorHttpServer withStatusPage(Supplier<String> page) {
        this.statusPage = page;
        return this;
    }

    public void start() {
        server.start();
    }

    /** The bound port: the real one when the address asked for port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting, gives requests in flight a second to finish, then stops the threads. */
    @Override
    public void close() {
        server.stop(STOP_DELAY_SECONDS);
        executor.shutdown();
        try {
            executor.awaitTermination(STOP_DELAY_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(HttpExchange exchange) {
        try (exchange) {
            write(exchange, reply(exchange));
        } catch (IOException e) {
            // The client went away; nothing to answer.
        }
    }

    private HttpReply reply(HttpExchange exchange) {
        HttpRequest request;
        try {
            request = new HttpRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    HttpRequest.parseQuery(exchange.getRequestURI().getRawQuery()), exchange.getRequestHeaders().getFirst("Accept"));
        } catch (IllegalArgumentException e) {
            return HttpReply.error(400, "malformed query: " + e.getMessage());
        }
        try {
            return route(request);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "serving " + request.path() + " failed", e);
            return HttpReply.error(500, "internal error (" + e.getClass().getSimpleName() + "); the operator's log has the details");
        }
    }

    private HttpReply route(HttpRequest request) {
        String path = request.path();
        boolean known = path.equals("/") && statusPage != null || path.equals("/metrics") || path.equals("/healthz") || path.equals("/readyz")
                || path.equals(ResourcesEndpoint.PATH) || path.startsWith(ResourcesEndpoint.PATH + "/");
        if (!known) {
            return HttpReply.error(404, "no such path " + path + " (endpoints: " + ENDPOINTS + ")");
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return HttpReply.error(405, request.method() + " is not allowed on " + path + " (only GET)").withHeader("Allow", "GET, HEAD");
        }
        return switch (path) {
            case "/" -> HttpReply.html(200, statusPage.get());
            case "/metrics" -> metrics.handle(request);
            case "/healthz" -> probe(liveness.get());
            case "/readyz" -> probe(readiness.notReady());
            default -> resources.handle(request);
        };
    }

    /** 200 {@code ok}, or 503 with one reason per line. */
    private static HttpReply probe(List<String> problems) {
        return problems.isEmpty() ? HttpReply.text(200, "ok\n") : HttpReply.text(503, String.join("\n", problems) + "\n");
    }

    private static void write(HttpExchange exchange, HttpReply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        for (Map.Entry<String, String> header : reply.headers().entrySet()) {
            exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length == 0 ? -1 : reply.body().length);
        if (!head && reply.body().length > 0) {
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(reply.body());
            }
        }
    }
}
