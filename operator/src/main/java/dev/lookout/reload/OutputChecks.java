package dev.lookout.reload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lookout.api.Patterns;
import dev.lookout.config.OperatorConfig;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.RenderedFile;
import dev.lookout.validation.PromDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lookout's own checks of a rendered tree, run on every change before anything is written: no external
 * tool, so they run even where promtool is not installed, and they catch what neither Prometheus'
 * reload answer nor blackbox's names (an included file's error, a password file that is not there).
 * Each file is parsed back once (about 20 µs for a scrape file), so a check is linear in the tree.
 * <ul>
 *   <li>every .yml and .json file parses (duplicate keys included, as Prometheus' strict YAML refuses them);</li>
 *   <li>a job_name is used once across the scrape files and, in full mode, prometheus.yml;</li>
 *   <li>scrape_interval and scrape_timeout are durations, the timeout no longer than the interval;</li>
 *   <li>every {@code *_file} and file_sd path inside Prometheus' output folder, or blackbox's
 *       {@code lookout-secrets/}, is a file of the tree;</li>
 *   <li>label names (targets, file_sd groups, rule labels and annotations) match {@value Patterns#LABEL_NAME}.</li>
 * </ul>
 */
public final class OutputChecks {
    private static final Pattern LABEL_NAME = Pattern.compile(Patterns.LABEL_NAME);
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final String SCRAPE = OutputTree.PROMETHEUS + "scrape/";
    private static final String RULES = OutputTree.PROMETHEUS + "rules/";
    private static final String TARGETS = OutputTree.PROMETHEUS + "targets/";
    private static final String FULL_CONFIG = OutputTree.PROMETHEUS + "prometheus.yml";
    private static final String BLACKBOX_SECRETS = OutputTree.BLACKBOX + "lookout-secrets/";

    /** Folders as Prometheus and blackbox see them, each with its trailing slash. */
    private final String prometheusDir;
    private final String blackboxSecretsDir;

    public OutputChecks(OperatorConfig config) {
        this.prometheusDir = withSlash(config.prometheus().outputDir());
        this.blackboxSecretsDir = withSlash(config.blackbox().configDir()) + "lookout-secrets/";
    }

    /** Every problem of the tree, sorted by path then message; empty when the tree is fine. */
    public List<OutputProblem> check(OutputTree tree) {
        Run run = new Run(tree);
        for (RenderedFile file : tree.files()) {
            if (!file.secret()) {
                run.file(file);
            }
        }
        Collections.sort(run.problems);
        return run.problems;
    }

    /** The state of one check: the problems so far and the job names seen, by the file that has them. */
    private final class Run {
        private final OutputTree tree;
        private final List<OutputProblem> problems = new ArrayList<>();
        private final Map<String, String> jobFiles = new HashMap<>();
        private String path;

        Run(OutputTree tree) {
            this.tree = tree;
        }

        void file(RenderedFile file) {
            path = file.path();
            boolean json = path.endsWith(".json");
            if (!json && !path.endsWith(".yml") && !path.endsWith(".yaml")) {
                return;
            }
            JsonNode root;
            try {
                root = (json ? JSON : YAML).readTree(file.bytes());
            } catch (JsonProcessingException e) {
                problem("not valid " + (json ? "JSON" : "YAML") + ": " + parseError(e));
                return;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("reading bytes in memory", e);
            }
            if (path.startsWith(SCRAPE) || path.equals(FULL_CONFIG)) {
                root.path("scrape_configs").forEach(this::scrapeConfig);
            } else if (path.startsWith(RULES)) {
                root.path("groups").forEach(this::ruleGroup);
            } else if (path.startsWith(TARGETS)) {
                int i = 0;
                for (JsonNode group : root) {
                    labelNames(group.path("labels"), "target group " + ++i + ": label");
                }
            } else if (path.startsWith(OutputTree.BLACKBOX)) {
                root.path("modules").fields().forEachRemaining(m -> fileRefs(m.getValue(), "module \"" + m.getKey() + "\""));
            }
        }

        private void scrapeConfig(JsonNode job) {
            String name = job.path("job_name").asText("");
            if (name.isEmpty()) {
                problem("a scrape config has no job_name");
                return;
            }
            String where = "job \"" + name + "\"";
            String first = jobFiles.putIfAbsent(name, path);
            if (first != null) {
                problem(where + ": job_name is also used " + (first.equals(path) ? "earlier in this file" : "in " + first));
            }
            Optional<Duration> interval = duration(job, "scrape_interval", where);
            Optional<Duration> timeout = duration(job, "scrape_timeout", where);
            if (interval.isPresent() && timeout.isPresent() && timeout.get().compareTo(interval.get()) > 0) {
                problem(where + ": scrape_timeout " + job.get("scrape_timeout").asText() + " is longer than scrape_interval "
                        + job.get("scrape_interval").asText());
            }
            job.path("static_configs").forEach(group -> labelNames(group.path("labels"), where + ": label"));
            fileRefs(job, where);
        }

        private Optional<Duration> duration(JsonNode job, String field, String where) {
            if (!job.has(field)) {
                return Optional.empty();
            }
            String text = job.get(field).asText();
            Optional<Duration> parsed = PromDuration.parse(text);
            if (parsed.isEmpty()) {
                problem(where + ": " + field + " \"" + text + "\" is not a Prometheus duration");
            }
            return parsed;
        }

        private void ruleGroup(JsonNode group) {
            String groupName = "group \"" + group.path("name").asText() + "\"";
            for (JsonNode rule : group.path("rules")) {
                String where = groupName + ", " + (rule.has("alert") ? "alert \"" + rule.path("alert").asText() + "\""
                        : "record \"" + rule.path("record").asText() + "\"");
                labelNames(rule.path("labels"), where + ": label");
                labelNames(rule.path("annotations"), where + ": annotation");
            }
        }

        private void labelNames(JsonNode labels, String what) {
            for (Iterator<String> names = labels.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!LABEL_NAME.matcher(name).matches()) {
                    problem(what + " name \"" + name + "\" is not valid (must match " + Patterns.LABEL_NAME + ")");
                }
            }
        }

        /** Every {@code *_file} value and file_sd path below {@code node} that points into a folder Lookout fills. */
        private void fileRefs(JsonNode node, String where) {
            node.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (field.getKey().endsWith("_file") && value.isTextual()) {
                    fileRef(value.asText(), field.getKey(), where);
                } else if (field.getKey().equals("file_sd_configs")) {
                    value.forEach(sd -> sd.path("files").forEach(f -> fileRef(f.asText(), "file_sd file", where)));
                } else if (value.isObject()) {
                    fileRefs(value, where);
                } else if (value.isArray()) {
                    value.forEach(element -> fileRefs(element, where));
                }
            });
        }

        private void fileRef(String file, String field, String where) {
            String treePath = file.startsWith(prometheusDir) ? OutputTree.PROMETHEUS + file.substring(prometheusDir.length())
                    : file.startsWith(blackboxSecretsDir) ? BLACKBOX_SECRETS + file.substring(blackboxSecretsDir.length())
                    : null;
            if (treePath != null && !isGlob(treePath) && tree.get(treePath) == null) {
                problem(where + ": " + field + " " + file + " is in Lookout's folder, but nothing renders " + treePath);
            }
        }

        private void problem(String message) {
            problems.add(new OutputProblem(path, message));
        }
    }

    /**
     * A parser's message on one line, without the context SnakeYAML draws ("in 'reader'", the caret) or
     * the source Jackson describes: it ends up in a resource's status condition.
     */
    static String parseError(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        Matcher duplicate = DUPLICATE.matcher(message);
        StringBuilder text = new StringBuilder();
        if (duplicate.find()) {
            text.append("duplicate key \"").append(duplicate.group(1)).append('"');
        } else {
            for (String line : message.replaceAll("\\s*\\(for \\w+ starting at \\[Source:.*", "").split("\n")) {
                String trimmed = line.trim();
                if (!trimmed.isEmpty() && !trimmed.equals("^") && !trimmed.startsWith("in 'reader'")) {
                    text.append(text.length() == 0 ? "" : "; ").append(trimmed);
                }
            }
        }
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            text.append(" (line ").append(e.getLocation().getLineNr()).append(')');
        }
        return text.toString();
    }

    private static boolean isGlob(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
    }

    private static String withSlash(String dir) {
        return dir.endsWith("/") ? dir : dir + "/";
    }
}
