package dev.lookout.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lookout.manifest.StructuralSchema;
import dev.lookout.manifest.YamlDocument;
import dev.lookout.manifest.YamlDocumentReader;
import dev.lookout.validation.CommonRules;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.ImageReference;
import dev.lookout.validation.Problem;
import dev.lookout.validation.ProblemReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates lookout.yaml with the same strictness, lines and message format as resources. */
public final class OperatorConfigLoader {
    private static final String RESOURCE = "OperatorConfig";
    private static final Pattern HOST_PORT = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?:[0-9]{1,5}$");
    private static final Pattern NETWORK_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    private static final Pattern PLAIN_ABSOLUTE_PATH = Pattern.compile("^/[A-Za-z0-9._/-]*$");
    /** Kubernetes' own rules for label keys (an optional DNS-subdomain prefix) and values, names and namespaces. */
    private static final Pattern LABEL_KEY = Pattern.compile(
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    /** @param problems sorted by line, as every problem list Lookout prints */
    public record Result(Optional<OperatorConfig> config, List<Problem> problems) {
        public Result {
            problems = problems.stream().sorted().toList();
        }
    }

    public Result load(Path file) {
        YamlDocumentReader.Result read = new YamlDocumentReader().read(file);
        List<Problem> problems = new ArrayList<>(read.problems());
        if (!problems.isEmpty()) {
            return new Result(Optional.empty(), problems);
        }
        JsonNode root = read.documents().isEmpty() ? JsonNodeFactory.instance.objectNode() : read.documents().get(0).root();
        YamlDocument doc = read.documents().isEmpty() ? null : read.documents().get(0);
        ProblemReporter report = new ProblemReporter(file, RESOURCE, p -> doc == null ? 1 : doc.lines().lineOf(p), problems);
        if (read.documents().size() > 1) {
            report.error(FieldPath.ROOT, "the operator configuration is one YAML document, not " + read.documents().size());
        }
        if (!root.isObject()) {
            report.error(FieldPath.ROOT, "must be a mapping (docker, prometheus, blackbox, lookout, images)");
            return new Result(Optional.empty(), problems);
        }
        JsonNode tree = root.deepCopy();
        StructuralSchema.fromClassPath("schema/" + OperatorConfigDocument.SCHEMA_FILE, "/properties/spec").checkDocument(tree, report);
        OperatorConfig config;
        try {
            config = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                    .treeToValue(tree, OperatorConfig.class);
        } catch (Exception e) {
            report.error(FieldPath.ROOT, "cannot be read: " + e.getMessage());
            return new Result(Optional.empty(), problems);
        }
        validate(config, file, report);
        return new Result(report.hasErrors() ? Optional.empty() : Optional.of(config), problems);
    }

    private static void validate(OperatorConfig config, Path file, ProblemReporter r) {
        Set<String> names = new HashSet<>();
        List<OperatorConfig.DockerHost> hosts = config.docker().hosts();
        for (int i = 0; i < hosts.size(); i++) {
            FieldPath p = FieldPath.of("docker", "hosts").index(i);
            OperatorConfig.DockerHost host = hosts.get(i);
            if (CommonRules.required(r, p.child("name"), host.name(), "a host name resources refer to, such as local")) {
                CommonRules.hostName(r, p.child("name"), host.name());
                if (!names.add(host.name())) {
                    r.error(p.child("name"), "host " + host.name() + " is listed twice");
                }
            }
            if (CommonRules.required(r, p.child("url"), host.url(), "unix:///var/run/docker.sock or tcp://host:2376")
                    && !(host.url().startsWith("unix:///") || host.url().matches("^tcp://[A-Za-z0-9.-]+:[0-9]{1,5}$"))) {
                r.error(p.child("url"), "\"" + CommonRules.printable(host.url()) + "\" is not a Docker engine address (unix:///path or tcp://host:port)");
            }
        }
        OperatorConfig.Prometheus prometheus = config.prometheus();
        // Lookout itself calls these two (reloads, queries), not Prometheus: loopback is right where Lookout runs beside
        // them (the sidecar pod, `make run`), so it is no warning here as it is for a target Prometheus scrapes.
        CommonRules.serviceUrl(r, FieldPath.of("prometheus", "url"), prometheus.url());
        CommonRules.browserUrl(r, FieldPath.of("prometheus", "externalUrl"), prometheus.externalUrl());
        absolutePath(r, FieldPath.of("prometheus", "outputDir"), prometheus.outputDir());
        if (!NETWORK_NAME.matcher(prometheus.network()).matches()) {
            r.error(FieldPath.of("prometheus", "network"), "\"" + CommonRules.printable(prometheus.network()) + "\" is not a Docker network name");
        }
        if (prometheus.mode() == OperatorConfig.Mode.FULL) {
            FieldPath base = FieldPath.of("prometheus", "baseConfig");
            if (CommonRules.required(r, base, prometheus.baseConfig(), "the user's prometheus.yml that mode full extends")
                    && !Files.isRegularFile(resolve(file, prometheus.baseConfig()))) {
                r.error(base, "no such file: " + prometheus.baseConfig());
            }
        }
        CommonRules.serviceUrl(r, FieldPath.of("blackbox", "url"), config.blackbox().url());
        hostPort(r, FieldPath.of("blackbox", "address"), config.blackbox().address());
        absolutePath(r, FieldPath.of("blackbox", "configFile"), config.blackbox().configFile());
        absolutePath(r, FieldPath.of("blackbox", "secretsDir"), config.blackbox().secretsDir());
        OperatorConfig.PrometheusOperator operator = prometheus.operator();
        FieldPath op = FieldPath.of("prometheus", "operator");
        operator.labels().forEach((key, value) -> {
            if (!LABEL_KEY.matcher(key).matches()) {
                r.error(op.child("labels"), "\"" + CommonRules.printable(key) + "\" is not a Kubernetes label key");
            } else if (!LABEL_VALUE.matcher(value == null ? "" : value).matches()) {
                r.error(op.child("labels").child(key), "\"" + CommonRules.printable(String.valueOf(value))
                        + "\" is not a Kubernetes label value (63 characters at most: letters, digits, '-', '_', '.')");
            }
        });
        if (operator.namespace() != null && !DNS_LABEL.matcher(operator.namespace()).matches()) {
            r.error(op.child("namespace"), "\"" + CommonRules.printable(operator.namespace()) + "\" is not a namespace name");
        }
        for (String field : List.of("blackboxConfigMap", "blackboxSecret")) {
            String name = field.equals("blackboxConfigMap") ? operator.blackboxConfigMap() : operator.blackboxSecret();
            if (!DNS_SUBDOMAIN.matcher(name).matches()) {
                r.error(op.child(field), "\"" + CommonRules.printable(name) + "\" is not a Kubernetes object name");
            }
        }
        hostPort(r, FieldPath.of("lookout", "metricsAddress"), config.lookout().metricsAddress());
        config.images().forEach((role, image) -> ImageReference.check(r, FieldPath.of("images", role), image, false));
    }

    /** A path in the configuration, relative to the configuration file's folder unless absolute. */
    public static Path resolve(Path configFile, String path) {
        Path p = Path.of(path);
        Path folder = configFile.toAbsolutePath().getParent();
        return p.isAbsolute() || folder == null ? p : folder.resolve(p);
    }

    /**
     * The user's base prometheus.yml for {@code mode: full}, or null when there is none. {@code configFile} is
     * null when the embedded defaults are used: a relative base is then read from the working folder.
     */
    public static String readPrometheusBase(Path configFile, OperatorConfig config) throws java.io.IOException {
        if (config.prometheus().baseConfig() == null) {
            return null;
        }
        Path base = resolve(configFile == null ? Path.of("lookout.yaml") : configFile, config.prometheus().baseConfig());
        return Files.readString(base, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void hostPort(ProblemReporter r, FieldPath p, String value) {
        if (value != null && !HOST_PORT.matcher(value).matches()) {
            r.error(p, "\"" + CommonRules.printable(value) + "\" is not host:port (such as blackbox-exporter:9115)");
        }
    }

    private static void absolutePath(ProblemReporter r, FieldPath p, String value) {
        if (value != null && !PLAIN_ABSOLUTE_PATH.matcher(value).matches()) {
            r.error(p, "\"" + CommonRules.printable(value) + "\" is not a plain absolute path (as Prometheus or blackbox sees it)");
        }
    }
}
