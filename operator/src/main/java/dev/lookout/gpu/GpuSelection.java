package dev.lookout.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Which GPUs of a machine the exporter watches, the three shapes of {@code spec.gpus}:
 * {@code all}, a list of indexes ({@code [0, 1]}) or a list of UUIDs ({@code [GPU-8f6c…]}).
 * Maps onto Docker's device request ({@code Count=-1} or {@code DeviceIDs}).
 */
public sealed interface GpuSelection {
    String ALL = "all";
    java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    record All() implements GpuSelection {
    }

    record Indexes(List<Integer> indexes) implements GpuSelection {
    }

    record Uuids(List<String> uuids) implements GpuSelection {
    }

    /** The selection, assuming {@link GpuNodeValidator} found nothing wrong with the value. */
    static GpuSelection of(JsonNode gpus) {
        if (gpus == null || gpus.isTextual()) {
            return new All();
        }
        if (gpus.size() > 0 && gpus.get(0).isTextual()) {
            return new Uuids(java.util.stream.StreamSupport.stream(gpus.spliterator(), false).map(JsonNode::asText).toList());
        }
        return new Indexes(java.util.stream.StreamSupport.stream(gpus.spliterator(), false).map(JsonNode::asInt).toList());
    }
}
