package dev.lookout.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lookout.exposition.ExpositionParser;
import dev.lookout.gpu.GpuInventory.GpuInfo;
import dev.lookout.gpu.GpuInventory.MigInstance;
import dev.lookout.testing.DcgmFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuInventoryTest {
    private static final String A800 = "NVIDIA A800-SXM4-80GB";
    /** FB_FREE 81226 + FB_USED 2 on gpus 1-7 of the fixture (it collects no FB_RESERVED): 79.3 GiB. */
    private static final long A800_MIB = 81_228;

    private static GpuInventory inventory(String payload) {
        return GpuInventory.of(ExpositionParser.parse(payload));
    }

    private static GpuInfo whole(int index, String uuid, long memoryMiB) {
        return new GpuInfo(index, uuid, A800, memoryMiB, "nvidia" + index, List.of());
    }

    @Test
    void a800FixtureListsEightGpusWithMigOnTheFirst() {
        GpuInventory inventory = inventory(DcgmFixture.a800x8Mig());

        assertThat(inventory.hostname()).isEqualTo("msxf-hpc-64-35-ai");
        assertThat(inventory.skippedLines()).isEqualTo(10);
        // gpu 0 is in MIG mode: the exporter reports memory per instance only (19957 free + 10 used each), so 0.
        assertThat(inventory.gpus()).containsExactly(
                new GpuInfo(0, "GPU-1f027ee8-6e1e-2b8c-0108-3d370e5f0418", A800, 0, "nvidia0", List.of(
                        new MigInstance(3, "2g.20gb"), new MigInstance(5, "2g.20gb"), new MigInstance(6, "2g.20gb"))),
                whole(1, "GPU-9e5b8fec-61bf-5124-a0a9-079af1b65cc6", A800_MIB),
                whole(2, "GPU-5022ce43-b44a-987b-71c3-dee05378a618", A800_MIB),
                whole(3, "GPU-f22db14d-1597-8eb1-78dc-d93765918c73", A800_MIB),
                whole(4, "GPU-a878a9f3-cf6d-b94c-38ba-892ed140c7ee", A800_MIB),
                whole(5, "GPU-a1dd6923-de62-e22b-c882-4d6f7e1ec5ce", A800_MIB),
                whole(6, "GPU-c07eb90d-74b0-d3b4-e6ce-f18687564243", A800_MIB),
                whole(7, "GPU-4e75c9ab-0ed7-8a57-75f5-23761b9f053f", A800_MIB));
    }

    @Test
    void reservedMemoryCountsWhenTheExporterCollectsIt() {
        // The H100 fixture's nvidia-smi: total 81559 MiB = 81079 free + 0 used + 480 reserved.
        String labels = "{gpu=\"0\",UUID=\"GPU-9491e9ff-2d4d-fe72-b689-108152dd5fe4\",device=\"nvidia0\","
                + "modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"h100\"}";
        GpuInventory inventory = inventory("DCGM_FI_DEV_FB_FREE" + labels + " 81079\n"
                + "DCGM_FI_DEV_FB_USED" + labels + " 0\n"
                + "DCGM_FI_DEV_FB_RESERVED" + labels + " 480\n");

        assertThat(inventory.gpus()).containsExactly(new GpuInfo(0, "GPU-9491e9ff-2d4d-fe72-b689-108152dd5fe4",
                "NVIDIA H100 80GB HBM3", 81_559, "nvidia0", List.of()));
        assertThat(inventory.hostname()).isEqualTo("h100");
        assertThat(inventory.skippedLines()).isZero();
    }

    @Test
    void blankSentinelsAndHalfTheFramebufferMeanUnknownMemory() {
        GpuInventory inventory = inventory("""
                DCGM_FI_DEV_FB_FREE{gpu="0"} 140737488355328
                DCGM_FI_DEV_FB_USED{gpu="0"} 10
                DCGM_FI_DEV_FB_FREE{gpu="1"} 100
                DCGM_FI_DEV_FB_USED{gpu="1"} 9223372036854775794
                DCGM_FI_DEV_FB_FREE{gpu="2"} 100
                DCGM_FI_DEV_FB_FREE{gpu="3"} NaN
                DCGM_FI_DEV_FB_USED{gpu="3"} 1
                DCGM_FI_DEV_FB_FREE{gpu="4"} 100
                DCGM_FI_DEV_FB_USED{gpu="4"} 1
                DCGM_FI_DEV_FB_RESERVED{gpu="4"} 140737488355328
                """);

        assertThat(inventory.gpus()).extracting(GpuInfo::index, GpuInfo::memoryMiB).containsExactly(
                tuple(0, 0L), tuple(1, 0L),
                tuple(2, 0L), tuple(3, 0L),
                tuple(4, 101L));
    }

    @Test
    void onlyDcgmFieldSeriesWithAnIndexNameAGpu() {
        GpuInventory inventory = inventory("""
                process_cpu_seconds_total{gpu="5"} 1
                DCGM_FI_DEV_GPU_TEMP{UUID="GPU-x"} 30
                DCGM_FI_DEV_GPU_TEMP{gpu="all"} 30
                DCGM_FI_DEV_GPU_TEMP{gpu="-1"} 30
                DCGM_FI_DEV_GPU_TEMP{gpu="10",UUID="GPU-ten"} 30
                DCGM_FI_DEV_GPU_TEMP{gpu="9",UUID="",modelName="first"} 30
                DCGM_FI_DEV_POWER_USAGE{gpu="9",UUID="GPU-nine",modelName="second"} 70
                """);

        assertThat(inventory.gpus()).containsExactly(
                new GpuInfo(9, "GPU-nine", "first", 0, "", List.of()),
                new GpuInfo(10, "GPU-ten", "", 0, "", List.of()));
        assertThat(inventory.hostname()).isEmpty();
    }

    @Test
    void emptyPayloadHasNoGpus() {
        assertThat(inventory("")).isEqualTo(new GpuInventory("", List.of(), 0));
    }
}
