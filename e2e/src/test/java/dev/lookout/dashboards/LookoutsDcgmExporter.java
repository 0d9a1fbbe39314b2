package dev.lookout.dashboards;

import dev.lookout.platform.Workload;
import dev.lookout.testing.DcgmFixture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the dcgm-exporter Lookout runs for a GpuNode serves, made from the real captured A800 payload
 * ({@link DcgmFixture#a800x8Mig}): only the fields of the counters file Lookout gives the exporter (a counters file
 * replaces the exporter's defaults), and the {@code Hostname} label the container's hostname, which Lookout sets to
 * the GpuNode's name.
 *
 * <p>One field is made up: the capture came from an exporter on its default counters, which leave out
 * {@code DCGM_FI_DEV_POWER_MGMT_LIMIT}, so each GPU's limit is written next to its power reading with the same labels
 * and the A800 SXM4's 400 W. Every other name, label and value is the capture's.
 */
final class LookoutsDcgmExporter {
    static final String POWER_USAGE = "DCGM_FI_DEV_POWER_USAGE";
    static final String POWER_LIMIT = "DCGM_FI_DEV_POWER_MGMT_LIMIT";
    /** NVIDIA's board power of the A800-SXM4-80GB, the GPUs of the capture. */
    static final String A800_POWER_LIMIT_WATTS = "400.000000";
    private static final Pattern HOSTNAME = Pattern.compile("Hostname=\"[^\"]*\"");

    private LookoutsDcgmExporter() {
    }

    /** The payload for {@code exporter}, the workload Lookout's GpuNode renders; fails if it asks for a field the capture lacks. */
    static String payload(Workload exporter) {
        Set<String> fields = counters(exporter);
        List<String> kept = new ArrayList<>();
        List<String> powerReadings = new ArrayList<>();
        for (String line : DcgmFixture.a800x8Mig().split("\n")) {
            if (fields.contains(metric(line))) {
                String relabelled = HOSTNAME.matcher(line).replaceAll(Matcher.quoteReplacement("Hostname=\"" + exporter.hostname() + "\""));
                kept.add(relabelled);
                if (!line.startsWith("#") && metric(line).equals(POWER_USAGE)) {
                    powerReadings.add(relabelled);
                }
            }
        }
        if (fields.contains(POWER_LIMIT) && kept.stream().noneMatch(l -> metric(l).equals(POWER_LIMIT))) {
            kept.add("# HELP " + POWER_LIMIT + " Power management limit (in W).");
            kept.add("# TYPE " + POWER_LIMIT + " gauge");
            for (String reading : powerReadings) {
                String labels = reading.substring(POWER_USAGE.length(), reading.lastIndexOf(' '));
                kept.add(POWER_LIMIT + labels + " " + A800_POWER_LIMIT_WATTS);
            }
        }
        String payload = String.join("\n", kept) + "\n";
        for (String field : fields) {
            if (!payload.contains("\n" + field + "{")) {
                throw new AssertionError("Lookout's counters file asks dcgm-exporter for " + field
                        + ", which the captured payload does not have: the stand-in cannot serve it");
            }
        }
        return payload;
    }

    /** The DCGM fields of the counters CSV among the workload's files ({@code field, type, help} lines). */
    static Set<String> counters(Workload exporter) {
        Workload.WorkloadFile csv = exporter.files().stream().filter(f -> f.path().endsWith(".csv")).findFirst()
                .orElseThrow(() -> new AssertionError("Lookout gave dcgm-exporter no counters file (the GpuNode has no"
                        + " spec.exporter.counters), so it runs on its default counters, which lack " + POWER_LIMIT
                        + " (docs/outputs.md): give the test's GpuNode counters"));
        Set<String> fields = new LinkedHashSet<>();
        for (String line : new String(csv.content(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                fields.add(line.split(",")[0].trim());
            }
        }
        return fields;
    }

    /** The metric a sample, HELP or TYPE line is about. */
    private static String metric(String line) {
        if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
            return line.split(" ")[2];
        }
        return line.split("[{ ]", 2)[0];
    }
}
