package dev.lookout.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.kind.LoadedResource;
import dev.lookout.prometheus.BlackboxConfigMerger;
import dev.lookout.prometheus.JobNames;
import dev.lookout.prometheus.KindOutputs;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.RenderContext;
import dev.lookout.prometheus.RenderYaml;
import dev.lookout.prometheus.RenderedFile;
import dev.lookout.prometheus.ScrapeConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The pure renderer: resources + Secrets + operator config → every file Prometheus and blackbox-exporter
 * need. No I/O; the output depends only on the input's content (resources are sorted by identity, maps
 * are sorted), so the same input gives a byte-identical tree whatever the file order.
 */
public final class PrometheusRenderer {
    /**
     * The rendered tree and, per resource, what it asked for but could not get.
     *
     * @param outputs per resource, what it contributes, in {@code prometheus.mode: operator} only (where each resource's
     *                part becomes objects of its own); empty otherwise, so file modes hold no second copy of the tree
     */
    public record Result(OutputTree tree, SortedMap<ObjectKey, List<String>> notes, SortedMap<ObjectKey, KindOutputs> outputs) {
        public Result(OutputTree tree, SortedMap<ObjectKey, List<String>> notes) {
            this(tree, notes, new TreeMap<>());
        }
    }

    public Result render(RenderInput input) {
        OutputTree tree = new OutputTree();
        OperatorConfig config = input.config();
        RenderContext context = new RenderContext(config, input.secrets(), tree::add, input.discovered());
        SortedMap<String, ObjectNode> modules = new TreeMap<>();
        List<ObjectNode> allJobs = new ArrayList<>();
        SortedMap<ObjectKey, List<String>> notes = new TreeMap<>();
        SortedMap<ObjectKey, KindOutputs> outputs = new TreeMap<>();
        // Operator mode renders the files of include mode too: Lookout's checks and promtool read them, and they show
        // what the objects say (the status page, lookout render).
        boolean files = config.prometheus().mode() != OperatorConfig.Mode.FULL;
        boolean operator = config.prometheus().mode() == OperatorConfig.Mode.OPERATOR;
        boolean restartMetrics = false;
        List<LoadedResource> resources = new ArrayList<>(input.resources());
        resources.sort(java.util.Comparator.comparing(LoadedResource::key));
        for (LoadedResource resource : resources) {
            KindOutputs out = resource.outputs(context);
            String stem = JobNames.fileStem(resource.key());
            allJobs.addAll(out.scrapeConfigs());
            if (operator) {
                outputs.put(resource.key(), out);
            }
            if (files && !out.scrapeConfigs().isEmpty()) {
                tree.add(RenderedFile.text(OutputTree.PROMETHEUS + "scrape/" + stem + ".yml", scrapeFile(out.scrapeConfigs())));
            }
            if (!out.ruleGroups().isEmpty()) {
                tree.add(RenderedFile.text(OutputTree.PROMETHEUS + "rules/" + stem + ".yml", ruleFile(out.ruleGroups())));
            }
            out.targetFiles().forEach((name, groups) ->
                    tree.add(RenderedFile.text(OutputTree.PROMETHEUS + "targets/" + name, RenderYaml.json(groups))));
            modules.putAll(out.blackboxModules());
            if (!out.notes().isEmpty()) {
                notes.put(resource.key(), out.notes());
            }
            restartMetrics |= out.operatorMetrics();
        }
        if (restartMetrics) {
            ObjectNode self = operatorJob(config);
            allJobs.add(self);
            if (files) {
                tree.add(RenderedFile.text(OutputTree.PROMETHEUS + "scrape/lookout.operator.yml", scrapeFile(List.of(self))));
            }
        }
        if (config.prometheus().mode() == OperatorConfig.Mode.FULL) {
            tree.add(RenderedFile.text(OutputTree.PROMETHEUS + "prometheus.yml", fullConfig(input.userPrometheusBase(), allJobs, config)));
        }
        String blackboxName = config.blackbox().configFileName();
        tree.add(RenderedFile.text(OutputTree.BLACKBOX + blackboxName, BlackboxConfigMerger.merge(input.userBlackboxConfig(), modules)));
        return new Result(tree, notes, outputs);
    }

    /** The scrape config of Lookout's own /metrics, which restart alerts read (one, whatever reads it). */
    public static ObjectNode operatorJob(OperatorConfig config) {
        ObjectNode self = ScrapeConfigs.job(JobNames.OPERATOR_JOB);
        self.putArray("static_configs").add(ScrapeConfigs.targetGroup(List.of(config.lookout().metricsAddress()), Map.of()));
        return self;
    }

    /** The lines a user adds once to prometheus.yml in {@code mode: include} (Prometheus 2.43 or later). */
    public static String includeSnippet(OperatorConfig config) {
        ObjectNode snippet = RenderYaml.object();
        snippet.putArray("scrape_config_files").add(config.prometheus().outputDir() + "/scrape/*.yml");
        snippet.putArray("rule_files").add(config.prometheus().outputDir() + "/rules/*.yml");
        return RenderYaml.yaml(snippet);
    }

    private static String scrapeFile(List<ObjectNode> jobs) {
        ObjectNode file = RenderYaml.object();
        ArrayNode list = file.putArray("scrape_configs");
        jobs.forEach(list::add);
        return RenderYaml.yaml(file);
    }

    private static String ruleFile(List<ObjectNode> groups) {
        ObjectNode file = RenderYaml.object();
        ArrayNode list = file.putArray("groups");
        groups.forEach(list::add);
        return RenderYaml.yaml(file);
    }

    /** The user's prometheus.yml with Lookout's jobs appended (previous Lookout jobs replaced) and its rule glob. */
    private static String fullConfig(String base, List<ObjectNode> jobs, OperatorConfig config) {
        ObjectNode root = RenderYaml.parseUserFile(base, "the base prometheus.yml");
        ArrayNode scrapeConfigs = root.has("scrape_configs") && root.get("scrape_configs").isArray()
                ? (ArrayNode) root.get("scrape_configs") : root.putArray("scrape_configs");
        for (int i = scrapeConfigs.size() - 1; i >= 0; i--) {
            if (scrapeConfigs.get(i).path("job_name").asText("").startsWith("lookout/")) {
                scrapeConfigs.remove(i);
            }
        }
        jobs.forEach(scrapeConfigs::add);
        String glob = config.prometheus().outputDir() + "/rules/*.yml";
        ArrayNode ruleFiles = root.has("rule_files") && root.get("rule_files").isArray()
                ? (ArrayNode) root.get("rule_files") : root.putArray("rule_files");
        boolean present = false;
        for (JsonNode f : ruleFiles) {
            present |= f.asText().equals(glob);
        }
        if (!present) {
            ruleFiles.add(glob);
        }
        return RenderYaml.yaml(root);
    }
}
