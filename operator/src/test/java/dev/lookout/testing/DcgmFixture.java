package dev.lookout.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Real dcgm-exporter payloads on the test classpath: see src/test/resources/gpu/README.md. */
public final class DcgmFixture {
    private DcgmFixture() {
    }

    /** 8x A800-SXM4-80GB, MIG on gpu 0 (three 2g.20gb instances), 10 lines with the value {@code ERROR - …}. */
    public static String a800x8Mig() {
        return read("/gpu/a800x8-mig-dcgm-exporter.prom");
    }

    private static String read(String resource) {
        try (InputStream in = DcgmFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("not on the test classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
