package dev.lookout.directory;

import dev.lookout.config.OperatorConfig;
import dev.lookout.docker.DockerHosts;
import dev.lookout.docker.DockerSettings;
import dev.lookout.engine.Engine;
import dev.lookout.render.PrometheusRenderer;
import dev.lookout.render.RenderInput;
import dev.lookout.runtime.OperatorCore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lookout run --watch DIR}, assembled: the directory source feeds the engine; the engine writes the
 * outputs under {@code outRoot} and reloads Prometheus and blackbox; the HTTP endpoint serves metrics,
 * health and the resources. {@link #close()} shuts down in order: stop watching, finish the cycle in
 * progress, save the state, stop serving.
 */
public final class DirectoryOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryOperator.class);

    /**
     * @param promtool  promtool to check outputs with; null: look it up (PATH, Lookout's cache), absent means skip
     * @param checks    Lookout's own checks of the rendered tree; false only in tests that need a bad output
     *                  to get further (promtool, or Prometheus itself)
     * @param usePromtool false only in tests that need a bad output to reach Prometheus
     * @param renderer  the renderer; tests may wrap it to inject an output only Prometheus refuses
     */
    public record Options(Path watch, OperatorConfig config, Path configFile, Path outRoot, Path stateDir,
                          InetSocketAddress listen, Path promtool, boolean checks, boolean usePromtool,
                          Function<RenderInput, PrometheusRenderer.Result> renderer,
                          DirectorySource.Settings source, Engine.Settings engine, DockerSettings docker) {
        public Options withRenderer(Function<RenderInput, PrometheusRenderer.Result> r) {
            return new Options(watch, config, configFile, outRoot, stateDir, listen, promtool, checks, usePromtool, r, source, engine, docker);
        }

        public Options withPromtool(Path p) {
            return new Options(watch, config, configFile, outRoot, stateDir, listen, p, checks, usePromtool, renderer, source, engine, docker);
        }

        public Options withResync(Duration every) {
            DirectorySource.Settings s = new DirectorySource.Settings(source.quiet(), source.maxDelay(), source.settle(), every);
            return new Options(watch, config, configFile, outRoot, stateDir, listen, promtool, checks, usePromtool, renderer, s, engine, docker);
        }

        /** Lookout's own checks off, promtool still on. */
        public Options withoutOwnChecks() {
            return new Options(watch, config, configFile, outRoot, stateDir, listen, promtool, false, usePromtool, renderer, source, engine, docker);
        }

        /** Every check off, so that a planted output reaches Prometheus. */
        public Options withoutChecks() {
            return new Options(watch, config, configFile, outRoot, stateDir, listen, promtool, false, false, renderer, source, engine, docker);
        }

        public Options withDocker(DockerSettings d) {
            return new Options(watch, config, configFile, outRoot, stateDir, listen, promtool, checks, usePromtool, renderer, source, engine, d);
        }

        /** What the run modes share (everything but the folder and how it is watched). */
        public OperatorCore.Parts core() {
            return new OperatorCore.Parts(config, configFile, outRoot, stateDir, listen, promtool, checks, usePromtool, renderer,
                    engine, docker);
        }

        public static Options of(Path watch, OperatorConfig config, Path configFile, Path outRoot, Path stateDir, InetSocketAddress listen) {
            PrometheusRenderer renderer = new PrometheusRenderer();
            return new Options(watch, config, configFile, outRoot, stateDir, listen, null, true, true, renderer::render,
                    DirectorySource.Settings.DEFAULT, Engine.Settings.DEFAULT, DockerSettings.defaults());
        }
    }

    private final OperatorCore core;
    private final DirectorySource source;

    private DirectoryOperator(OperatorCore core, DirectorySource source) {
        this.core = core;
        this.source = source;
    }

    public static DirectoryOperator start(Options o) throws IOException {
        OperatorCore core = OperatorCore.start(o.core());
        Deque<AutoCloseable> started = new ArrayDeque<>();
        started.push(core);
        try {
            Engine engine = core.engine();
            DirectorySource source = new DirectorySource(o.watch(), snapshot -> {
                engine.accept(snapshot);
                core.ownersKnown();
            }, engine::requeueReaders, o.source(), Clock.systemUTC());
            started.push(source);
            core.serve();
            source.start();
            LOG.info("watching {}; outputs in {}; state in {}; http://{}:{}/ (metrics, healthz, readyz, api/v1/resources)",
                    o.watch().toAbsolutePath(), core.outRoot(), o.stateDir().toAbsolutePath(), o.listen().getHostString(),
                    core.httpPort());
            return new DirectoryOperator(core, source);
        } catch (IOException | RuntimeException e) {
            OperatorCore.closeAll(started, e);
            throw e;
        }
    }

    /** Waits until the folder's changes are all published and the engine is quiet (tests and benches). */
    public boolean awaitQuiet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            while (!source.idle() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            if (!core.engine().awaitQuiet(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                return false;
            }
        } while (!source.idle() && System.nanoTime() < deadline);
        return source.idle();
    }

    public Engine engine() {
        return core.engine();
    }

    /** The Docker hosts and what Lookout has seen on them (tests and benches). */
    public DockerHosts hosts() {
        return core.hosts();
    }

    public int httpPort() {
        return core.httpPort();
    }

    public PrometheusMeterRegistry registry() {
        return core.registry();
    }

    @Override
    public void close() throws Exception {
        source.close();
        core.close();
    }
}
