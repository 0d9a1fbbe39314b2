package dev.lookout.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.kind.LoadedResource;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.testing.Manifests;
import org.junit.jupiter.api.Test;

class NginxVtsReconcilerTest {
    @Test
    void theScrapeEndpointIsReportedButNoNginxIsClaimed() {
        LoadedResource edge = Manifests.load(Manifests.EXAMPLES).resources().stream()
                .filter(r -> r.resource() instanceof NginxVtsTarget).findFirst().orElseThrow();
        ReconcileResult result = new NginxVtsReconciler().reconcile((NginxVtsTarget) edge.resource(), edge.key());
        String endpoint = ((NginxVtsTargetStatus) result.status()).getScrapeEndpoint();
        assertThat(endpoint).isNotBlank();
        assertThat(result.blocked().reason()).isEqualTo("NotImplemented");
        assertThat(result.blocked().message()).contains("Docker host local", endpoint);
    }
}
