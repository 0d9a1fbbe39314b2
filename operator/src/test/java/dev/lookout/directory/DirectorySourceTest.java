package dev.lookout.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.engine.SourceSnapshot;
import dev.lookout.kind.LoadedResource;
import dev.lookout.testing.Manifests;
import dev.lookout.validation.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real inotify watch of the JDK: files are written as editors and tools write them. */
class DirectorySourceTest {
    static String probe(String name) {
        return """
                apiVersion: lookout.dev/v1alpha1
                kind: ComfyProbe
                metadata:
                  name: %s
                spec:
                  targets:
                    - url: http://comfy:8188
                """.formatted(name);
    }

    @TempDir
    Path dir;
    final LinkedBlockingQueue<SourceSnapshot> snapshots = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Path> otherFiles = new LinkedBlockingQueue<>();
    DirectorySource source;

    void start(DirectorySource.Settings settings) throws IOException {
        source = new DirectorySource(dir, snapshots::add, otherFiles::add, settings, Clock.systemUTC());
        source.start();
    }

    void start() throws IOException {
        start(DirectorySource.Settings.DEFAULT);
    }

    @AfterEach
    void stop() throws Exception {
        if (source != null) {
            source.close();
        }
    }

    @org.junit.jupiter.api.Test
    void aChangedFileThatIsNoManifestIsToldAndMakesNoSnapshot() throws Exception {
        start();
        next(); // the first, empty
        java.nio.file.Files.writeString(dir.resolve("proxy_common.conf"), "proxy_read_timeout 60s;\n");
        assertThat(otherFiles.poll(5, TimeUnit.SECONDS)).isEqualTo(dir.resolve("proxy_common.conf"));
        otherFiles.clear();
        java.nio.file.Files.delete(dir.resolve("proxy_common.conf"));
        assertThat(otherFiles.poll(5, TimeUnit.SECONDS)).as("a deleted one too").isEqualTo(dir.resolve("proxy_common.conf"));
        assertThat(snapshots.poll(300, TimeUnit.MILLISECONDS)).as("no manifest changed").isNull();
    }

    SourceSnapshot next() throws InterruptedException {
        SourceSnapshot s = snapshots.poll(5, TimeUnit.SECONDS);
        assertThat(s).as("a snapshot within 5 s").isNotNull();
        return s;
    }

    static List<String> names(SourceSnapshot s) {
        return s.manifests().resources().stream().map(LoadedResource::key).map(k -> k.name()).toList();
    }

    @Test
    void theFirstSnapshotIsPublishedBeforeStartReturns() throws Exception {
        Manifests.write(dir, "a.yaml", probe("a"));
        Manifests.write(dir, "sub/b.yml", probe("b"));
        start();
        assertThat(snapshots).hasSize(1);
        assertThat(names(next())).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void createEditAndDeleteArePublished() throws Exception {
        start();
        assertThat(names(next())).isEmpty();
        Manifests.write(dir, "a.yaml", probe("a"));
        assertThat(names(next())).containsExactly("a");
        Manifests.write(dir, "a.yaml", probe("renamed"));
        assertThat(names(next())).containsExactly("renamed");
        Files.delete(dir.resolve("a.yaml"));
        assertThat(names(next())).isEmpty();
    }

    @Test
    void aNewSubFolderIsWatchedWithWhatWasAlreadyInIt() throws Exception {
        start();
        next();
        Path staged = Files.createTempDirectory("staged");
        Manifests.write(staged, "c.yaml", probe("c"));
        Files.move(staged, dir.resolve("team"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(names(next())).containsExactly("c");
        Manifests.write(dir, "team/d.yaml", probe("d"));
        assertThat(names(next())).containsExactlyInAnyOrder("c", "d");
    }

    @Test
    void editorSwapAndBackupFilesAreIgnored() throws Exception {
        Manifests.write(dir, "a.yaml", probe("a"));
        start();
        next();
        Files.writeString(dir.resolve(".a.yaml.swp"), "\u0000binary swap");
        Files.writeString(dir.resolve("4913"), "");
        Files.writeString(dir.resolve("a.yaml~"), "kind: [old");
        Files.writeString(dir.resolve(".#a.yaml"), "lock");
        Files.writeString(dir.resolve("a.yaml___jb_tmp___"), "kind: [half");
        assertThat(snapshots.poll(300, TimeUnit.MILLISECONDS)).isNull();
        // The common "write a temp file, rename it over the original" save:
        Path temp = dir.resolve(".a.yaml.tmp");
        Files.writeString(temp, probe("saved"));
        Files.move(temp, dir.resolve("a.yaml"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        SourceSnapshot s = next();
        assertThat(names(s)).containsExactly("saved");
        assertThat(s.manifests().problems()).isEmpty();
    }

    @Test
    void aPartialWriteIsNotReportedAsAnError() throws Exception {
        start();
        next();
        String full = probe("slow");
        try (var out = Files.newOutputStream(dir.resolve("slow.yaml"))) {
            out.write(full.substring(0, 60).getBytes(StandardCharsets.UTF_8)); // cut inside "metadata:" … a broken document
            out.flush();
            Thread.sleep(150);
            out.write(full.substring(60).getBytes(StandardCharsets.UTF_8));
        }
        SourceSnapshot s = next();
        assertThat(s.manifests().errors()).isEmpty();
        assertThat(names(s)).containsExactly("slow");
    }

    @Test
    void aFileThatStaysBrokenIsReportedOnceItSettled() throws Exception {
        start(new DirectorySource.Settings(Duration.ofMillis(15), Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofMinutes(5)));
        next();
        Files.writeString(dir.resolve("bad.yaml"), "kind: [unclosed\n");
        SourceSnapshot s = next();
        assertThat(s.manifests().errors()).extracting(Problem::file).containsExactly(dir.resolve("bad.yaml").toAbsolutePath());
        assertThat(s.unreadableFiles()).containsExactly(dir.resolve("bad.yaml").toAbsolutePath());
    }

    @Test
    void aBurstOfWritesBecomesFewSnapshots() throws Exception {
        start();
        next();
        for (int i = 0; i < 300; i++) {
            Manifests.write(dir, "p" + i + ".yaml", probe("p" + i));
        }
        List<SourceSnapshot> seen = new ArrayList<>();
        SourceSnapshot s;
        do {
            s = next();
            seen.add(s);
        } while (s.manifests().resources().size() < 300);
        assertThat(seen.size()).as("snapshots for a burst of 300 files").isLessThanOrEqualTo(3);
        assertThat(snapshots.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
}
