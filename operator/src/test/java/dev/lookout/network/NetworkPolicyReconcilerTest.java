package dev.lookout.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.ReconcileResult;
import dev.lookout.testing.Manifests;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkPolicyReconcilerTest {
    @TempDir
    Path dir;

    @Test
    void whatIsNotBuiltIsSaidNotClaimed() {
        NetworkPolicy policy = (NetworkPolicy) Manifests.load(dir, """
                apiVersion: lookout.dev/v1alpha1
                kind: NetworkPolicy
                metadata: {name: bridges}
                spec:
                  host: local
                  allowedPools: [{base: 192.168.240.0/20, size: 24}]
                  action: Recreate
                """).resources().get(0).resource();
        ReconcileResult result = new NetworkPolicyReconciler().reconcile(policy, new ObjectKey("NetworkPolicy", "default", "bridges"));
        assertThat(result.blocked().reason()).isEqualTo("NotImplemented");
        assertThat(result.blocked().message()).contains("Docker host local", "action: Recreate", "nothing on the host is changed");
    }
}
