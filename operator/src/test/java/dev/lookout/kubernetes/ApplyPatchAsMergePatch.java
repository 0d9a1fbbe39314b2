package dev.lookout.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * fabric8's CRUD mock answers a server-side apply with 415; java-operator-sdk 5 adds its finalizer with one
 * ({@code PATCH ?fieldManager=…&force=true}, {@code application/apply-patch+yaml}). The finalizer's apply carries only
 * the fields it owns, so applying it as a JSON merge patch gives what a real API server stores. The request is
 * recorded as it was sent (a PATCH), which is what RBAC sees.
 */
final class ApplyPatchAsMergePatch extends KubernetesCrudDispatcher {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        if (type == null || !type.startsWith("application/apply-patch")) {
            return super.handlePatch(request);
        }
        try {
            JsonNode body = YAML.readTree(request.getUtf8Body());
            RecordedRequest merge = new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(),
                    request.getHeaders().newBuilder().set("Content-Type", "application/merge-patch+json").build(),
                    new Buffer().writeUtf8(JSON.writeValueAsString(body)));
            return super.handlePatch(merge);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
