package dev.lookout.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one resource contributes to the shared outputs. Pure: built from the resource and the render
 * context only; the renderer assembles every resource's fragment into files.
 *
 * @param scrapeConfigs   entries of {@code scrape_configs}
 * @param ruleGroups      entries of a rule file's {@code groups}
 * @param blackboxModules blackbox modules by name
 * @param targetFiles     file_sd files by name under {@code targets/}, each a list of target groups
 * @param notes           what the resource asked for but cannot have (shown to the user, later in status)
 * @param operatorMetrics whether its rules read Lookout's own /metrics (restart counts), so that Prometheus must
 *                        scrape Lookout
 */
public record KindOutputs(List<ObjectNode> scrapeConfigs, List<ObjectNode> ruleGroups,
                          SortedMap<String, ObjectNode> blackboxModules, SortedMap<String, JsonNode> targetFiles,
                          List<String> notes, boolean operatorMetrics) {
    /** Nothing: a kind that adds nothing to Prometheus's outputs. */
    public static final KindOutputs NONE = new KindOutputs(List.of(), List.of(), new TreeMap<>(), new TreeMap<>(), List.of());

    public KindOutputs(List<ObjectNode> scrapeConfigs, List<ObjectNode> ruleGroups, SortedMap<String, ObjectNode> blackboxModules,
                       SortedMap<String, JsonNode> targetFiles, List<String> notes) {
        this(scrapeConfigs, ruleGroups, blackboxModules, targetFiles, notes, false);
    }

    public KindOutputs {
        scrapeConfigs = List.copyOf(scrapeConfigs);
        ruleGroups = List.copyOf(ruleGroups);
        blackboxModules = new TreeMap<>(blackboxModules);
        targetFiles = new TreeMap<>(targetFiles);
        notes = List.copyOf(notes);
    }

    /** Renders one kind's resources. */
    public interface Renderer<T> {
        KindOutputs render(T resource, ObjectKey key, RenderContext context);
    }
}
