package dev.lookout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.prometheus.TreeWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputPipelineReloadTest {
    @Test
    void aFileSdFileThatOnlyChangedContentNeedsNoReload() {
        assertThat(OutputPipeline.needsReload(new TreeWriter.Changes(
                List.of("prometheus/targets/comfyprobe.default.comfy.json"), List.of()))).isFalse();
        assertThat(OutputPipeline.needsReload(new TreeWriter.Changes(
                List.of("prometheus/targets/comfyprobe.default.comfy.json", "prometheus/scrape/comfyprobe.default.comfy.yml"),
                List.of()))).isTrue();
        assertThat(OutputPipeline.needsReload(new TreeWriter.Changes(
                List.of(), List.of("prometheus/targets/comfyprobe.default.comfy.json")))).isTrue();
        assertThat(OutputPipeline.needsReload(new TreeWriter.Changes(List.of("blackbox/blackbox.yml"), List.of()))).isFalse();
    }
}
