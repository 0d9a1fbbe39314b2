package dev.lookout.reload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lookout.api.Patterns;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.RenderedFile;
import dev.lookout.validation.PromDuration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link OutputChecks} needs from one rendered file, found by parsing it once: its own problems,
 * the job names it defines (unique across files) and the files it points to (present in the tree). Kept
 * per file so that a check after a change parses only the files whose bytes changed.
 *
 * @param digest   SHA-256 of the file these facts are of; facts are reused while the bytes are equal
 * @param problems problems inside the file alone
 * @param jobs     job names of its scrape configs, in order
 * @param refs     files of the tree it needs, with the problem to report if one is missing
 */
record FileFacts(byte[] digest, List<String> problems, List<String> jobs, List<Ref> refs) {
    private static final Pattern LABEL_NAME = Pattern.compile(Patterns.LABEL_NAME);
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    static final String SCRAPE = OutputTree.PROMETHEUS + "scrape/";
    static final String RULES = OutputTree.PROMETHEUS + "rules/";
    static final String TARGETS = OutputTree.PROMETHEUS + "targets/";
    static final String FULL_CONFIG = OutputTree.PROMETHEUS + "prometheus.yml";

    /** A file of the tree this file needs, and what to say when the tree lacks it. */
    record Ref(String treePath, String missing) {
    }

    /**
     * Parses and examines {@code file}.
     *
     * @param treePath maps a path as Prometheus or blackbox see it to the tree path Lookout renders it at,
     *                 or null when the path is not in a folder Lookout fills
     */
    static FileFacts of(RenderedFile file, Function<String, String> treePath) {
        Analysis a = new Analysis(treePath);
        if (!file.secret()) {
            a.file(file);
        }
        return new FileFacts(file.digest(), List.copyOf(a.problems), List.copyOf(a.jobs), List.copyOf(a.refs));
    }

    private static final class Analysis {
        private final Function<String, String> treePath;
        private final List<String> problems = new ArrayList<>();
        private final List<String> jobs = new ArrayList<>();
        private final List<Ref> refs = new ArrayList<>();

        Analysis(Function<String, String> treePath) {
            this.treePath = treePath;
        }

        void file(RenderedFile file) {
            String path = file.path();
            boolean json = path.endsWith(".json");
            if (!json && !path.endsWith(".yml") && !path.endsWith(".yaml")) {
                return;
            }
            JsonNode root;
            try {
                root = (json ? JSON : YAML).readTree(file.bytes());
            } catch (JsonProcessingException e) {
                problems.add("not valid " + (json ? "JSON" : "YAML") + ": " + parseError(e));
                return;
            } catch (IOException e) {
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
                problems.add("a scrape config has no job_name");
                return;
            }
            jobs.add(name);
            String where = "job \"" + name + "\"";
            Optional<Duration> interval = duration(job, "scrape_interval", where);
            Optional<Duration> timeout = duration(job, "scrape_timeout", where);
            if (interval.isPresent() && timeout.isPresent() && timeout.get().compareTo(interval.get()) > 0) {
                problems.add(where + ": scrape_timeout " + job.get("scrape_timeout").asText() + " is longer than scrape_interval "
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
                problems.add(where + ": " + field + " \"" + text + "\" is not a Prometheus duration");
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
                    problems.add(what + " name \"" + name + "\" is not valid (must match " + Patterns.LABEL_NAME + ")");
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
            String inTree = treePath.apply(file);
            if (inTree != null && !isGlob(inTree)) {
                refs.add(new Ref(inTree, where + ": " + field + " " + file + " is in Lookout's folder, but nothing renders " + inTree));
            }
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
}
