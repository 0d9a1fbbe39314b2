package dev.lookout.gpu;

import dev.lookout.exposition.Exposition;
import dev.lookout.exposition.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The GPUs one dcgm-exporter reports, read from its own {@code /metrics}: what GpuNode's status lists, so
 * that Ready means metrics are flowing.
 *
 * <p>dcgm-exporter labels every {@code DCGM_FI_*} series with the GPU it is about: {@code gpu} (the
 * index), {@code UUID}, {@code modelName}, {@code device} ({@code nvidia0}) and {@code Hostname}. A GPU in
 * MIG mode gets one series per GPU instance instead, with {@code GPU_I_ID} and {@code GPU_I_PROFILE}
 * added, and none for the whole GPU.
 *
 * @param hostname     the {@code Hostname} label (the machine, or the pod in Kubernetes); empty when no
 *                     series carries it
 * @param gpus         the GPUs seen, sorted by index
 * @param skippedLines payload lines the parser skipped: dcgm-exporter writes
 *                     {@code ERROR - FAILED TO CONVERT TO STRING} for a field it cannot format
 */
public record GpuInventory(String hostname, List<GpuInfo> gpus, int skippedLines) {
    /** The prefix of dcgm-exporter's field series; other series in the payload are not about a GPU. */
    public static final String FIELD_PREFIX = "DCGM_FI_";
    static final String FB_FREE = "DCGM_FI_DEV_FB_FREE";
    static final String FB_USED = "DCGM_FI_DEV_FB_USED";
    static final String FB_RESERVED = "DCGM_FI_DEV_FB_RESERVED";
    private static final Set<String> FRAMEBUFFER = Set.of(FB_FREE, FB_USED, FB_RESERVED);
    /**
     * DCGM writes "no data" as sentinels near the top of the type's range (DCGM_FP64_BLANK is 2^47,
     * about 1.4e14; the int64 ones are near 2^63), and the exporter passes them on as numbers.
     */
    static final double BLANK = 1e14;

    public GpuInventory {
        gpus = List.copyOf(gpus);
    }

    /**
     * One GPU.
     *
     * @param memoryMiB framebuffer memory: FB_FREE + FB_USED (+ FB_RESERVED, which dcgm-exporter 3.3 and later
     *                  collect by default) of the whole-GPU series. 0 means not known: the exporter does not
     *                  collect the FB fields, DCGM has no value yet, or the GPU is in MIG mode, where only
     *                  its instances' memory is reported
     * @param mig       its MIG instances, sorted by instance id; empty when MIG is off
     */
    public record GpuInfo(int index, String uuid, String model, long memoryMiB, String device, List<MigInstance> mig) {
        public GpuInfo {
            mig = List.copyOf(mig);
        }
    }

    /** A MIG GPU instance: {@code GPU_I_ID} and {@code GPU_I_PROFILE} ({@code 2g.20gb}). */
    public record MigInstance(int instanceId, String profile) {
    }

    /** The inventory the exposition's {@code DCGM_FI_*} series describe. */
    public static GpuInventory of(Exposition exposition) {
        Map<Integer, Seen> seen = new TreeMap<>();
        String hostname = "";
        for (Sample sample : exposition.samples()) {
            Integer index = integer(sample.label("gpu"));
            if (!sample.name().startsWith(FIELD_PREFIX) || index == null) {
                continue;
            }
            if (hostname.isEmpty()) {
                hostname = text(sample.label("Hostname"));
            }
            seen.computeIfAbsent(index, i -> new Seen()).add(sample);
        }
        List<GpuInfo> gpus = new ArrayList<>();
        seen.forEach((index, gpu) -> gpus.add(gpu.info(index)));
        return new GpuInventory(hostname, gpus, exposition.issues().size());
    }

    /** What the series of one GPU said so far; the first non-empty value of each label wins. */
    private static final class Seen {
        private String uuid = "";
        private String model = "";
        private String device = "";
        private final Map<String, Double> framebuffer = new HashMap<>();
        private final Map<Integer, String> mig = new TreeMap<>();

        void add(Sample sample) {
            uuid = uuid.isEmpty() ? text(sample.label("UUID")) : uuid;
            model = model.isEmpty() ? text(sample.label("modelName")) : model;
            device = device.isEmpty() ? text(sample.label("device")) : device;
            Integer instance = integer(sample.label("GPU_I_ID"));
            if (instance != null) {
                mig.putIfAbsent(instance, text(sample.label("GPU_I_PROFILE")));
            } else if (text(sample.label("GPU_I_ID")).isEmpty() && FRAMEBUFFER.contains(sample.name()) && isData(sample.value())) {
                framebuffer.putIfAbsent(sample.name(), sample.value());
            }
        }

        GpuInfo info(int index) {
            List<MigInstance> instances = new ArrayList<>();
            mig.forEach((id, profile) -> instances.add(new MigInstance(id, profile)));
            return new GpuInfo(index, uuid, model, memoryMiB(), device, instances);
        }

        /** Free and used are both needed: either alone says nothing about the size. */
        private long memoryMiB() {
            Double free = framebuffer.get(FB_FREE);
            Double used = framebuffer.get(FB_USED);
            if (free == null || used == null) {
                return 0;
            }
            return Math.round(free + used + framebuffer.getOrDefault(FB_RESERVED, 0.0));
        }

        private static boolean isData(double value) {
            return value >= 0 && value < BLANK; // NaN fails both
        }
    }

    private static String text(String label) {
        return label == null ? "" : label;
    }

    /** A non-negative decimal label value, or null. */
    private static Integer integer(String label) {
        if (label == null || label.isEmpty() || label.length() > 9 || !label.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Integer.valueOf(label);
    }
}
