package dev.lookout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.http.PrinterColumn;
import dev.lookout.http.ResourceKind;
import dev.lookout.http.ResourceKinds;
import org.junit.jupiter.api.Test;

class ColumnPathTest {
    private static final JsonNode OBJECT = read("""
            {"spec": {"host": "gpu-01", "exporter": {"mode": "native"}},
             "status": {"targetCount": 5, "ok": null,
                        "conditions": [{"type": "Synced", "status": "True"},
                                       {"type": "Ready", "status": "False", "reason": "TargetsDown"}]}}
            """);

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String eval(String path) {
        return ColumnPath.parse(path).evaluate(OBJECT).map(JsonNode::asText).orElse("<missing>");
    }

    @Test
    void followsFieldSteps() {
        assertThat(eval(".spec.host")).isEqualTo("gpu-01");
        assertThat(eval(".spec.exporter.mode")).isEqualTo("native");
        assertThat(eval(".status.targetCount")).isEqualTo("5");
    }

    @Test
    void filtersAListByAFieldAndTakesTheFirstMatch() {
        assertThat(eval(".status.conditions[?(@.type==\"Ready\")].status")).isEqualTo("False");
        assertThat(eval(".status.conditions[?(@.type=='Ready')].reason")).isEqualTo("TargetsDown");
    }

    @Test
    void missingFieldsNullsAndNoMatchAreNothing() {
        assertThat(eval(".spec.nope")).isEqualTo("<missing>");
        assertThat(eval(".status.ok")).isEqualTo("<missing>");
        assertThat(eval(".status.conditions[?(@.type==\"Gone\")].status")).isEqualTo("<missing>");
        assertThat(eval(".spec.host[?(@.type==\"Ready\")].status")).isEqualTo("<missing>");
    }

    @Test
    void refusesShapesItDoesNotEvaluate() {
        assertThatThrownBy(() -> ColumnPath.parse(".status.conditions[0].status"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at offset 18");
        assertThatThrownBy(() -> ColumnPath.parse("spec.host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ColumnPath.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesEveryPrinterColumnOfTheCommittedCrds() {
        for (ResourceKind kind : ResourceKinds.fromCrds().all()) {
            for (PrinterColumn column : kind.columns()) {
                assertThat(ColumnPath.parse(column.jsonPath())).as(kind.plural() + " " + column.name()).isNotNull();
            }
        }
    }
}
