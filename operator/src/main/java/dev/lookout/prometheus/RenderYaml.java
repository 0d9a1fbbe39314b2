package dev.lookout.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;

/**
 * The one YAML emitter of rendered files. Values are quoted by the emitter whenever YAML needs it, so
 * no user text can change a file's structure; fields come out in the order they were added.
 */
public final class RenderYaml {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build())
            .disable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RenderYaml() {
    }

    public static ObjectNode object() {
        return YAML.createObjectNode();
    }

    public static String yaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a user's YAML file (a base prometheus.yml, a blackbox config) to merge into. */
    public static JsonNode parse(String yaml) throws JsonProcessingException {
        return YAML.readTree(yaml);
    }

    /** A user's file as a mapping to merge into: empty when absent, an error naming {@code what} when not YAML. */
    public static ObjectNode parseUserFile(String yaml, String what) {
        try {
            JsonNode parsed = yaml == null || yaml.isBlank() ? null : parse(yaml);
            return parsed instanceof ObjectNode o ? o : object();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }
}
