package dev.lookout.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.testing.Cleanup;
import dev.lookout.testing.CrdApiServer;
import dev.lookout.testing.Helm;
import dev.lookout.testing.KubectlTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRDs as the chart installs them (charts/lookout/crds, which helm applies before the templates) on a real API
 * server ({@link CrdApiServer}), through kubectl: established, and the resources of examples/ accepted, with the
 * columns {@code kubectl get comfyprobes} shows after {@code helm install}.
 */
class ChartCrdsOnApiServerTest {
    @Test
    void theChartsCrdsAreEstablishedAndTakeTheExamples() {
        try (CrdApiServer server = CrdApiServer.start()) {
            server.succeeded(server.kubectl("apply", "-f", Helm.CHART.resolve("crds").toString()));
            server.succeeded(server.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all"));

            List<String> args = new ArrayList<>(List.of("apply"));
            for (Path example : CrdsOnApiServerTest.exampleResources()) {
                args.addAll(List.of("-f", example.toString()));
            }
            String applied = server.succeeded(server.kubectl(args.toArray(String[]::new)));

            assertThat(applied).contains("comfyprobe.lookout.dev/comfy created", "gpunode.lookout.dev/gpu-node-01 created",
                    "networkpolicy.lookout.dev/host-pools created", "nginxvtstarget.lookout.dev/edge created");
            KubectlTable table = KubectlTable.parse(server.succeeded(server.kubectl("get", "comfyprobes")));
            assertThat(table.header()).containsExactly("NAME", "READY", "REASON", "TARGETS", "AGE");
            assertThat(table.row("comfy")).isNotEmpty();
        }
    }
}
