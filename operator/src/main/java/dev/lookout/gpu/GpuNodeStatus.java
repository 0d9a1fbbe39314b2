package dev.lookout.gpu;

import dev.lookout.api.ResourceStatus;
import java.util.ArrayList;
import java.util.List;

/** GPUs as read back from the exporter's own metrics: Ready means metrics are flowing. */
public class GpuNodeStatus extends ResourceStatus {
    private List<GpuInfo> gpus = new ArrayList<>();

    public List<GpuInfo> getGpus() {
        return gpus;
    }

    public void setGpus(List<GpuInfo> gpus) {
        this.gpus = gpus == null ? new ArrayList<>() : new ArrayList<>(gpus);
    }

    public record GpuInfo(Integer index, String uuid, String model, Long memoryMiB) {
    }
}
