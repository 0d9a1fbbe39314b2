package dev.lookout.e2e;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import dev.lookout.testing.DcgmFixture;
import dev.lookout.testing.PrivateDockerd;
import dev.lookout.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A dcgm-exporter stand-in image, built inside a {@link PrivateDockerd} from the busybox test image: it serves the
 * real captured A800 payload ({@link DcgmFixture#a800x8Mig}) on {@code /metrics} at the port dcgm-exporter's own
 * {@code DCGM_EXPORTER_LISTEN} names (":9400"), which is what Lookout sets. lookout.yaml's
 * {@code images.dcgm-exporter} points Lookout at it, as an air-gapped site points it at its own registry.
 */
final class DcgmStandIn {
    static final String TAG = "lookout-test/dcgm-exporter-standin:2";
    /**
     * A GpuNode's {@code spec.exporter.counters} that leaves out the field the captured exporter could not read
     * (its samples say {@code ERROR - FAILED TO CONVERT TO STRING}, which fails every Prometheus scrape): what a
     * user of that machine does once Lookout says MetricsRejected.
     */
    static final String COUNTERS = "[DCGM_FI_DEV_GPU_TEMP, DCGM_FI_DEV_GPU_UTIL]";

    private DcgmStandIn() {
    }

    /** Loads the busybox image into {@code daemon} and builds the stand-in there (classic builder, no registry). */
    static String build(PrivateDockerd daemon) {
        String busybox = TestImages.busybox();
        daemon.loadImage(busybox);
        String entrypoint = """
                #!/bin/sh
                # dcgm-exporter listens where DCGM_EXPORTER_LISTEN says (":9400"); so does this stand-in.
                export METRICS_PORT="${DCGM_EXPORTER_LISTEN##*:}"
                # Like dcgm-exporter, it exports only the fields its counters file lists, when it is given one.
                if [ -n "$DCGM_EXPORTER_COLLECTORS" ]; then
                  sed -n 's/^\\([A-Z0-9_]*\\),.*/\\1/p' "$DCGM_EXPORTER_COLLECTORS" > /tmp/fields
                  awk 'NR == FNR { keep[$1] = 1; next }
                       { if (substr($0, 1, 1) == "#") { split($0, w, " "); n = w[3] } else { n = $0; sub(/[{ ].*/, "", n) } }
                       (n in keep)' /tmp/fields /payload.prom > /www/metrics
                else
                  cp /payload.prom /www/metrics
                fi
                exec /serve "$@"
                """;
        String dockerfile = """
                FROM %s
                COPY dcgm-exporter /dcgm-exporter
                COPY metrics /payload.prom
                ENTRYPOINT ["/dcgm-exporter"]
                EXPOSE 9400
                """.formatted(busybox);
        byte[] context = tar(Map.of("Dockerfile", dockerfile, "dcgm-exporter", entrypoint, "metrics", DcgmFixture.a800x8Mig()));
        try (DockerClient docker = daemon.client()) {
            docker.buildImageCmd(new ByteArrayInputStream(context)).withTags(Set.of(TAG)).withPull(false)
                    .exec(new BuildImageResultCallback()).awaitImageId(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TAG;
    }

    private static byte[] tar(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setSize(content.length);
                entry.setMode(f.getKey().equals("dcgm-exporter") ? 0755 : 0644);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
