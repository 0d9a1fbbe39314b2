package dev.lookout.artifacts;

import dev.lookout.artifacts.stack.ComfyStandIn;
import dev.lookout.artifacts.stack.LocalStack;
import dev.lookout.artifacts.stack.PrometheusApi;
import dev.lookout.artifacts.stack.Spread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * How long a new ComfyUI container waits for its first probe in the shipped compose stack, on the real engine:
 * the stack up as {@code make up} brings it (images built here, ComfyProbe at a 1 s interval), then N times
 * (default 10, at most 50) a new ComfyUI-like container is started and timed from its start (the engine's
 * State.StartedAt) to
 * <ol>
 *   <li>its target in Lookout's file_sd file (the file's mtime when it first holds the target: Lookout writes it
 *       atomically, and nothing else changes it meanwhile), and</li>
 *   <li>its first probe in Prometheus (the timestamp of its first probe_success sample),</li>
 * </ol>
 * then removed, its target gone from the file before the next start. Then M (3) crashes of one container that its
 * restart policy brings back: whether its target stays in the file, and its new start to its next successful probe.
 * Prints each run and the median, p90 and max. Needs root: it reads the file in the volume's folder on the host.
 * Arguments: [starts]. Run with {@code make bench-stack}.
 */
public final class StackFirstProbeBench {
    static final int MAX_STARTS = 50;
    static final int RESTARTS = 3;
    static final Duration STEP_LIMIT = Duration.ofSeconds(60);

    /** One start: when the container started, when its target was written, when it was first probed. */
    record FirstProbe(Instant started, Instant written, Instant probed, double value) {
        Duration toFile() {
            return Duration.between(started, written);
        }

        Duration fileToProbe() {
            return Duration.between(written, probed);
        }

        Duration toProbe() {
            return Duration.between(started, probed);
        }
    }

    private StackFirstProbeBench() {
    }

    public static void main(String[] args) throws Exception {
        int starts = Math.min(MAX_STARTS, args.length > 0 ? Integer.parseInt(args[0]) : 10);
        Instant t0 = Instant.now();
        try (LocalStack stack = LocalStack.start()) {
            System.out.printf("stack %s up in %s%n", stack.id(), Spread.seconds(Duration.between(t0, Instant.now())));
            PrometheusApi prometheus = stack.prometheus();
            Path file = stack.targetsFile();
            List<FirstProbe> runs = new ArrayList<>();
            for (int i = 1; i <= starts; i++) {
                try (ComfyStandIn comfy = stack.startComfy()) {
                    FirstProbe run = firstProbe(comfy, file, prometheus);
                    runs.add(run);
                    System.out.printf("start %2d: file +%s, first probe +%s (file → probe %s, probe_success %.0f)%n", i,
                            Spread.seconds(run.toFile()), Spread.seconds(run.toProbe()), Spread.seconds(run.fileToProbe()), run.value());
                }
                awaitFile(file, text -> !text.contains("lookout-test-comfy-"), "the removed container's target to leave the file");
            }
            System.out.println();
            System.out.println("container start → target in the file_sd file:  " + Spread.of(runs.stream().map(FirstProbe::toFile).toList()));
            System.out.println("target in the file → first probe sample:      " + Spread.of(runs.stream().map(FirstProbe::fileToProbe).toList()));
            System.out.println("container start → first probe sample:         " + Spread.of(runs.stream().map(FirstProbe::toProbe).toList()));
            restarts(stack, file, prometheus);
        }
    }

    private static FirstProbe firstProbe(ComfyStandIn comfy, Path file, PrometheusApi prometheus) throws IOException {
        Instant started = comfy.startedAt();
        awaitFile(file, text -> text.contains(comfy.target()), "the target of " + comfy.name() + " in the file");
        Instant written = Files.getLastModifiedTime(file).toInstant();
        PrometheusApi.Sample first = awaitSample(prometheus, comfy, started, sample -> true);
        return new FirstProbe(started, written, first.time(), first.value());
    }

    /**
     * A container that crashes and is restarted by its restart policy stays a target ("restarting" is not "stopped"):
     * the file is not rewritten, and Prometheus probes it on its next interval, with no discovery to wait for.
     */
    private static void restarts(LocalStack stack, Path file, PrometheusApi prometheus) throws IOException {
        try (ComfyStandIn comfy = stack.startComfy()) {
            firstProbe(comfy, file, prometheus);
            awaitSample(prometheus, comfy, Instant.now(), sample -> sample.value() == 1.0);
            List<Duration> backUp = new ArrayList<>();
            for (int i = 1; i <= RESTARTS; i++) {
                Instant writtenBefore = Files.getLastModifiedTime(file).toInstant();
                int restartsBefore = comfy.restartCount();
                comfy.crashOnce();
                Awaitility.await(comfy.name() + " restarted by its policy").atMost(STEP_LIMIT).pollInterval(Duration.ofMillis(50))
                        .until(() -> comfy.restartCount() > restartsBefore && comfy.state().startsWith("running"));
                Instant started = comfy.startedAt();
                PrometheusApi.Sample up = awaitSample(prometheus, comfy, started, sample -> sample.value() == 1.0);
                boolean rewritten = !Files.getLastModifiedTime(file).toInstant().equals(writtenBefore);
                backUp.add(Duration.between(started, up.time()));
                System.out.printf("crash-restart %d: probe_success 1 again +%s after its new start; targets file %s%n", i,
                        Spread.seconds(backUp.get(i - 1)), rewritten ? "REWRITTEN (the target left and came back)" : "untouched");
            }
            System.out.println("crash-restart → next successful probe:        " + Spread.of(backUp));
        }
    }

    /** Polls the file every 5 ms (a read of a few hundred bytes) until its text satisfies {@code condition}. */
    private static void awaitFile(Path file, Predicate<String> condition, String what) {
        Awaitility.await(what).atMost(STEP_LIMIT).pollInterval(Duration.ofMillis(5)).pollDelay(Duration.ZERO)
                .until(() -> condition.test(read(file)));
    }

    /** The first probe_success sample of {@code comfy} taken at or after {@code after} that {@code wanted} accepts. */
    private static PrometheusApi.Sample awaitSample(PrometheusApi prometheus, ComfyStandIn comfy, Instant after,
                                                    Predicate<PrometheusApi.Sample> wanted) {
        String selector = "probe_success{container=\"" + comfy.name() + "\"}";
        List<Optional<PrometheusApi.Sample>> found = new ArrayList<>(List.of(Optional.empty()));
        Awaitility.await("a probe of " + comfy.name() + " after " + after).atMost(STEP_LIMIT)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    found.set(0, prometheus.samples(selector, Duration.ofMinutes(5)).stream()
                            .filter(s -> !s.time().isBefore(after)).filter(wanted).findFirst());
                    return found.get(0).isPresent();
                });
        return found.get(0).orElseThrow();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (the bench reads the volume's folder: run it as root)", e);
        }
    }
}
