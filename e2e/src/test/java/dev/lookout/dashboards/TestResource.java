package dev.lookout.dashboards;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Text files on the test classpath (src/test/resources/dashboards). */
final class TestResource {
    private TestResource() {
    }

    static String text(String resource) {
        try (InputStream in = TestResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("not on the test classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
