package dev.lookout.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.prometheus.JobNames;
import dev.lookout.prometheus.KindOutputs;
import dev.lookout.prometheus.RenderContext;
import dev.lookout.prometheus.RenderYaml;
import dev.lookout.prometheus.ScrapeConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ComfyProbe → one blackbox module, one scrape job through blackbox (static targets, plus a file_sd file
 * with the containers the Docker platform discovered), ComfyUIDown, and the restart alert.
 */
public final class ComfyProbeOutputs implements KindOutputs.Renderer<ComfyProbe> {
    /** Restart counts Lookout exports per discovered container, labelled probe="ns/name" and container. */
    public static final String RESTARTS_METRIC = "lookout_container_restarts_total";
    /** The job Prometheus scrapes Lookout's own /metrics with. */
    public static final String OPERATOR_JOB = JobNames.OPERATOR_JOB;

    @Override
    public KindOutputs render(ComfyProbe probe, ObjectKey key, RenderContext context) {
        ComfyProbeSpec spec = probe.getSpec();
        String job = JobNames.job(key);
        String module = JobNames.blackboxModule(key);

        ObjectNode scrape = ScrapeConfigs.job(job);
        scrape.put("metrics_path", "/probe");
        scrape.putObject("params").putArray("module").add(module);
        scrape.put("scrape_interval", spec.interval());
        scrape.put("scrape_timeout", spec.effectiveTimeout());
        ArrayNode statics = scrape.putArray("static_configs");
        for (ProbeTarget target : spec.targets()) {
            statics.add(ScrapeConfigs.targetGroup(List.of(target.url()), target.labels()));
        }
        if (statics.isEmpty()) {
            scrape.remove("static_configs");
        }
        // Containers found on a Docker host go to a file_sd file, not into static_configs: Prometheus picks the file
        // up without a reload, and measured on 3.5 a new target is active 2-4 s after the write, where a new static
        // target plus reload takes 5.0 s every time (docs/benchmarks.md). Either way its discovery ticks every 5 s.
        Map<String, JsonNode> targetFiles = new TreeMap<>();
        if (spec.discover() != null) {
            String targetsFile = JobNames.fileStem(key) + ".json";
            scrape.putArray("file_sd_configs").addObject().putArray("files").add(context.prometheusPath("targets/" + targetsFile));
            ArrayNode groups = RenderYaml.object().arrayNode();
            context.discovered(key).forEach(t -> groups.add(ScrapeConfigs.targetGroup(List.of(t.target()), t.labels())));
            targetFiles.put(targetsFile, groups);
        }
        ArrayNode relabel = scrape.putArray("relabel_configs");
        relabel.add(copy("__address__", "__param_target"));
        relabel.add(copy("__param_target", "target"));
        relabel.add(copy("__param_target", "instance"));
        ObjectNode toBlackbox = relabel.addObject();
        toBlackbox.put("target_label", "__address__");
        toBlackbox.put("replacement", context.config().blackbox().address());

        List<ObjectNode> rules = new ArrayList<>();
        rules.add(ScrapeConfigs.alert("ComfyUIDown",
                "probe_success{" + ScrapeConfigs.jobSelector(job) + "} == 0",
                spec.alert().forDuration(), spec.alert().severity(),
                "ComfyUI {{ $labels.instance }} is down",
                "The blackbox probe of {{ $labels.target }} (" + key + ") has failed for " + spec.alert().forDuration() + "."));
        if (spec.restarts() != null) {
            RestartAlert restarts = spec.restarts();
            rules.add(ScrapeConfigs.alert("ComfyUIRestarting",
                    "increase(" + RESTARTS_METRIC + "{" + ScrapeConfigs.jobSelector(OPERATOR_JOB) + ",probe=\"" + key.namespace()
                            + "/" + key.name() + "\"}[" + restarts.window() + "]) >= " + restarts.alertAfter(),
                    null, spec.alert().severity(),
                    "ComfyUI container {{ $labels.container }} keeps restarting",
                    "{{ $labels.container }} restarted {{ $value }} times within " + restarts.window() + " (" + key + ")."));
        }
        return new KindOutputs(List.of(scrape), List.of(ScrapeConfigs.ruleGroup(job, rules)),
                new TreeMap<>(Map.of(module, module(spec, key, context))), new TreeMap<>(targetFiles), List.of(),
                spec.restarts() != null);
    }

    private static ObjectNode module(ComfyProbeSpec spec, ObjectKey key, RenderContext context) {
        ProbeHttp http = spec.http();
        ObjectNode module = RenderYaml.object();
        module.put("prober", "http");
        module.put("timeout", spec.effectiveTimeout());
        ObjectNode h = module.putObject("http");
        h.put("method", http.method().name());
        if (!http.validStatusCodes().isEmpty()) {
            ArrayNode codes = h.putArray("valid_status_codes");
            http.validStatusCodes().forEach(codes::add);
        }
        h.put("follow_redirects", http.followRedirects());
        if (!http.bodyMustMatch().isEmpty()) {
            ArrayNode regexes = h.putArray("fail_if_body_not_matches_regexp");
            http.bodyMustMatch().forEach(regexes::add);
        }
        h.put("preferred_ip_protocol", "ip4"); // Docker bridges are IPv4; don't try AAAA first
        if (http.basicAuth() != null) {
            ObjectNode auth = h.putObject("basic_auth");
            auth.put("username", http.basicAuth().username());
            auth.put("password_file", context.blackboxSecretFile(key.namespace(), http.basicAuth().passwordSecretRef()));
        }
        if (http.tls() != null && Boolean.TRUE.equals(http.tls().insecureSkipVerify())) {
            h.putObject("tls_config").put("insecure_skip_verify", true);
        }
        return module;
    }

    private static ObjectNode copy(String from, String to) {
        ObjectNode rule = RenderYaml.object();
        rule.putArray("source_labels").add(from);
        rule.put("target_label", to);
        return rule;
    }
}
