package dev.lookout.gpu;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.ResourceStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * GPUs as read back from the exporter's own metrics: Ready means metrics are flowing. The status's fields are
 * filled by the reconciler (as JSON); this class is their schema in the CRD.
 */
public class GpuNodeStatus extends ResourceStatus {
    private List<GpuStatus> gpus = new ArrayList<>();
    private String hostname;
    private String image;
    private ContainerStatus container;
    private List<String> runtimes = new ArrayList<>();

    @JsonPropertyDescription("The GPUs dcgm-exporter reports (index, UUID, model, memory, MIG instances).")
    public List<GpuStatus> getGpus() {
        return gpus;
    }

    public void setGpus(List<GpuStatus> gpus) {
        this.gpus = gpus == null ? new ArrayList<>() : new ArrayList<>(gpus);
    }

    @JsonPropertyDescription("The Hostname label dcgm-exporter puts on its series.")
    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    @JsonPropertyDescription("The dcgm-exporter image that runs.")
    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    @JsonPropertyDescription("The exporter container on the Docker host.")
    public ContainerStatus getContainer() {
        return container;
    }

    public void setContainer(ContainerStatus container) {
        this.container = container;
    }

    @JsonPropertyDescription("The engine's runtimes, when none of them is nvidia (reason NoGpuRuntime).")
    public List<String> getRuntimes() {
        return runtimes;
    }

    public void setRuntimes(List<String> runtimes) {
        this.runtimes = runtimes == null ? new ArrayList<>() : new ArrayList<>(runtimes);
    }

    /** @param memoryMiB framebuffer total; 0 when the exporter does not say (a GPU in MIG mode, say) */
    public record GpuStatus(Integer index, String uuid, String model, Long memoryMiB, List<MigStatus> mig) {
    }

    public record MigStatus(Integer instance, String profile) {
    }

    public record ContainerStatus(String name, String id, String state) {
    }
}
