package dev.lookout.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lookout.validation.FieldPath;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class YamlDocumentReaderTest {
    private static final Path FILE = Path.of("test.yaml");
    private final YamlDocumentReader reader = new YamlDocumentReader();

    @Test
    void readsEveryDocumentWithItsLines() {
        var result = reader.read(FILE, """
                # comment
                a: 1
                ---
                b:
                  c: [x, y]
                  d:
                    - e: 1
                ---
                """);
        assertThat(result.problems()).isEmpty();
        assertThat(result.documents()).hasSize(2);
        YamlDocument second = result.documents().get(1);
        assertThat(second.line()).isEqualTo(4);
        assertThat(second.lines().lineOf(FieldPath.of("b", "c"))).isEqualTo(5);
        assertThat(second.lines().lineOf(FieldPath.of("b", "d").index(0).child("e"))).isEqualTo(7);
        assertThat(second.lines().lineOf(FieldPath.of("b", "missing"))).as("absent field: nearest ancestor").isEqualTo(4);
    }

    @Test
    void keepsPortPairsAndDatesAsStringsLikeKubectl() {
        var doc = reader.read(FILE, "publish: 8443:443\nday: 2026-01-01\nversion: 0.2.4\nbig: 0x1F\non: yes\n").documents().get(0);
        assertThat(doc.root().get("publish").isTextual()).isTrue();
        assertThat(doc.root().get("publish").asText()).isEqualTo("8443:443");
        assertThat(doc.root().get("day").asText()).isEqualTo("2026-01-01");
        assertThat(doc.root().get("version").asText()).isEqualTo("0.2.4");
        assertThat(doc.root().get("big").asInt()).isEqualTo(31);
        assertThat(doc.root().get("on").asBoolean()).isTrue();
    }

    @Test
    void typesNumbersBooleansAndNulls() {
        var root = reader.read(FILE, "i: 42\nf: 0.95\ne: 1e3\nt: true\nn: ~\ns: '42'\n").documents().get(0).root();
        assertThat(root.get("i").isInt()).isTrue();
        assertThat(root.get("f").asDouble()).isEqualTo(0.95);
        assertThat(root.get("e").asDouble()).isEqualTo(1000.0);
        assertThat(root.get("t").isBoolean()).isTrue();
        assertThat(root.get("n").isNull()).isTrue();
        assertThat(root.get("s").isTextual()).isTrue();
    }

    @Test
    void expandsAnchorsAliasesAndMergeKeys() {
        var root = reader.read(FILE, """
                base: &base {interval: 30s, timeout: 10s}
                probe:
                  <<: *base
                  timeout: 5s
                list: [*base]
                """).documents().get(0).root();
        assertThat(root.at("/probe/interval").asText()).isEqualTo("30s");
        assertThat(root.at("/probe/timeout").asText()).as("explicit key wins over merged").isEqualTo("5s");
        assertThat(root.at("/list/0/timeout").asText()).isEqualTo("10s");
    }

    @Test
    void rejectsAnAliasBombQuicklyWithItsLine() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [");
            bomb.append(String.join(",", java.util.Collections.nCopies(9, "*" + p)));
            bomb.append("]\n");
        }
        var result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> reader.read(FILE, bomb.toString()),
                "an alias bomb must be refused, not expanded");
        assertThat(result.documents()).isEmpty();
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).message()).containsAnyOf("aliases", "alias");
    }

    @Test
    void rejectsAnExponentialBombWithinTheAliasLimit() {
        // 2 aliases per level stay far below the alias count limit, yet expand to 2^40 nodes.
        StringBuilder bomb = new StringBuilder("l0: &l0 [x, x]\n");
        for (int i = 1; i <= 40; i++) {
            bomb.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        var result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> reader.read(FILE, bomb.toString()));
        assertThat(result.documents()).isEmpty();
        assertThat(result.problems().get(0).message()).contains("expands to more than");
    }

    @Test
    void rejectsDuplicateKeysWithTheSecondKeysLine() {
        var result = reader.read(FILE, "spec:\n  port: 1\n  port: 2\n");
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("duplicate key \"port\"");
        });
    }

    @Test
    void reportsSyntaxErrorsWithLineAndKeepsEarlierDocuments() {
        var result = reader.read(FILE, "a: 1\n---\nb: [1, 2\nc: 3\n");
        assertThat(result.documents()).hasSize(1);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).startsWith("invalid YAML: ");
            assertThat(p.line()).isBetween(3, 5);
        });
    }

    @Test
    void rejectsRecursiveAliases() {
        var result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> reader.read(FILE, "a: &a [*a]\n"));
        assertThat(result.documents()).isEmpty();
        assertThat(result.problems()).hasSize(1);
    }
}
