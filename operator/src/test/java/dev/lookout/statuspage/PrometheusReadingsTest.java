package dev.lookout.statuspage;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lookout.reload.PrometheusClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A page view asks Prometheus three things. A stand-in on 127.0.0.1 holds every question until all three have
 * arrived: asked one after another (the second only after the first's answer) they could never all arrive, and the
 * view would fail on the client's timeout; asked together, each gets its answer and the page its readings.
 */
class PrometheusReadingsTest {
    @Test
    void theThreeQuestionsOfAPageViewGoOutTogether() throws Exception {
        CountDownLatch allAsked = new CountDownLatch(3);
        AtomicInteger asked = new AtomicInteger();
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.setExecutor(Executors.newFixedThreadPool(4));
        stub.createContext("/", exchange -> {
            asked.incrementAndGet();
            allAsked.countDown();
            try {
                allAsked.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String body = exchange.getRequestURI().getPath().endsWith("/rules")
                    ? "{\"status\":\"success\",\"data\":{\"groups\":[]}}"
                    : "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        stub.start();
        try {
            PrometheusClient client = new PrometheusClient(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()),
                    Duration.ofSeconds(3));
            PrometheusReadings.Readings readings = new PrometheusReadings(client).read();

            assertThat(readings.problem()).as("every question answered").isEmpty();
            assertThat(asked).hasValue(3);
        } finally {
            stub.stop(0);
        }
    }
}
