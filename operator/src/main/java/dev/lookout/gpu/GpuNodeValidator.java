package dev.lookout.gpu;

import static dev.lookout.validation.CommonRules.positiveDuration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.validation.CommonRules;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.ImageReference;
import dev.lookout.validation.KindValidator;
import dev.lookout.validation.ProblemReporter;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

public final class GpuNodeValidator implements KindValidator<GpuNode> {
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final Pattern COUNTER = Pattern.compile("^DCGM_(FI|EXP)_[A-Z0-9_]+$");
    private static final String GPUS_ALLOWED = "all, a list of GPU indexes such as [0, 1], or a list of GPU-<uuid>";

    @Override
    public void validate(GpuNode node, ProblemReporter r) {
        GpuNodeSpec spec = node.getSpec();
        if (!"*".equals(spec.host())) {
            CommonRules.hostName(r, SPEC.child("host"), spec.host());
        }
        validateGpus(spec.gpus(), r);
        FieldPath exporter = SPEC.child("exporter");
        ImageReference.check(r, exporter.child("image"), spec.exporter().image(), false);
        CommonRules.port(r, exporter.child("port"), spec.exporter().port());
        for (int i = 0; i < spec.exporter().counters().size(); i++) {
            String counter = spec.exporter().counters().get(i);
            if (!COUNTER.matcher(counter).matches()) {
                r.error(exporter.child("counters").index(i), "\"" + CommonRules.printable(counter)
                        + "\" is not a DCGM field name (such as DCGM_FI_DEV_GPU_TEMP)");
            }
        }
        CommonRules.labels(r, SPEC.child("labels"), spec.labels());
        GpuAlerts alerts = spec.alerts();
        FieldPath a = SPEC.child("alerts");
        CommonRules.range(r, a.child("temperatureCelsius"), alerts.temperatureCelsius(), 1, 150, "1-150 °C");
        CommonRules.range(r, a.child("utilization").child("percent"), alerts.utilization().percent(), 0, 100, "a percent, 0-100");
        positiveDuration(r, a.child("utilization").child("for"), alerts.utilization().forDuration());
        CommonRules.range(r, a.child("memoryFreeMiB"), alerts.memoryFreeMiB(), 0, Integer.MAX_VALUE, "0 or more MiB");
        CommonRules.ratio(r, a.child("powerNearLimitRatio"), alerts.powerNearLimitRatio());
    }

    /** {@code all}, or a non-empty list of distinct indexes, or a non-empty list of distinct UUIDs; never mixed. */
    private static void validateGpus(JsonNode gpus, ProblemReporter r) {
        FieldPath p = SPEC.child("gpus");
        if (gpus.isTextual()) {
            if (!gpus.asText().equals(GpuSelection.ALL)) {
                r.error(p, "\"" + CommonRules.printable(gpus.asText()) + "\" is not allowed (" + GPUS_ALLOWED + ")");
            }
            return;
        }
        if (!gpus.isArray() || gpus.isEmpty()) {
            r.error(p, "must be " + GPUS_ALLOWED);
            return;
        }
        // The first item picks the form: a string means UUIDs, anything else (even 1.5 or -1) was meant as an index.
        boolean indexes = !gpus.get(0).isTextual();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < gpus.size(); i++) {
            JsonNode gpu = gpus.get(i);
            FieldPath item = p.index(i);
            if (indexes && (!gpu.isIntegralNumber() || !gpu.canConvertToInt() || gpu.asInt() < 0)) {
                r.error(item, gpu.isTextual() ? "mixes a UUID into a list of indexes (use one form)"
                        : "must be a non-negative GPU index");
            } else if (!indexes && !(gpu.isTextual() && GpuSelection.UUID.matcher(gpu.asText()).matches())) {
                r.error(item, gpu.isNumber() ? "mixes an index into a list of UUIDs (use one form)"
                        : "must be a GPU UUID (GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, as nvidia-smi -L prints)");
            } else if (!seen.add(gpu.asText())) {
                r.error(item, gpu.asText() + " is listed twice");
            }
        }
    }
}
