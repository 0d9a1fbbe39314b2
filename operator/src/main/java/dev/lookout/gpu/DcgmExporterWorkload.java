package dev.lookout.gpu;

import dev.lookout.api.ObjectKey;
import dev.lookout.config.OperatorConfig;
import dev.lookout.platform.Workload;
import dev.lookout.prometheus.JobNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dcgm-exporter workload of a GpuNode: what {@code docker run --gpus all --cap-add SYS_ADMIN nvidia/dcgm-exporter}
 * runs, in no platform's terms. The platform decides where it is reached (docs/architecture.md).
 */
public final class DcgmExporterWorkload {
    /** The role in the container name and the key of {@code images} in lookout.yaml. */
    public static final String ROLE = "dcgm-exporter";
    static final String COUNTERS_FILE = "/etc/dcgm-exporter/lookout-counters.csv";
    /**
     * The fields the generated alert rules read. A counters file replaces the image's defaults entirely, so these
     * are always in it, or the rules would silently match nothing (docs/outputs.md).
     */
    static final List<String> RULE_FIELDS = List.of("DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_FREE",
            "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_POWER_MGMT_LIMIT", "DCGM_FI_DEV_XID_ERRORS");
    /** DCGM fields that only grow; every other field is exported as a gauge. */
    private static final Set<String> COUNTER_FIELDS = Set.of("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
            "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "DCGM_FI_DEV_POWER_VIOLATION",
            "DCGM_FI_DEV_THERMAL_VIOLATION", "DCGM_FI_DEV_SYNC_BOOST_VIOLATION", "DCGM_FI_DEV_BOARD_LIMIT_VIOLATION",
            "DCGM_FI_DEV_LOW_UTIL_VIOLATION", "DCGM_FI_DEV_RELIABILITY_VIOLATION", "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL",
            "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "DCGM_FI_DEV_ECC_SBE_AGG_TOTAL", "DCGM_FI_DEV_ECC_DBE_AGG_TOTAL");

    private DcgmExporterWorkload() {
    }

    public static String name(ObjectKey key) {
        return JobNames.container(ROLE, key);
    }

    /** The image to run: lookout.yaml's {@code images.dcgm-exporter} when set (an air-gapped registry), else the spec's. */
    public static String image(GpuNodeSpec spec, OperatorConfig config) {
        return config.image(ROLE, spec.exporter().image());
    }

    public static Workload of(GpuNode node, ObjectKey key, OperatorConfig config) {
        GpuNodeSpec spec = node.getSpec();
        int port = spec.exporter().port();
        Map<String, String> env = new TreeMap<>();
        env.put("DCGM_EXPORTER_LISTEN", ":" + port);
        List<Workload.WorkloadFile> files = new ArrayList<>();
        if (!spec.exporter().counters().isEmpty()) {
            env.put("DCGM_EXPORTER_COLLECTORS", COUNTERS_FILE);
            files.add(new Workload.WorkloadFile(COUNTERS_FILE, countersCsv(spec.exporter().counters()), 0644));
        }
        return new Workload(name(key), image(spec, config), List.of(), env, spec.labels(),
                key.name(), // dcgm's Hostname label would otherwise be the container id
                List.of(port), gpuRequest(spec.selection()),
                List.of("SYS_ADMIN"), // DCGM's profiling (DCP) fields need it, as NVIDIA's own docker run line shows
                files);
    }

    static Workload.GpuRequest gpuRequest(GpuSelection selection) {
        if (selection instanceof GpuSelection.Indexes indexes) {
            return new Workload.GpuRequest(false, indexes.indexes().stream().map(String::valueOf).toList());
        }
        if (selection instanceof GpuSelection.Uuids uuids) {
            return new Workload.GpuRequest(false, uuids.uuids());
        }
        return new Workload.GpuRequest(true, List.of());
    }

    /** dcgm-exporter's counters CSV: {@code field, type, help}; the rules' fields first, then the user's. */
    static byte[] countersCsv(List<String> counters) {
        Set<String> fields = new LinkedHashSet<>(RULE_FIELDS);
        fields.addAll(counters);
        StringBuilder csv = new StringBuilder("# Written by Lookout: the fields the GpuNode's alert rules read, then spec.exporter.counters.\n");
        for (String field : fields) {
            csv.append(field).append(", ").append(COUNTER_FIELDS.contains(field) ? "counter" : "gauge")
                    .append(", ").append(field).append(".\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
