package dev.lookout.artifacts.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, headless, for pages on 127.0.0.1: the DOM as the browser built it, and a screenshot.
 * Every name but 127.0.0.1 resolves to nothing and background traffic (updates, sync, Safe Browsing) is off,
 * so the browser reaches nothing beyond the machine.
 */
final class HeadlessChromium {
    static final Path DEFAULT = Path.of("/usr/bin/chromium");

    private final Path executable;
    private final Path profile;

    HeadlessChromium(Path executable, Path profile) {
        this.executable = executable;
        this.profile = profile;
    }

    /** The chromium to use: $LOOKOUT_CHROMIUM, else Debian's; empty when neither is there. */
    static java.util.Optional<Path> locate() {
        String configured = System.getenv("LOOKOUT_CHROMIUM");
        Path path = configured == null || configured.isBlank() ? DEFAULT : Path.of(configured);
        return Files.isExecutable(path) ? java.util.Optional.of(path) : java.util.Optional.empty();
    }

    /** {@code --dump-dom}: the document after the browser loaded it, serialised. */
    String dom(String url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url));
    }

    /** A PNG of the page at {@code width}×{@code height}. */
    void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars", url));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private String run(List<String> what) throws IOException, InterruptedException {
        Files.createDirectories(profile);
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--user-data-dir=" + profile,
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"));
        command.addAll(what);
        Path stderr = Files.createTempFile(profile.getParent(), "chromium", ".log");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("chromium did not finish within 60 s: " + Files.readString(stderr));
        }
        if (process.exitValue() != 0) {
            throw new IOException("chromium exited " + process.exitValue() + ": " + Files.readString(stderr));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
