package dev.lookout.prometheus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.api.ObjectKey;
import dev.lookout.kubernetes.monitoring.MonitoringObjects;
import dev.lookout.render.PrometheusRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import java.io.IOException;
import java.util.Optional;

/**
 * The same {@code promtool test rules} cases as {@link AlertRulesTest}, on the groups of the PrometheusRules that
 * {@code prometheus.mode: operator} makes for examples/ (what prometheus-operator writes into Prometheus's rule files):
 * each alert fires on exactly the series its scrape job produces, in either mode.
 */
class PrometheusRuleAlertsTest extends AlertRulesTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Override
    String ruleText(String ruleFile) throws IOException {
        PrometheusRenderer.Result result = Rendering.renderInOperatorMode("examples");
        MonitoringObjects objects = new MonitoringObjects(Rendering.operatorModeConfig("examples"), "monitoring");
        for (ObjectKey key : result.outputs().keySet()) {
            if (!(JobNames.fileStem(key) + ".yml").equals(ruleFile)) {
                continue;
            }
            for (HasMetadata o : objects.of(key, result.outputs().get(key), result.tree(), Optional.empty())) {
                if (o instanceof PrometheusRule rule) {
                    ObjectNode file = RenderYaml.object();
                    file.set("groups", RenderYaml.parse(SERIALIZATION.asJson(rule.getSpec())).get("groups"));
                    return RenderYaml.yaml(file);
                }
            }
        }
        throw new AssertionError("no PrometheusRule for " + ruleFile);
    }
}
