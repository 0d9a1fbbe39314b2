package dev.lookout.prometheus;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Building blocks of scrape configs and alert rules shared by the kinds. */
public final class ScrapeConfigs {
    private ScrapeConfigs() {
    }

    /** A scrape config with the job name first, as people read it. */
    public static ObjectNode job(String jobName) {
        ObjectNode job = RenderYaml.object();
        job.put("job_name", jobName);
        return job;
    }

    /** One static target group: targets plus labels (sorted by the caller's map). */
    public static ObjectNode targetGroup(List<String> targets, Map<String, String> labels) {
        ObjectNode group = RenderYaml.object();
        ArrayNode t = group.putArray("targets");
        targets.forEach(t::add);
        if (!labels.isEmpty()) {
            ObjectNode l = group.putObject("labels");
            labels.forEach(l::put);
        }
        return group;
    }

    /** A rule group holding the alerts of one resource, named after its job. */
    public static ObjectNode ruleGroup(String jobName, List<ObjectNode> rules) {
        ObjectNode group = RenderYaml.object();
        group.put("name", jobName);
        ArrayNode r = group.putArray("rules");
        rules.forEach(r::add);
        return group;
    }

    /** An alerting rule; {@code forDuration} may be null for "fire at once". */
    public static ObjectNode alert(String name, String expr, String forDuration, String severity, String summary, String description) {
        ObjectNode rule = RenderYaml.object();
        rule.put("alert", name);
        rule.put("expr", expr);
        if (forDuration != null) {
            rule.put("for", forDuration);
        }
        rule.putObject("labels").put("severity", severity);
        ObjectNode annotations = rule.putObject("annotations");
        annotations.put("summary", summary);
        annotations.put("description", description);
        return rule;
    }

    /** A number as PromQL and people read it: plain decimal, never exponent notation, the same for the same value. */
    public static String number(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** A PromQL selector on exactly this job (job names never contain quotes or backslashes). */
    public static String jobSelector(String jobName) {
        return "job=\"" + jobName + "\"";
    }
}
