package dev.lookout.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LookoutMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LookoutMetrics metrics = new LookoutMetrics(registry);

    @AfterEach
    void close() {
        metrics.close();
        registry.close();
    }

    private List<String> samples() {
        return registry.scrape().lines().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void exportsEveryOperatorSeriesUnderItsPrometheusName() {
        metrics.reconciled("ComfyProbe", Duration.ofMillis(250), true);
        metrics.reconciled("ComfyProbe", Duration.ofMillis(750), false);
        metrics.reconcileError("GpuNode");
        metrics.queueDepth(() -> 7);
        metrics.rendered(Duration.ofMillis(40), 11, true);
        metrics.reload("prometheus", "applied");
        metrics.changeToReload(Duration.ofMillis(800));
        metrics.resources("ComfyProbe", ready -> ready ? 3 : 1);

        assertThat(samples()).contains(
                "lookout_reconcile_total{kind=\"ComfyProbe\",result=\"success\"} 1.0",
                "lookout_reconcile_total{kind=\"ComfyProbe\",result=\"error\"} 1.0",
                "lookout_reconcile_total{kind=\"GpuNode\",result=\"error\"} 0.0",
                "lookout_reconcile_errors_total{kind=\"ComfyProbe\"} 1.0",
                "lookout_reconcile_errors_total{kind=\"GpuNode\"} 1.0",
                "lookout_reconcile_duration_seconds_count{kind=\"ComfyProbe\"} 2",
                "lookout_reconcile_duration_seconds_sum{kind=\"ComfyProbe\"} 1.0",
                "lookout_queue_depth 7.0",
                "lookout_renders_total{changed=\"true\"} 1.0",
                "lookout_renders_total{changed=\"false\"} 0.0",
                "lookout_render_duration_seconds_count 1",
                "lookout_rendered_files 11.0",
                "lookout_reloads_total{outcome=\"applied\",target=\"prometheus\"} 1.0",
                "lookout_reloads_total{outcome=\"rolled_back\",target=\"blackbox\"} 0.0",
                "lookout_change_to_reload_seconds_bucket{le=\"0.5\"} 0",
                "lookout_change_to_reload_seconds_bucket{le=\"1.0\"} 1",
                "lookout_change_to_reload_seconds_count 1",
                "lookout_last_change_to_reload_seconds 0.8",
                "lookout_resources{kind=\"ComfyProbe\",ready=\"true\"} 3.0",
                "lookout_resources{kind=\"ComfyProbe\",ready=\"false\"} 1.0");
    }

    @Test
    void bindsTheJvmAndProcessMeters() {
        assertThat(registry.scrape()).contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
                "process_cpu_usage", "process_uptime_seconds", "jvm_classes_loaded_classes");
    }

    @Test
    void queueDepthIsZeroUntilASupplierIsGivenAndTheLatestWins() {
        assertThat(samples()).contains("lookout_queue_depth 0.0");
        metrics.queueDepth(() -> 2);
        metrics.queueDepth(() -> 5);
        assertThat(samples()).contains("lookout_queue_depth 5.0");
    }

    @Test
    void refusesReloadLabelsOutsideTheFixedSet() {
        assertThatThrownBy(() -> metrics.reload("alertmanager", "applied"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[prometheus, blackbox]");
        assertThatThrownBy(() -> metrics.reload("prometheus", "ok")).hasMessageContaining("rolled_back");
    }
}
