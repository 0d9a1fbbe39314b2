package dev.lookout.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * The real Prometheus ({@link Tools#prometheus()}) for a test: listening on 127.0.0.1 only, on a free port,
 * TSDB and log in its own temp folder, reading the given config file. It answers what the operator's run
 * loop will see: reloads, the reload gauge, targets, queries.
 */
public final class PrometheusProcess implements AutoCloseable {
    /** Startup is a second or two; a loaded CI machine gets ten times that. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerProcess server;
    private final String prefix;

    /**
     * @param lifecycle    {@code --web.enable-lifecycle}: without it {@code POST -/reload} answers 403
     * @param routePrefix  {@code --web.route-prefix}, such as {@code /prom}, or null for none
     * @param readyTimeout how long startup may take: loading thousands of jobs takes Prometheus seconds
     */
    public record Options(boolean lifecycle, String routePrefix, Duration readyTimeout) {
        public static final Options DEFAULT = new Options(true, null, READY_TIMEOUT);

        public Options withoutLifecycle() {
            return new Options(false, routePrefix, readyTimeout);
        }

        public Options withRoutePrefix(String prefix) {
            return new Options(lifecycle, prefix, readyTimeout);
        }

        public Options withReadyTimeout(Duration timeout) {
            return new Options(lifecycle, routePrefix, timeout);
        }
    }

    private PrometheusProcess(ServerProcess server, String prefix) {
        this.server = server;
        this.prefix = prefix;
    }

    /** Starts Prometheus with reloads enabled; skips (fails in CI) when it is not installed. */
    public static PrometheusProcess start(Path configFile) {
        return start(configFile, Options.DEFAULT);
    }

    public static PrometheusProcess start(Path configFile, Options options) {
        Path binary = Tools.require(Tools.prometheus(), "prometheus");
        String prefix = options.routePrefix() == null ? "" : options.routePrefix().replaceAll("^/+|/+$", "");
        ServerProcess server = ServerProcess.start("prometheus", (port, dir) -> {
            List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                    "--config.file=" + configFile.toAbsolutePath(),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=" + ServerProcess.HOST + ":" + port));
            if (options.lifecycle()) {
                cmd.add("--web.enable-lifecycle");
            }
            if (!prefix.isEmpty()) {
                cmd.add("--web.route-prefix=/" + prefix);
                cmd.add("--web.external-url=http://" + ServerProcess.HOST + ":" + port + "/" + prefix);
            }
            return cmd;
        }, prefix.isEmpty() ? "-/ready" : prefix + "/-/ready", options.readyTimeout());
        return new PrometheusProcess(server, prefix.isEmpty() ? "" : prefix + "/");
    }

    /** {@code http://127.0.0.1:PORT/} plus the route prefix: what Lookout's config would name. */
    public URI uri() {
        return server.uri().resolve(prefix);
    }

    public int port() {
        return server.port();
    }

    /** GET of an HTTP API path under {@link #uri()} ({@code api/v1/targets?state=active}): the whole JSON answer. */
    public JsonNode api(String pathAndQuery) {
        String body = server.get(prefix + (pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery));
        try {
            JsonNode answer = JSON.readTree(body);
            if (!"success".equals(answer.path("status").asText())) {
                throw new AssertionError("GET " + pathAndQuery + " did not succeed: " + body);
            }
            return answer;
        } catch (JsonProcessingException e) {
            throw new AssertionError("GET " + pathAndQuery + " is not JSON: " + body, e);
        }
    }

    /** {@code data.activeTargets} of {@code /api/v1/targets}. */
    public List<JsonNode> activeTargets() {
        List<JsonNode> targets = new ArrayList<>();
        api("api/v1/targets?state=active").path("data").path("activeTargets").forEach(targets::add);
        return targets;
    }

    /** The jobs that have at least one active target (a job whose file_sd file is empty has none). */
    public SortedSet<String> jobNames() {
        SortedSet<String> jobs = new TreeSet<>();
        activeTargets().forEach(t -> jobs.add(t.path("scrapePool").asText()));
        return jobs;
    }

    /** Every configured scrape pool (job), targets or not: what the loaded config holds. */
    public SortedSet<String> scrapePools() {
        SortedSet<String> pools = new TreeSet<>();
        api("api/v1/scrape_pools").path("data").path("scrapePools").forEach(p -> pools.add(p.asText()));
        return pools;
    }

    /** The alerting and recording rule groups loaded, by name. */
    public SortedSet<String> ruleGroups() {
        SortedSet<String> groups = new TreeSet<>();
        api("api/v1/rules").path("data").path("groups").forEach(g -> groups.add(g.path("name").asText()));
        return groups;
    }

    /** An instant query; the elements of its result vector ({@code metric}, {@code value}). */
    public List<JsonNode> query(String promql) {
        JsonNode data = api("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data");
        if (!"vector".equals(data.path("resultType").asText())) {
            throw new AssertionError("not an instant vector: " + promql + " → " + data);
        }
        List<JsonNode> result = new ArrayList<>();
        data.path("result").forEach(result::add);
        return result;
    }

    /** Polls until {@code condition} holds, at most {@code atMost}; a timeout fails with Prometheus' log. */
    public void awaitTrue(String what, Callable<Boolean> condition, Duration atMost) {
        server.await(what, condition, atMost);
    }

    /** Everything Prometheus logged so far: a rejected reload names the bad file only here. */
    public String log() {
        return server.log();
    }

    public boolean alive() {
        return server.alive();
    }

    @Override
    public void close() {
        server.close();
    }
}
