package dev.lookout.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lookout.gpu.ExporterMetrics.Flowing;
import dev.lookout.gpu.ExporterMetrics.Reading;
import dev.lookout.gpu.ExporterMetrics.Unreadable;
import dev.lookout.testing.DcgmFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ExporterMetrics} against a fake exporter on 127.0.0.1 that serves the real A800 payload, or fails. */
class ExporterMetricsTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> accepts = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** Serves {@code /metrics} with {@code status}, {@code body} and extra headers; returns {@code 127.0.0.1:port}. */
    private String exporter(int status, String body, Map<String, String> headers) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            accepts.add(exchange.getRequestHeaders().getFirst("Accept"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        open.add(() -> server.stop(0));
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private String exporter(int status, String body) throws IOException {
        return exporter(status, body, Map.of());
    }

    @Test
    void realPayloadGivesTheInventory() throws IOException {
        Reading reading = new ExporterMetrics().read(exporter(200, DcgmFixture.a800x8Mig()));

        assertThat(reading).isInstanceOf(Flowing.class);
        GpuInventory inventory = ((Flowing) reading).inventory();
        assertThat(inventory.gpus()).extracting(GpuInventory.GpuInfo::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(inventory.gpus().get(0).mig()).hasSize(3);
        assertThat(inventory.skippedLines()).isEqualTo(10);
        assertThat(accepts).containsExactly("text/plain;version=0.0.4");
    }

    @Test
    void serverErrorSaysTheStatusAndFirstLine() throws IOException {
        String address = exporter(500, "DCGM not initialized\nmore detail\n");

        assertThat(new ExporterMetrics().read(address)).isEqualTo(
                new Unreadable("HTTP 500 from http://" + address + "/metrics: DCGM not initialized"));
    }

    @Test
    void redirectIsNotFollowed() throws IOException {
        String address = exporter(302, "", Map.of("Location", "http://example.invalid/metrics"));

        assertThat(new ExporterMetrics().read(address)).isEqualTo(new Unreadable("HTTP 302 from http://" + address + "/metrics"));
    }

    @Test
    void anotherExporterIsNotMistakenForDcgm() throws IOException {
        String address = exporter(200, "# TYPE up gauge\nup 1\n");

        assertThat(new ExporterMetrics().read(address)).isEqualTo(new Unreadable("no DCGM_FI_ series: is this dcgm-exporter?"));
    }

    @Test
    void aPageThatIsNotMetricsSaysWhatItFound() throws IOException {
        Reading reading = new ExporterMetrics().read(exporter(200, "<html>\n<body>login</body>\n</html>\n"));

        assertThat(reading).isEqualTo(new Unreadable("no DCGM_FI_ series: is this dcgm-exporter? (3 lines not in the"
                + " Prometheus text format, the first: line 1: expected a metric name, found '<': <html>)"));
    }

    @Test
    void dcgmSeriesWithoutAGpuLabelAreNoInventory() throws IOException {
        assertThat(new ExporterMetrics().read(exporter(200, "DCGM_FI_DEV_GPU_TEMP 30\n")))
                .isEqualTo(new Unreadable("no DCGM_FI_ series names a GPU (no gpu label)"));
    }

    @Test
    void closedPortIsConnectionRefusedToTheAddress() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        assertThat(new ExporterMetrics().read("127.0.0.1:" + port))
                .isEqualTo(new Unreadable("connection refused to 127.0.0.1:" + port));
    }

    @Test
    void silentExporterIsCutOffAtTheAnswerTimeout() throws IOException {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // the kernel accepts; nobody answers
        open.add(silent);
        String address = "127.0.0.1:" + silent.getLocalPort();
        long start = System.nanoTime();

        Reading reading = new ExporterMetrics(Duration.ofSeconds(2), Duration.ofMillis(300)).read(address);

        assertThat(reading).isEqualTo(new Unreadable("no answer within 300ms from " + address));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void unknownHostNamesTheHost() {
        assertThat(new ExporterMetrics().read("gpu-node.invalid:9400")).isEqualTo(new Unreadable("unknown host gpu-node.invalid"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b:9400", "host:9400/path", "host:9400?x=1", "http://host:9400"})
    void whatIsNotHostAndPortIsRefusedBeforeAnyCall(String address) {
        assertThat(new ExporterMetrics().read(address)).isEqualTo(new Unreadable("not a host:port address: \"" + address + "\""));
    }
}
