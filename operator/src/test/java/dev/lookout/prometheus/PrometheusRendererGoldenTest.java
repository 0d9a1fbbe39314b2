package dev.lookout.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole-file golden comparison, one folder per scenario under src/test/resources/golden/: the tree in
 * {@code expected/} must equal the render byte for byte. {@code -Dgolden.update=true} rewrites it.
 */
class PrometheusRendererGoldenTest {
    static final Path GOLDEN = Rendering.REPO.resolve("operator/src/test/resources/golden");

    static Stream<String> scenarios() throws IOException {
        try (Stream<Path> dirs = Files.list(GOLDEN)) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("input"))).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rendersTheScenarioAsPinned(String scenario) throws IOException {
        Path dir = GOLDEN.resolve(scenario);
        assertMatchesGolden(Rendering.renderScenario(dir).tree(), dir.resolve("expected"));
    }

    @Test
    void rendersTheExamplesAsPinned() throws IOException {
        assertMatchesGolden(Rendering.renderExamples().tree(), GOLDEN.resolve("examples/expected"));
    }

    static void assertMatchesGolden(OutputTree tree, Path expected) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            if (Files.exists(expected)) {
                try (Stream<Path> walk = Files.walk(expected)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            for (RenderedFile file : tree.files()) {
                Path target = expected.resolve(file.path());
                Files.createDirectories(target.getParent());
                Files.write(target, file.bytes());
            }
        }
        TreeSet<String> goldenFiles = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(expected)) {
            walk.filter(Files::isRegularFile).forEach(p -> goldenFiles.add(expected.relativize(p).toString()));
        }
        List<String> rendered = tree.files().stream().map(RenderedFile::path).toList();
        assertThat(rendered).as("files rendered vs %s (regenerate with -Dgolden.update=true)", expected)
                .containsExactlyElementsOf(goldenFiles);
        for (RenderedFile file : tree.files()) {
            assertThat(file.text()).as("%s/%s", expected, file.path())
                    .isEqualTo(Files.readString(expected.resolve(file.path())));
        }
    }
}
