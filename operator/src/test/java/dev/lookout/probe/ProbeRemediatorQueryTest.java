package dev.lookout.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import org.junit.jupiter.api.Test;

class ProbeRemediatorQueryTest {
    static final ObjectKey KEY = new ObjectKey("ComfyProbe", "default", "comfy");

    @Test
    void failedThatLongMeansNoSuccessInTheWindowAndProbedAllAlong() {
        ComfyProbeSpec spec = new ComfyProbeSpec(null, null, null, "30s", null, null, null, new Remediation("2m"));
        assertThat(ProbeRemediator.failingQuery(KEY, spec)).isEqualTo(
                "max_over_time(probe_success{job=\"lookout/comfyprobe/default/comfy\"}[2m]) == 0"
                        + " and count_over_time(probe_success{job=\"lookout/comfyprobe/default/comfy\"}[2m]) >= 3");
    }

    @Test
    void aWindowShorterThanTwoIntervalsStillAsksForOneSample() {
        ComfyProbeSpec spec = new ComfyProbeSpec(null, null, null, "1m", null, null, null, new Remediation("1m"));
        assertThat(ProbeRemediator.failingQuery(KEY, spec)).endsWith(">= 1");
    }
}
