package dev.lookout.gpu;

import dev.lookout.exposition.Exposition;
import dev.lookout.exposition.ExpositionParser;
import dev.lookout.exposition.ParseIssue;
import dev.lookout.reload.BoundedHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Reads a dcgm-exporter's own {@code /metrics} and says which GPUs it reports, or why it could not: the
 * check behind GpuNode's Ready ("metrics are flowing"). Short timeouts, as the exporter is one hop away and
 * the loop has other resources to see to; never throws for what the network or the exporter does.
 */
public final class ExporterMetrics {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final BoundedHttp http;

    public ExporterMetrics() {
        this(CONNECT_TIMEOUT, ANSWER_TIMEOUT);
    }

    ExporterMetrics(Duration connectTimeout, Duration answerTimeout) {
        this.http = new BoundedHttp(connectTimeout, answerTimeout);
    }

    /** What one read of an exporter found. */
    public sealed interface Reading {
    }

    /**
     * The exporter answered with DCGM series for at least one GPU.
     *
     * @param refused lines Prometheus's parser refuses, in payload order: one such line fails every scrape of the
     *                exporter (up == 0), so metrics do not reach Prometheus although the exporter answers
     */
    public record Flowing(GpuInventory inventory, List<ParseIssue> refused) implements Reading {
        public Flowing {
            refused = List.copyOf(refused);
        }
    }

    /** No inventory, and why, in words for a status condition. */
    public record Unreadable(String reason) implements Reading {
    }

    /** {@code GET http://<address>/metrics}, {@code address} being {@code host:port} ({@code 172.18.0.5:9400}). */
    public Reading read(String address) {
        URI uri;
        try {
            uri = new URI("http://" + address + "/metrics");
        } catch (URISyntaxException e) {
            return new Unreadable("not a host:port address: \"" + address + "\"");
        }
        if (uri.getHost() == null || !uri.getRawPath().equals("/metrics") || uri.getRawQuery() != null) {
            return new Unreadable("not a host:port address: \"" + address + "\"");
        }
        HttpResponse<String> response;
        try {
            // text 0.0.4 explicitly: dcgm-exporter serves nothing else, but a proxy in between might negotiate.
            response = http.send(HttpRequest.newBuilder(uri).GET().header("Accept", "text/plain;version=0.0.4"));
        } catch (IOException e) {
            return new Unreadable(failure(e, uri, address));
        }
        if (response.statusCode() != 200) {
            String body = BoundedHttp.firstLine(response.body());
            return new Unreadable("HTTP " + response.statusCode() + " from " + uri + (body.isEmpty() ? "" : ": " + body));
        }
        return parse(response.body());
    }

    /** What a payload in the Prometheus text format says: an inventory, or why it is not a dcgm-exporter's. */
    static Reading parse(String payload) {
        return reading(ExpositionParser.parse(payload));
    }

    /** What a parsed payload says: an inventory, or why it is not a dcgm-exporter's. */
    private static Reading reading(Exposition exposition) {
        if (exposition.samples().stream().noneMatch(s -> s.name().startsWith(GpuInventory.FIELD_PREFIX))) {
            int skipped = exposition.issues().size();
            return new Unreadable("no " + GpuInventory.FIELD_PREFIX + " series: is this dcgm-exporter?"
                    + (skipped == 0 ? "" : " (" + skipped + " lines not in the Prometheus text format, the first: "
                    + exposition.issues().get(0) + ")"));
        }
        GpuInventory inventory = GpuInventory.of(exposition);
        if (inventory.gpus().isEmpty()) {
            return new Unreadable("no " + GpuInventory.FIELD_PREFIX + " series names a GPU (no gpu label)");
        }
        return new Flowing(inventory, exposition.issues().stream().filter(i -> !i.prometheusAccepts()).toList());
    }

    /** "connection refused to 172.18.0.5:9400", "no answer within 5s from 172.18.0.5:9400", "unknown host gpu-1". */
    private String failure(IOException e, URI uri, String address) {
        String reason = http.reason(e, uri);
        if (reason.startsWith("unknown host")) {
            return reason;
        }
        boolean connecting = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            connecting |= t instanceof ConnectException || t instanceof HttpConnectTimeoutException;
        }
        return reason + (connecting ? " to " : " from ") + address;
    }
}
