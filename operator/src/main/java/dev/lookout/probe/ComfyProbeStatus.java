package dev.lookout.probe;

import dev.lookout.api.ResourceStatus;
import java.util.ArrayList;
import java.util.List;

public class ComfyProbeStatus extends ResourceStatus {
    private Integer targetCount;
    private List<ProbeTargetStatus> targets = new ArrayList<>();

    public Integer getTargetCount() {
        return targetCount;
    }

    public void setTargetCount(Integer targetCount) {
        this.targetCount = targetCount;
    }

    public List<ProbeTargetStatus> getTargets() {
        return targets;
    }

    public void setTargets(List<ProbeTargetStatus> targets) {
        this.targets = targets == null ? new ArrayList<>() : new ArrayList<>(targets);
    }

    /** @param lastProbe RFC 3339 time of the last probe result known, with {@code success}. */
    public record ProbeTargetStatus(String url, String container, String lastProbe, Boolean success) {
    }
}
