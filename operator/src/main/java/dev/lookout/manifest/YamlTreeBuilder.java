package dev.lookout.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Converts one composed YAML document into a JSON tree, recording each field's line. Aliases are
 * expanded here, so this is where an alias bomb is stopped: the expanded tree may hold at most
 * {@code maxNodes} nodes and nest at most {@code maxDepth} deep, whatever the source text's size.
 */
final class YamlTreeBuilder {
    private final int maxNodes;
    private final int maxDepth;
    private final Map<String, Integer> lines = new HashMap<>();
    private int nodes;

    YamlTreeBuilder(int maxNodes, int maxDepth) {
        this.maxNodes = maxNodes;
        this.maxDepth = maxDepth;
    }

    JsonNode build(Node root) {
        lines.put("", line(root));
        return convert(root, "", 0);
    }

    Map<String, Integer> lines() {
        return lines;
    }

    private JsonNode convert(Node node, String pointer, int depth) {
        if (++nodes > maxNodes) {
            throw new YamlSyntaxException(line(node),
                    "document expands to more than " + maxNodes + " nodes (aliases are limited to keep an alias bomb out)");
        }
        if (depth > maxDepth) {
            throw new YamlSyntaxException(line(node), "document nests deeper than " + maxDepth + " levels (recursive alias?)");
        }
        if (node instanceof ScalarNode scalar) {
            return ScalarValues.toJson(scalar);
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                String child = pointer + "/" + i;
                lines.putIfAbsent(child, line(items.get(i)));
                array.add(convert(items.get(i), child, depth + 1));
            }
            return array;
        }
        return convertMapping((MappingNode) node, pointer, depth);
    }

    private ObjectNode convertMapping(MappingNode mapping, String pointer, int depth) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (NodeTuple tuple : mapping.getValue()) {
            if (Tag.MERGE.equals(tuple.getKeyNode().getTag())) {
                continue;
            }
            String key = keyOf(tuple.getKeyNode());
            if (object.has(key)) {
                throw new YamlSyntaxException(line(tuple.getKeyNode()), "duplicate key \"" + key + "\"");
            }
            String child = pointer + "/" + escape(key);
            lines.putIfAbsent(child, line(tuple.getKeyNode())); // an explicit key keeps its line over a merged one
            object.set(key, convert(tuple.getValueNode(), child, depth + 1));
        }
        // YAML merge keys (<<: *base): explicit keys win, then earlier merge sources win over later ones.
        for (NodeTuple tuple : mapping.getValue()) {
            if (Tag.MERGE.equals(tuple.getKeyNode().getTag())) {
                for (MappingNode source : mergeSources(tuple.getValueNode())) {
                    ObjectNode merged = convertMapping(source, pointer, depth);
                    merged.fields().forEachRemaining(e -> {
                        if (!object.has(e.getKey())) {
                            object.set(e.getKey(), e.getValue());
                        }
                    });
                }
            }
        }
        return object;
    }

    private static List<MappingNode> mergeSources(Node value) {
        if (value instanceof MappingNode m) {
            return List.of(m);
        }
        if (value instanceof SequenceNode s && s.getValue().stream().allMatch(MappingNode.class::isInstance)) {
            return s.getValue().stream().map(MappingNode.class::cast).toList();
        }
        throw new YamlSyntaxException(line(value), "a merge key (<<) takes a mapping or a list of mappings");
    }

    private static String keyOf(Node key) {
        if (key instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new YamlSyntaxException(line(key), "a mapping key must be a plain value, not a list or mapping");
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }
}
