package dev.lookout.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The committed CRDs as the jar carries them ({@code crds/<plural>.lookout.dev-v1.yml}): one reader for
 * the schema the loader enforces and the names and printer columns {@code lookout get} shows.
 */
public final class CrdResources {
    private CrdResources() {
    }

    /** A CRD file on the class path (the committed crds/, or the operator config's schema). */
    public static JsonNode read(String resource) {
        try (InputStream in = CrdResources.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path; run `make crds`");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new YamlDocumentReader().read(Path.of(resource), text).documents().get(0).root();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
