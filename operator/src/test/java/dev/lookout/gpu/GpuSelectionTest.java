package dev.lookout.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.load.ManifestSet;
import dev.lookout.testing.Manifests;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuSelectionTest {
    private static final String UUID = "GPU-8f6c1a2b-3c4d-5e6f-7a8b-9c0d1e2f3a4b";

    @TempDir
    Path dir;

    private GpuSelection selectionOf(String gpus) {
        ManifestSet set = Manifests.assertValid(dir, "apiVersion: lookout.dev/v1alpha1\nkind: GpuNode\nmetadata: {name: g}\nspec:\n"
                + (gpus == null ? "  host: local\n" : "  gpus: " + gpus + "\n"));
        return ((GpuNode) set.resources().get(0).resource()).getSpec().selection();
    }

    @Test
    void absentOrAllSelectsEveryGpu() {
        assertThat(selectionOf(null)).isEqualTo(new GpuSelection.All());
        assertThat(selectionOf("all")).isEqualTo(new GpuSelection.All());
    }

    @Test
    void indexesAndUuidsAreTyped() {
        assertThat(selectionOf("[0, 3]")).isEqualTo(new GpuSelection.Indexes(List.of(0, 3)));
        assertThat(selectionOf("[" + UUID + "]")).isEqualTo(new GpuSelection.Uuids(List.of(UUID)));
    }
}
