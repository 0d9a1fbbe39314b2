package dev.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lookout.gpu.ExporterMetrics;
import dev.lookout.gpu.GpuInventory;
import dev.lookout.testing.DcgmFixture;
import dev.lookout.testing.DockerEngine;
import dev.lookout.testing.TestContainer;
import dev.lookout.testing.TestImages;
import dev.lookout.testing.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * GpuNode's status parsing on the real captured dcgm-exporter payload (8x A800, MIG on gpu 0, 10 lines whose
 * value is {@code ERROR - FAILED TO CONVERT TO STRING}), served over HTTP by a container on a network of this
 * machine's engine that the test created, and read by {@link ExporterMetrics} at the container's address, as the
 * GpuNode reconciler reads a dcgm-exporter.
 */
@Timeout(60)
class DcgmExporterPayloadE2ETest {
    private static final String A800 = "NVIDIA A800-SXM4-80GB";

    @Test
    void theRealPayloadServedFromAContainerGivesEightGpusWithMigOnTheFirst(@TempDir Path tmp) throws Exception {
        DockerEngine.require();
        // The file is mounted, not passed in BODY: 64 kB of labels in one environment variable is not how an
        // exporter gets its text, and a mount keeps the bytes exactly as captured.
        Path metrics = Files.writeString(tmp.resolve("metrics"), DcgmFixture.a800x8Mig());
        try (TestNetwork network = DockerEngine.createNetwork();
             TestContainer exporter = TestContainer.builder(TestImages.busybox(), "dcgm")
                     .network(network, "dcgm-exporter").env("METRICS_PORT", "9400")
                     .mount(metrics, "/www/metrics").start()) {
            String address = exporter.ip() + ":9400";
            ExporterMetrics reader = new ExporterMetrics();
            ExporterMetrics.Reading[] last = new ExporterMetrics.Reading[1];
            Awaitility.await("the stand-in serves the payload on " + address).atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> (last[0] = reader.read(address)) instanceof ExporterMetrics.Flowing);

            GpuInventory inventory = ((ExporterMetrics.Flowing) last[0]).inventory();
            assertThat(inventory.hostname()).isEqualTo("msxf-hpc-64-35-ai");
            assertThat(inventory.skippedLines()).as("the ERROR lines, skipped").isEqualTo(10);
            assertThat(inventory.gpus()).extracting(GpuInventory.GpuInfo::index, GpuInventory.GpuInfo::model,
                    GpuInventory.GpuInfo::device).containsExactly(
                    tuple(0, A800, "nvidia0"), tuple(1, A800, "nvidia1"), tuple(2, A800, "nvidia2"),
                    tuple(3, A800, "nvidia3"), tuple(4, A800, "nvidia4"), tuple(5, A800, "nvidia5"),
                    tuple(6, A800, "nvidia6"), tuple(7, A800, "nvidia7"));
            GpuInventory.GpuInfo first = inventory.gpus().get(0);
            assertThat(first.uuid()).isEqualTo("GPU-1f027ee8-6e1e-2b8c-0108-3d370e5f0418");
            assertThat(first.mig()).containsExactly(new GpuInventory.MigInstance(3, "2g.20gb"),
                    new GpuInventory.MigInstance(5, "2g.20gb"), new GpuInventory.MigInstance(6, "2g.20gb"));
            assertThat(first.memoryMiB()).as("MIG: memory per instance only").isZero();
            assertThat(inventory.gpus().subList(1, 8)).allSatisfy(g -> {
                assertThat(g.mig()).isEmpty();
                assertThat(g.memoryMiB()).isEqualTo(81_228);
            });
            assertThat(inventory.gpus()).extracting(GpuInventory.GpuInfo::uuid).doesNotHaveDuplicates()
                    .allMatch(u -> u.matches("GPU-[0-9a-f-]{36}"));

            // A port nothing listens on is a clear reason, not an inventory.
            assertThat(reader.read(exporter.ip() + ":9401")).isInstanceOfSatisfying(ExporterMetrics.Unreadable.class,
                    u -> assertThat(u.reason()).contains("connection refused", exporter.ip() + ":9401"));
        }
    }
}
