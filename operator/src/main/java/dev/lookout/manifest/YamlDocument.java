package dev.lookout.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** One document of a manifest file, as a JSON tree plus where each field was written. */
public record YamlDocument(Path file, int index, JsonNode root, LineIndex lines) {
    public int line() {
        return lines.documentLine();
    }
}
