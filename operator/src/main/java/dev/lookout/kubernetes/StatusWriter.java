package dev.lookout.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.engine.ResourceTable;
import dev.lookout.kind.KindDefinition;
import dev.lookout.registry.KindRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each resource's status, as the engine's table has it after an output cycle, through the {@code status}
 * subresource, and only where it differs from what is there: Ready becomes True only once Prometheus took the
 * outputs, which happens after the reconcile, so the status is written when the cycle ends, not when the reconcile
 * does. A status-only change bumps no {@code metadata.generation}, so it triggers no reconcile of its own.
 *
 * <p>The writes run on a thread of their own ({@link #requestWrite}), not the engine's output thread: a slow or
 * unreachable API server must not hold up the next reload. Requests coalesce: several cycles that end while a pass
 * runs lead to one more pass, which reads the table as it is by then.
 */
final class StatusWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

    private final KubernetesClient client;
    private final ResourceTable table;
    private final PriorStatus prior;
    private final ObjectMapper mapper;
    private final java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lookout-status-writer");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicBoolean queued = new java.util.concurrent.atomic.AtomicBoolean();

    StatusWriter(KubernetesClient client, ResourceTable table, PriorStatus prior, ObjectMapper mapper) {
        this.client = client;
        this.table = table;
        this.prior = prior;
        this.mapper = mapper;
    }

    static ObjectKey keyOf(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        return new ObjectKey(object.path("kind").asText(), metadata.path("namespace").asText(), metadata.path("name").asText());
    }

    /** A pass of {@link #writeChanged} soon, on the writer's thread (called after each output cycle). */
    void requestWrite() {
        if (queued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    queued.set(false);
                    try {
                        writeChanged();
                    } catch (RuntimeException e) {
                        LOG.warn("statuses not written ({}); tried again after the next output cycle", e.toString(), e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                queued.set(false); // closing: the last cycle's statuses are written by whoever runs next
            }
        }
    }

    /** Waits until the passes requested so far have run (tests, and a quiet operator). */
    boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
        try {
            thread.submit(() -> { }).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.RejectedExecutionException e) {
            return true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Patches every status that changed since it was last written. */
    void writeChanged() {
        for (ObjectNode object : table.objects(mapper)) {
            ObjectKey key = keyOf(object);
            JsonNode status = object.get("status");
            if (prior.differs(key, status)) {
                write(key, status);
            }
        }
    }

    private void write(ObjectKey key, JsonNode status) {
        KindDefinition<?> kind = KindRegistry.byKind(key.kind()).orElse(null);
        if (kind == null) {
            return;
        }
        // A JSON patch that sets /status whole: a merge patch would keep fields the new status no longer has.
        ArrayNode patch = mapper.createArrayNode();
        patch.addObject().put("op", "add").put("path", "/status").set("value", status);
        try {
            client.resources(kind.type()).inNamespace(key.namespace()).withName(key.name()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), patch.toString());
            prior.wrote(key, status);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                prior.forget(key); // deleted meanwhile: its cleanup follows
            } else {
                // Written again after the next cycle; the condition in the table still says what is true.
                LOG.warn("{}: status not written ({}); tried again after the next output cycle", key, e.getMessage());
            }
        }
    }
}
