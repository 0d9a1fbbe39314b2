package dev.lookout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiCallTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /api/v1/secrets?limit=1, list core/secrets",
            "GET, /api/v1/secrets?fieldSelector=type&watch=true&allowWatchBookmarks=true, watch core/secrets",
            "GET, /api/v1/namespaces/ml/pods/comfy-1, get core/pods",
            "GET, /api/v1/nodes?labelSelector=a%3Db, list core/nodes",
            "POST, /apis/apps/v1/namespaces/web/deployments, create apps/deployments",
            "PUT, /api/v1/namespaces/web/configmaps/files, update core/configmaps",
            "PATCH, /apis/lookout.dev/v1alpha1/namespaces/default/comfyprobes/comfy/status, patch lookout.dev/comfyprobes/status",
            "DELETE, /api/v1/namespaces/web/secrets/s, delete core/secrets",
            "DELETE, /apis/apps/v1/namespaces/web/daemonsets?labelSelector=x, deletecollection apps/daemonsets",
            "GET, /api/v1/namespaces/default, get core/namespaces",
    })
    void mapsMethodAndPathToTheRbacVerbAndResource(String method, String path, String call) {
        assertThat(ApiCall.of(method, path)).hasValueSatisfying(c -> assertThat(c.toString()).isEqualTo(call));
    }

    @ParameterizedTest
    @CsvSource({"GET, /version", "GET, /apis", "GET, /api", "GET, /apis/apps/v1"})
    void discoveryIsNoResource(String method, String path) {
        assertThat(ApiCall.of(method, path)).isEmpty();
    }
}
