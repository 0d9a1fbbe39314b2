package dev.lookout.crd;

import dev.lookout.gpu.GpuNode;
import dev.lookout.network.NetworkPolicy;
import dev.lookout.nginx.NginxVtsTarget;
import dev.lookout.probe.ComfyProbe;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Generates the CRDs of the four kinds into a folder; {@code make crds} runs {@link #main}. */
public final class CrdFiles {
    private CrdFiles() {
    }

    public static void generate(Path dir) throws IOException {
        generate(dir, List.of(ComfyProbe.class, NginxVtsTarget.class, GpuNode.class, NetworkPolicy.class));
    }

    /** The schema of lookout.yaml, written by the same generator (see {@code OperatorConfigDocument}). */
    public static void generateConfigSchema(Path dir) throws IOException {
        generate(dir, List.of(dev.lookout.config.OperatorConfigDocument.class));
    }

    private static void generate(Path dir, List<Class<? extends HasMetadata>> classes) throws IOException {
        Files.createDirectories(dir);
        new CRDGenerator()
                .inOutputDir(dir.toFile())
                .forCRDVersions("v1")
                .withParallelGenerationEnabled(false)
                .customResourceClasses(classes)
                .withPostProcessor(new DeclaredColumnOrder(classes))
                .detailedGenerate();
    }

    public static void main(String[] args) throws IOException {
        generate(Path.of(args.length > 0 ? args[0] : "crds"));
    }
}
