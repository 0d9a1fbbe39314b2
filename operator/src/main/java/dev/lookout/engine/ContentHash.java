package dev.lookout.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a document's content, standing in for {@code metadata.generation} where there is no API
 * server: keys are sorted first, so reordering fields or reformatting the YAML is not a change, and
 * {@code status} is left out, as the API server leaves it out of the generation.
 */
public final class ContentHash {
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ContentHash() {
    }

    public static String of(JsonNode document) {
        JsonNode content = document;
        if (document instanceof ObjectNode object && object.has("status")) {
            content = object.deepCopy().without("status");
        }
        try {
            Object sorted = CANONICAL.treeToValue(content, Object.class); // maps → LinkedHashMap, sorted on write
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(sorted));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash a manifest document", e);
        }
    }
}
