package dev.lookout.crd;

import dev.lookout.gpu.GpuNode;
import dev.lookout.network.NetworkPolicy;
import dev.lookout.nginx.NginxVtsTarget;
import dev.lookout.probe.ComfyProbe;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generates the CRDs of the four kinds into a folder; {@code make crds} runs {@link #main}. */
public final class CrdFiles {
    private CrdFiles() {
    }

    public static void generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        new CRDGenerator()
                .inOutputDir(dir.toFile())
                .forCRDVersions("v1")
                .withParallelGenerationEnabled(false)
                .customResourceClasses(ComfyProbe.class, NginxVtsTarget.class, GpuNode.class, NetworkPolicy.class)
                .detailedGenerate();
    }

    /** The schema of lookout.yaml, written by the same generator (see {@code OperatorConfigDocument}). */
    public static void generateConfigSchema(Path dir) throws IOException {
        Files.createDirectories(dir);
        new CRDGenerator()
                .inOutputDir(dir.toFile())
                .forCRDVersions("v1")
                .withParallelGenerationEnabled(false)
                .customResourceClasses(dev.lookout.config.OperatorConfigDocument.class)
                .detailedGenerate();
    }

    public static void main(String[] args) throws IOException {
        generate(Path.of(args.length > 0 ? args[0] : "crds"));
    }
}
