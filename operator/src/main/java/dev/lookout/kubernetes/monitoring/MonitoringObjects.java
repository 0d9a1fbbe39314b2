package dev.lookout.kubernetes.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.kubernetes.platform.OwnerLabels;
import dev.lookout.prometheus.KindOutputs;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.RenderedFile;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.openshift.api.model.monitoring.v1.BasicAuth;
import io.fabric8.openshift.api.model.monitoring.v1.Probe;
import io.fabric8.openshift.api.model.monitoring.v1.ProbeBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.RelabelConfig;
import io.fabric8.openshift.api.model.monitoring.v1.RelabelConfigBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroupBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.SafeTLSConfigBuilder;
import io.fabric8.openshift.api.model.monitoring.v1alpha1.ScrapeConfigBuilder;
import io.fabric8.openshift.api.model.monitoring.v1alpha1.ScrapeConfigSpec;
import io.fabric8.openshift.api.model.monitoring.v1alpha1.StaticConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What prometheus-operator must hold for the render, computed and nothing else. A scrape job becomes:
 * <ul>
 *   <li>a {@code Probe} (v1) per static target group of a blackbox job: prometheus-operator sets {@code
 *       __param_target}, {@code instance} and the prober address itself, and {@code spec.jobName} sets the {@code job}
 *       label the alerts select on; Lookout adds only its {@code target} label;</li>
 *   <li>a {@code ScrapeConfig} (v1alpha1) for any other job, and for a blackbox job's discovered targets (the file_sd
 *       file's groups, inlined as static configs: prometheus-operator has no file of Lookout's to read);</li>
 *   <li>a {@code PrometheusRule} (v1) with the resource's rule groups, the same expressions as the rule files;</li>
 *   <li>a Secret of Lookout's for a scrape's basic auth: prometheus-operator reads both username and password from
 *       Secrets, and the resource names only the password's.</li>
 * </ul>
 * Each in the resource's namespace, named {@code lookout-<kind>-<name>}, carrying the owner reference (so Kubernetes
 * removes them with the resource) and the configured labels (so the Prometheus's selectors pick them up). A scrape
 * config key this translation does not know fails loudly: a kind that renders something new must be taught here.
 */
public final class MonitoringObjects {
    /** The label that tells two Lookouts' objects apart, so that each removes only its own leftovers. */
    public static final String INSTANCE = "lookout.dev/instance";
    /**
     * The label naming the resource an object is for: not the cluster platform's {@code lookout.dev/owner}, whose prune
     * deletes what of an owner's it did not make (a cluster-placed NginxVtsTarget's scrape-auth Secret, say).
     */
    public static final String OWNER = "lookout.dev/monitoring-owner";
    private static final Set<String> SCRAPE_KEYS = Set.of("job_name", "metrics_path", "params", "scrape_interval",
            "scrape_timeout", "scheme", "static_configs", "file_sd_configs", "dns_sd_configs", "relabel_configs", "basic_auth",
            "tls_config");
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final OperatorConfig config;
    private final String namespace;

    /** @param namespace where the operator-wide objects go (blackbox's ConfigMap and Secret, Lookout's own job) */
    public MonitoringObjects(OperatorConfig config, String namespace) {
        this.config = config;
        this.namespace = namespace;
    }

    /** The owner of the objects that are no resource's: this Lookout itself. */
    public ObjectKey self() {
        return new ObjectKey("Lookout", namespace, config.lookout().instance());
    }

    /**
     * Everything a render asks of the cluster, by owner in the order they are written: this Lookout's own (blackbox's
     * ConfigMap and Secret, its {@code /metrics} job when restart alerts read it), then each resource's objects.
     */
    public java.util.LinkedHashMap<ObjectKey, List<HasMetadata>> all(dev.lookout.render.PrometheusRenderer.Result result,
                                                                   OwnerReferencesOf owners) {
        java.util.LinkedHashMap<ObjectKey, List<HasMetadata>> all = new java.util.LinkedHashMap<>();
        // Blackbox's modules first: the Probes name them (as file mode reloads blackbox before Prometheus).
        List<HasMetadata> own = new ArrayList<>(blackbox(result.tree()));
        if (result.outputs().values().stream().anyMatch(KindOutputs::operatorMetrics)) {
            own.add(operatorJob(dev.lookout.render.PrometheusRenderer.operatorJob(config)));
        }
        all.put(self(), own);
        result.outputs().forEach((key, out) -> all.put(key, of(key, out, result.tree(), owners.of(key))));
        return all;
    }

    /** The owner reference to put on a resource's objects, if one is known. */
    @FunctionalInterface
    public interface OwnerReferencesOf {
        Optional<OwnerReference> of(ObjectKey resource);
    }

    /** A resource's objects, in the order they are written (its auth Secret before the job that reads it). */
    public List<HasMetadata> of(ObjectKey key, KindOutputs outputs, OutputTree tree, Optional<OwnerReference> owner) {
        String base = base(key);
        List<HasMetadata> objects = new ArrayList<>();
        int job = 0;
        for (ObjectNode scrape : outputs.scrapeConfigs()) {
            String name = job++ == 0 ? base : base + "-" + suffix(key, "job" + job);
            objects.addAll(scrape(key, name, scrape, outputs.targetFiles(), tree, owner));
        }
        if (!outputs.ruleGroups().isEmpty()) {
            List<RuleGroup> groups = outputs.ruleGroups().stream().map(MonitoringObjects::ruleGroup).toList();
            objects.add(new PrometheusRuleBuilder().withMetadata(meta(key, key.namespace(), base, owner))
                    .withNewSpec().withGroups(groups).endSpec().build());
        }
        return objects;
    }

    /** The ScrapeConfig of Lookout's own /metrics (restart counts), when a resource's alerts read them. */
    public HasMetadata operatorJob(ObjectNode job) {
        String name = config.lookout().instance() + "-operator";
        List<HasMetadata> objects = scrape(self(), name, job, Map.of(), null, Optional.empty());
        return objects.get(0);
    }

    /**
     * Blackbox's configuration ({@code blackbox/<configFile name>} of the tree) as the ConfigMap blackbox mounts at
     * its config folder, and the probes' password files ({@code blackbox/lookout-secrets/}) as the Secret it mounts
     * at {@code blackbox.secretsDir}. Both always exist, so blackbox's pod can mount them before any probe has a password.
     */
    public List<HasMetadata> blackbox(OutputTree tree) {
        OperatorConfig.PrometheusOperator operator = config.prometheus().operator();
        String file = config.blackbox().configFileName();
        RenderedFile merged = tree.get(OutputTree.BLACKBOX + file);
        Map<String, String> secrets = new TreeMap<>();
        for (RenderedFile f : tree.files()) {
            if (f.path().startsWith(OutputTree.BLACKBOX_SECRETS)) {
                secrets.put(f.path().substring(OutputTree.BLACKBOX_SECRETS.length()), BASE64.encodeToString(f.bytes()));
            }
        }
        return List.of(
                new ConfigMapBuilder().withMetadata(meta(self(), namespace, operator.blackboxConfigMap(), Optional.empty()))
                        .withData(Map.of(file, merged == null ? "" : merged.text())).build(),
                new SecretBuilder().withMetadata(meta(self(), namespace, operator.blackboxSecret(), Optional.empty()))
                        .withType("Opaque").withData(secrets).build());
    }

    /** {@code lookout-<kind>-<name>}, short enough for a suffix ({@code -auth}, {@link #suffix}) within 253. */
    static String base(ObjectKey key) {
        return dev.lookout.api.ClusterNames.limit("lookout-" + key.kind().toLowerCase(Locale.ROOT) + "-" + key.name(), 240);
    }

    /**
     * What tells a resource's second object of a kind from its first: 8 hex digits of the resource and the object's
     * role, not a number, which would give resource {@code web}'s second job the name of resource {@code web-2}'s first.
     * (Two names may still meet by chance; the publisher refuses the second owner rather than overwrite the first.)
     */
    private static String suffix(ObjectKey key, String role) {
        return dev.lookout.api.ClusterNames.digest((key + "#" + role).getBytes(StandardCharsets.UTF_8)).substring(0, 8);
    }

    private List<HasMetadata> scrape(ObjectKey key, String name, ObjectNode scrape, Map<String, JsonNode> targetFiles,
                                     OutputTree tree, Optional<OwnerReference> owner) {
        for (Iterator<String> it = scrape.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!SCRAPE_KEYS.contains(field)) {
                throw new IllegalStateException("prometheus.mode: operator cannot express scrape_config key " + field
                        + " of " + key + " (MonitoringObjects must learn it)");
            }
        }
        List<HasMetadata> objects = new ArrayList<>();
        List<StaticConfig> statics = staticConfigs(scrape.path("static_configs"));
        List<StaticConfig> discovered = new ArrayList<>();
        for (JsonNode sd : scrape.path("file_sd_configs")) {
            for (JsonNode path : sd.path("files")) {
                String fileName = path.asText().substring(path.asText().lastIndexOf('/') + 1);
                discovered.addAll(staticConfigs(targetFiles.getOrDefault(fileName, scrape.arrayNode())));
            }
        }
        String module = scrape.path("params").path("module").path(0).asText(null);
        if (module != null) {
            // A blackbox job: its static groups are Probes, its discovered targets (if any) one ScrapeConfig.
            int group = 0;
            for (StaticConfig targets : statics) {
                String probeName = group++ == 0 ? name : name + "-" + suffix(key, name + "#group" + group);
                objects.add(probe(key, probeName, scrape, module, targets, owner));
            }
            if (scrape.has("file_sd_configs")) {
                objects.add(scrapeConfig(key, statics.isEmpty() ? name : name + "-" + suffix(key, name + "#discovered"), scrape,
                        discovered, tree, owner, objects));
            }
            return objects;
        }
        List<StaticConfig> all = new ArrayList<>(statics);
        all.addAll(discovered);
        objects.add(scrapeConfig(key, name, scrape, all, tree, owner, objects));
        return objects;
    }

    private HasMetadata probe(ObjectKey key, String name, ObjectNode scrape, String module, StaticConfig targets,
                              Optional<OwnerReference> owner) {
        Probe probe = new ProbeBuilder().withMetadata(meta(key, key.namespace(), name, owner)).withNewSpec()
                .withJobName(scrape.path("job_name").asText())
                .withModule(module)
                .withNewProber().withUrl(config.blackbox().address()).withPath(scrape.path("metrics_path").asText("/probe")).endProber()
                .withNewTargets().withNewStaticConfig().withStatic(targets.getTargets())
                .withLabels(targets.getLabels())
                // prometheus-operator sets __param_target, instance and the prober's address; the target label, which
                // Lookout's alerts name, is Lookout's own.
                .withRelabelingConfigs(new RelabelConfigBuilder().withSourceLabels("__param_target").withTargetLabel("target").build())
                .endStaticConfig().endTargets()
                .endSpec().build();
        if (scrape.has("scrape_interval")) {
            probe.getSpec().setInterval(scrape.get("scrape_interval").asText());
        }
        if (scrape.has("scrape_timeout")) {
            probe.getSpec().setScrapeTimeout(scrape.get("scrape_timeout").asText());
        }
        return probe;
    }

    private HasMetadata scrapeConfig(ObjectKey key, String name, ObjectNode scrape, List<StaticConfig> targets, OutputTree tree,
                                     Optional<OwnerReference> owner, List<HasMetadata> before) {
        ScrapeConfigSpec spec = new ScrapeConfigSpec();
        spec.setJobName(scrape.path("job_name").asText());
        spec.setStaticConfigs(targets);
        if (scrape.has("metrics_path")) {
            spec.setMetricsPath(scrape.get("metrics_path").asText());
        }
        if (scrape.has("params")) {
            Map<String, List<String>> params = new LinkedHashMap<>();
            scrape.get("params").fields().forEachRemaining(e -> {
                List<String> values = new ArrayList<>();
                e.getValue().forEach(v -> values.add(v.asText()));
                params.put(e.getKey(), values);
            });
            spec.setParams(params);
        }
        if (scrape.has("scrape_interval")) {
            spec.setScrapeInterval(scrape.get("scrape_interval").asText());
        }
        if (scrape.has("scrape_timeout")) {
            spec.setScrapeTimeout(scrape.get("scrape_timeout").asText());
        }
        if (scrape.has("scheme")) {
            // Upper case is what every prometheus-operator release accepts (lower case only from 0.87).
            spec.setScheme(scrape.get("scheme").asText().toUpperCase(Locale.ROOT));
        }
        if (scrape.has("relabel_configs")) {
            List<RelabelConfig> relabelings = new ArrayList<>();
            scrape.get("relabel_configs").forEach(r -> relabelings.add(relabeling(r)));
            spec.setRelabelings(relabelings);
        }
        List<io.fabric8.openshift.api.model.monitoring.v1alpha1.DNSSDConfig> dns = new ArrayList<>();
        for (JsonNode sd : scrape.path("dns_sd_configs")) {
            io.fabric8.openshift.api.model.monitoring.v1alpha1.DNSSDConfig config = new io.fabric8.openshift.api.model.monitoring.v1alpha1.DNSSDConfig();
            List<String> names = new ArrayList<>();
            sd.path("names").forEach(n -> names.add(n.asText()));
            config.setNames(names);
            config.setType(sd.path("type").asText("A"));
            if (sd.has("port")) {
                config.setPort(sd.get("port").asInt());
            }
            dns.add(config);
        }
        if (!dns.isEmpty()) {
            spec.setDnsSDConfigs(dns);
        }
        if (scrape.path("tls_config").path("insecure_skip_verify").asBoolean(false)) {
            spec.setTlsConfig(new SafeTLSConfigBuilder().withInsecureSkipVerify(true).build());
        }
        if (scrape.has("basic_auth")) {
            JsonNode auth = scrape.get("basic_auth");
            String secretName = name + "-auth";
            String passwordFile = auth.path("password_file").asText();
            RenderedFile password = tree == null ? null : tree.get(treePath(passwordFile));
            if (password == null) {
                throw new IllegalStateException("the password file " + passwordFile + " of " + key + " is not in the render");
            }
            before.add(new SecretBuilder().withMetadata(meta(key, key.namespace(), secretName, owner)).withType("Opaque")
                    .withData(new TreeMap<>(Map.of("username", BASE64.encodeToString(auth.path("username").asText()
                            .getBytes(StandardCharsets.UTF_8)), "password", BASE64.encodeToString(password.bytes()))))
                    .build());
            BasicAuth basicAuth = new BasicAuth();
            basicAuth.setUsername(new SecretKeySelector("username", secretName, false));
            basicAuth.setPassword(new SecretKeySelector("password", secretName, false));
            spec.setBasicAuth(basicAuth);
        }
        return new ScrapeConfigBuilder().withMetadata(meta(key, key.namespace(), name, owner)).withSpec(spec).build();
    }

    /** A path as Prometheus sees it (under outputDir) → the same file in the render's tree. */
    private String treePath(String prometheusPath) {
        String dir = config.prometheus().outputDir() + "/";
        return prometheusPath.startsWith(dir) ? OutputTree.PROMETHEUS + prometheusPath.substring(dir.length()) : prometheusPath;
    }

    private static List<StaticConfig> staticConfigs(JsonNode groups) {
        List<StaticConfig> configs = new ArrayList<>();
        for (JsonNode group : groups) {
            List<String> targets = new ArrayList<>();
            group.path("targets").forEach(t -> targets.add(t.asText()));
            if (targets.isEmpty()) {
                continue; // the CRD wants at least one target per group; an empty group scrapes nothing anyway
            }
            Map<String, String> labels = new TreeMap<>();
            group.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            StaticConfig config = new StaticConfig();
            config.setTargets(targets);
            config.setLabels(labels);
            configs.add(config);
        }
        return configs;
    }

    private static RelabelConfig relabeling(JsonNode rule) {
        RelabelConfigBuilder b = new RelabelConfigBuilder();
        List<String> sources = new ArrayList<>();
        rule.path("source_labels").forEach(l -> sources.add(l.asText()));
        if (!sources.isEmpty()) {
            b.withSourceLabels(sources);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String value = e.getValue().asText();
            switch (e.getKey()) {
                case "source_labels" -> { }
                case "target_label" -> b.withTargetLabel(value);
                case "replacement" -> b.withReplacement(value);
                case "regex" -> b.withRegex(value);
                case "action" -> b.withAction(value);
                case "separator" -> b.withSeparator(value);
                default -> throw new IllegalStateException("relabel_configs key " + e.getKey() + " has no translation");
            }
        }
        return b.build();
    }

    private static RuleGroup ruleGroup(ObjectNode group) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : group.path("rules")) {
            RuleBuilder b = new RuleBuilder().withAlert(r.path("alert").asText(null))
                    .withExpr(new IntOrString(r.path("expr").asText()));
            if (r.has("for")) {
                b.withFor(r.get("for").asText());
            }
            b.withLabels(strings(r.path("labels"))).withAnnotations(strings(r.path("annotations")));
            rules.add(b.build());
        }
        return new RuleGroupBuilder().withName(group.path("name").asText()).withRules(rules).build();
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new TreeMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map.isEmpty() ? null : map;
    }

    private ObjectMeta meta(ObjectKey owner, String objectNamespace, String name, Optional<OwnerReference> reference) {
        Map<String, String> labels = new TreeMap<>(config.prometheus().operator().labels());
        labels.put(OwnerLabels.MANAGED_BY, OwnerLabels.LOOKOUT);
        labels.put(OWNER, OwnerLabels.owner(owner));
        labels.put(INSTANCE, config.lookout().instance());
        ObjectMetaBuilder b = new ObjectMetaBuilder().withNamespace(objectNamespace).withName(name).withLabels(labels);
        reference.ifPresent(b::withOwnerReferences);
        return b.build();
    }
}
