package dev.lookout.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;

/**
 * Puts Lookout's modules into the user's blackbox config: the user's modules and other settings stay as
 * they are (in their order), every module whose name starts with {@code lookout/} is Lookout's and is
 * replaced by the current set, appended sorted.
 */
public final class BlackboxConfigMerger {
    static final String PREFIX = "lookout/";

    private BlackboxConfigMerger() {
    }

    public static String merge(String userConfig, SortedMap<String, ObjectNode> modules) {
        ObjectNode root = RenderYaml.parseUserFile(userConfig, "the blackbox config file");
        ObjectNode merged = root.has("modules") && root.get("modules").isObject() ? (ObjectNode) root.get("modules") : root.putObject("modules");
        for (Iterator<Map.Entry<String, JsonNode>> it = merged.fields(); it.hasNext(); ) {
            if (it.next().getKey().startsWith(PREFIX)) {
                it.remove();
            }
        }
        modules.forEach(merged::set);
        return RenderYaml.yaml(root);
    }
}
