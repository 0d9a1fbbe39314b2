package dev.lookout.docker;

import java.util.Optional;
import java.util.TreeSet;

/** Whether an engine can give a container GPUs: it needs a runtime named nvidia (the NVIDIA Container Toolkit's). */
public final class GpuRuntime {
    private GpuRuntime() {
    }

    /** Why {@code engine} cannot run a GPU container, or empty when it has an NVIDIA runtime. */
    public static Optional<String> missing(EngineInfo engine) {
        if (engine.runtimes().contains("nvidia")) {
            return Optional.empty();
        }
        return Optional.of("Docker host " + engine.host() + " (engine " + engine.serverVersion() + ") has the runtimes "
                + String.join(", ", new TreeSet<>(engine.runtimes())) + " and none is named nvidia, so it cannot "
                + "give a container GPUs. Install the NVIDIA Container Toolkit there and run `nvidia-ctk runtime configure "
                + "--runtime=docker`, then restart dockerd; Lookout checks again when the engine reconnects.");
    }
}
