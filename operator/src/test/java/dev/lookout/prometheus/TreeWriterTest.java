package dev.lookout.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeWriterTest {
    @TempDir
    Path out;

    private static OutputTree tree(RenderedFile... files) {
        OutputTree tree = new OutputTree();
        for (RenderedFile f : files) {
            tree.add(f);
        }
        return tree;
    }

    @Test
    void writesFilesAndSecretsWithMode0600() throws IOException {
        TreeWriter.Changes changes = new TreeWriter().write(tree(
                RenderedFile.text("prometheus/scrape/a.yml", "scrape_configs: []\n"),
                RenderedFile.secret("prometheus/secrets/ns.s.k", "pw".getBytes())), out);
        assertThat(changes.written()).containsExactly("prometheus/scrape/a.yml", "prometheus/secrets/ns.s.k");
        assertThat(Files.readString(out.resolve("prometheus/scrape/a.yml"))).isEqualTo("scrape_configs: []\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("prometheus/secrets/ns.s.k"))))
                .isEqualTo("rw-------");
        try (var files = Files.list(out.resolve("prometheus/scrape"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.yml"); // no temp file left behind
        }
    }

    @Test
    void groupReadableSecretsAre0640AndAModeChangeIsPutRightWithoutNewBytes() throws IOException {
        OutputTree tree = tree(RenderedFile.secret("prometheus/secrets/ns.s.k", "pw".getBytes()),
                RenderedFile.text("prometheus/scrape/a.yml", "scrape_configs: []\n"));
        new TreeWriter().write(tree, out);
        TreeWriter.Changes changes = new TreeWriter(true).write(tree, out);
        assertThat(changes.written()).as("the same bytes, another mode").containsExactly("prometheus/secrets/ns.s.k");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("prometheus/secrets/ns.s.k"))))
                .isEqualTo("rw-r-----");
        assertThat(new TreeWriter(true).write(tree, out).any()).isFalse();
        assertThat(new TreeWriter().write(tree, out).written()).containsExactly("prometheus/secrets/ns.s.k");
    }

    @Test
    void unchangedBytesAreNotWrittenAgain() throws IOException {
        OutputTree tree = tree(RenderedFile.text("prometheus/rules/a.yml", "groups: []\n"));
        new TreeWriter().write(tree, out);
        long modified = Files.getLastModifiedTime(out.resolve("prometheus/rules/a.yml")).toMillis();
        TreeWriter.Changes again = new TreeWriter().write(tree, out);
        assertThat(again.any()).isFalse();
        assertThat(Files.getLastModifiedTime(out.resolve("prometheus/rules/a.yml")).toMillis()).isEqualTo(modified);
    }

    @Test
    void removesStaleFilesLookoutOwnsAndNothingElse() throws IOException {
        new TreeWriter().write(tree(RenderedFile.text("prometheus/scrape/old.yml", "x\n"),
                RenderedFile.text("prometheus/scrape/kept.yml", "y\n")), out);
        Files.writeString(out.resolve("prometheus/users-own.yml"), "mine\n");
        TreeWriter.Changes changes = new TreeWriter().write(tree(RenderedFile.text("prometheus/scrape/kept.yml", "y\n")), out);
        assertThat(changes.removed()).containsExactly("prometheus/scrape/old.yml");
        assertThat(out.resolve("prometheus/scrape/old.yml")).doesNotExist();
        assertThat(out.resolve("prometheus/users-own.yml")).exists();
    }
}
