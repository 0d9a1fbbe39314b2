package dev.lookout.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lookout.testing.DcgmFixture;
import dev.lookout.testing.PrometheusProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpositionParserTest {
    @Test
    void readsHelpTypeAndSamples() {
        Exposition e = ExpositionParser.parse("""
                # HELP http_requests_total Requests, by code.\\nSecond line with a \\\\ backslash and \\"quotes\\".
                # TYPE http_requests_total counter
                http_requests_total{method="post",code="200"} 1027 1395066363000
                http_requests_total{method="post",code="400"}    3 1395066363000
                # A comment that is neither HELP nor TYPE.
                # TYPE up gauge
                up 1
                """);

        assertThat(e.issues()).isEmpty();
        assertThat(e.types()).isEqualTo(Map.of("http_requests_total", MetricType.COUNTER, "up", MetricType.GAUGE));
        assertThat(e.help()).containsOnlyKeys("http_requests_total");
        assertThat(e.help().get("http_requests_total"))
                .isEqualTo("Requests, by code.\nSecond line with a \\ backslash and \\\"quotes\\\".");
        assertThat(e.samples()).containsExactly(
                new Sample("http_requests_total", Map.of("code", "200", "method", "post"), 1027),
                new Sample("http_requests_total", Map.of("code", "400", "method", "post"), 3),
                new Sample("up", Map.of(), 1));
    }

    @Test
    void labelValuesKeepEscapesCommasBracesAndSpaces() {
        Exposition e = ExpositionParser.parse(
                "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n"
                        + "x{a=\"}{,= \",b=\"\"} 2\n"
                        + "x{a=\"unknown \\t escape\"} 3\n");

        assertThat(e.issues()).isEmpty();
        assertThat(e.samples()).extracting(Sample::labels).containsExactly(
                Map.of("path", "C:\\DIR\\FILE.TXT", "error", "Cannot find file:\n\"FILE.TXT\""),
                Map.of("a", "}{,= ", "b", ""),
                Map.of("a", "unknown \\t escape"));
        assertThat(e.samples().get(0).value()).isEqualTo(1.458255915e9);
    }

    @Test
    void blanksAroundLabelsAndATrailingCommaAreAllowed() {
        Exposition e = ExpositionParser.parse("  x{ a = \"1\" ,\tb=\"2\", }\t3  \nx{} 4\ny{a=\"1\",} 5 -1\n");

        assertThat(e.issues()).isEmpty();
        assertThat(e.samples()).containsExactly(
                new Sample("x", Map.of("a", "1", "b", "2"), 3),
                new Sample("x", Map.of(), 4),
                new Sample("y", Map.of("a", "1"), 5));
    }

    @Test
    void labelsAreSortedByName() {
        Sample sample = ExpositionParser.parse("x{zeta=\"1\",alpha=\"2\",Mid=\"3\"} 1\n").samples().get(0);

        assertThat(sample.labels().keySet()).containsExactly("Mid", "alpha", "zeta");
        assertThat(sample.label("alpha")).isEqualTo("2");
        assertThat(sample.label("absent")).isNull();
    }

    @Test
    void readsSpecialValuesAndExponents() {
        Exposition e = ExpositionParser.parse("""
                a NaN
                b +Inf
                c -Inf
                d 1.5e-3
                e -2E+10
                f .5
                g 5.
                h -0
                i 18446744073709551615
                """);

        assertThat(e.issues()).isEmpty();
        assertThat(e.samples()).extracting(Sample::value).containsExactly(Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 0.0015, -2e10, 0.5, 5.0, -0.0, 1.8446744073709552E19);
    }

    @ParameterizedTest
    @CsvSource({"NaN,NaN", "nan,NaN", "+Inf,Infinity", "inf,Infinity", "Infinity,Infinity", "-Inf,-Infinity",
            "-infinity,-Infinity", "0,0.0", "+7,7.0", "3.25,3.25", "1e3,1000.0", "2.5E-1,0.25"})
    void numberFollowsPrometheusSyntax(String token, double expected) {
        assertThat(ExpositionParser.number(token)).isEqualTo(OptionalDouble.of(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "-", ".", "e3", "1e", "1e+", "1d", "2f", "0x1p3", "1_000", "1,5", "ERROR", "+NaN", "Inf+",
            "1.2.3", " 1"})
    void numberRejectsWhatPrometheusRejects(String token) {
        assertThat(ExpositionParser.number(token)).isEmpty();
    }

    static Stream<Arguments> malformedLines() {
        return Stream.of(
                Arguments.of("x{a=\"1\"", "label set not closed"),
                Arguments.of("x{a=\"1\",", "label set not closed"),
                Arguments.of("x{a=\"1} 2", "value of label a not closed"),
                Arguments.of("x{a=1} 2", "expected a quoted value for label a, found '1'"),
                Arguments.of("x{a} 2", "expected '=' after label a, found '}'"),
                Arguments.of("x{1a=\"1\"} 2", "expected a label name or '}', found '1'"),
                Arguments.of("x{a=\"1\",a=\"2\"} 3", "label a appears twice"),
                Arguments.of("x{a=\"1\" b=\"2\"} 3", "expected ',' or '}' after label a, found 'b'"),
                Arguments.of("x", "no value"),
                Arguments.of("x{a=\"1\"}", "no value"),
                Arguments.of("x oops", "value \"oops\" is not a number"),
                Arguments.of("x 1d", "value \"1d\" is not a number"),
                Arguments.of("x 1 soon", "unexpected \"soon\" after the value (a timestamp is an integer in ms)"),
                Arguments.of("x 1 1.5", "unexpected \"1.5\" after the value (a timestamp is an integer in ms)"),
                Arguments.of("x 1 2 3", "unexpected text after the timestamp"),
                Arguments.of("1x 1", "expected a metric name, found '1'"),
                Arguments.of("{a=\"1\"} 1", "expected a metric name, found '{'"),
                Arguments.of("x-y 1", "unexpected '-' after metric name x"),
                Arguments.of("# TYPE x gauges", "unknown metric type \"gauges\""),
                Arguments.of("# TYPE x GAUGE", "unknown metric type \"GAUGE\""),
                Arguments.of("# TYPE x", "# TYPE x names no type"),
                Arguments.of("# TYPE x gauge extra", "unexpected text after the type of x"),
                Arguments.of("# TYPE x.y gauge", "unexpected '.' in the metric name after # TYPE"),
                Arguments.of("# HELP", "expected a metric name after # HELP"),
                Arguments.of("DCGM_FI_DEV_VGPU_PER_PROCESS_UTILIZATION{gpu=\"0\"} ERROR - FAILED TO CONVERT TO STRING",
                        "value \"ERROR\" is not a number"));
    }

    @ParameterizedTest
    @MethodSource("malformedLines")
    void malformedLineIsRecordedAndTheRestIsRead(String bad, String reason) {
        Exposition e = ExpositionParser.parse("# TYPE before gauge\nbefore 1\n" + bad + "\nafter 2\n");

        assertThat(e.issues()).containsExactly(new ParseIssue(3, bad, reason));
        assertThat(e.samples()).containsExactly(new Sample("before", Map.of(), 1), new Sample("after", Map.of(), 2));
        assertThat(e.types()).containsEntry("before", MetricType.GAUGE);
    }

    @Test
    void blankLinesCommentsAndCrLfAreNotIssues() {
        Exposition e = ExpositionParser.parse("\n   \n#\n# just words\r\n# TYPE x counter\r\nx 1\r\n\t\ny 2");

        assertThat(e.issues()).isEmpty();
        assertThat(e.types()).containsEntry("x", MetricType.COUNTER);
        assertThat(e.samples()).containsExactly(new Sample("x", Map.of(), 1), new Sample("y", Map.of(), 2));
    }

    @Test
    void secondHelpTypeOrSampleOfASeriesIsAnIssueAndTheFirstIsKept() {
        Exposition e = ExpositionParser.parse("""
                # HELP x First.
                # HELP x Second.
                # TYPE x gauge
                # TYPE x counter
                x{a="1"} 1
                x{a="2"} 2
                x{a="1"} 3
                """);

        assertThat(e.help()).containsEntry("x", "First.");
        assertThat(e.types()).containsEntry("x", MetricType.GAUGE);
        assertThat(e.samples()).extracting(Sample::value).containsExactly(1.0, 2.0);
        assertThat(e.issues()).extracting(ParseIssue::line, ParseIssue::reason).containsExactly(
                tuple(2, "second # HELP for x (the first is kept)"),
                tuple(4, "second # TYPE for x (the first is kept)"),
                tuple(7, "series repeated in this payload (the first sample is kept)"));
        assertThat(e.issues()).as("Prometheus's scrape lets these pass").allMatch(ParseIssue::prometheusAccepts);
    }

    @Test
    void issueExcerptIsCut() {
        String longLine = "x{a=\"" + "v".repeat(300) + "\"} nope";

        ParseIssue issue = ExpositionParser.parse(longLine).issues().get(0);

        assertThat(issue.excerpt()).hasSize(ParseIssue.MAX_EXCERPT + 1).startsWith("x{a=\"vvv").endsWith("…");
        assertThat(issue.line()).isEqualTo(1);
        assertThat(issue).hasToString("line 1: value \"nope\" is not a number: " + issue.excerpt());
    }

    @Test
    void samplesAndFirstFindOneMetricByItsExactName() {
        Exposition e = ExpositionParser.parse("""
                prometheus_config_last_reload_success_timestamp_seconds 1.7955648372820985e+09
                prometheus_config_last_reload_successful_total 7
                prometheus_config_last_reload_successful{instance="a"} 1
                prometheus_config_last_reload_successful{instance="b"} 0
                """);

        assertThat(e.first("prometheus_config_last_reload_successful"))
                .contains(new Sample("prometheus_config_last_reload_successful", Map.of("instance", "a"), 1));
        assertThat(e.samples("prometheus_config_last_reload_successful")).extracting(Sample::value).containsExactly(1.0, 0.0);
        assertThat(e.first("prometheus_config_last_reload")).isEmpty();
        assertThat(e.samples("absent")).isEmpty();
    }

    // What HttpEndpoint.gauge relies on to read one gauge (prometheus_config_last_reload_successful) from /metrics.

    @Test
    void firstReadsAnUnlabelledGauge() {
        String text = "# HELP prometheus_config_last_reload_successful Whether the last reload succeeded.\n"
                + "# TYPE prometheus_config_last_reload_successful gauge\n"
                + "prometheus_config_last_reload_success_timestamp_seconds 1.7955648372820985e+09\n"
                + "prometheus_config_last_reload_successful 1\n";

        assertThat(ExpositionParser.parse(text).first("prometheus_config_last_reload_successful")).map(Sample::value).contains(1.0);
    }

    @Test
    void firstIgnoresALongerNameWithTheSamePrefix() {
        assertThat(ExpositionParser.parse("prometheus_config_last_reload_successful_total 7\n")
                .first("prometheus_config_last_reload_successful")).isEmpty();
    }

    @Test
    void firstStepsOverLabelsWithQuotedBracesAndATimestamp() {
        Exposition e = ExpositionParser.parse("up{job=\"a}\\\"b\",instance=\"x\"} 0 1700000000000\n");

        assertThat(e.first("up")).contains(new Sample("up", Map.of("job", "a}\"b", "instance", "x"), 0));
    }

    @Test
    void firstReadsSpecialValuesAndSkipsGarbage() {
        assertThat(ExpositionParser.parse("x +Inf\n").first("x")).map(Sample::value).contains(Double.POSITIVE_INFINITY);
        assertThat(ExpositionParser.parse("x NaN\n").first("x").orElseThrow().value()).isNaN();
        assertThat(ExpositionParser.parse("x{a=\"1\"\nx oops\nx 2\n").first("x")).map(Sample::value).contains(2.0);
        assertThat(ExpositionParser.parse("x\n").first("x")).isEmpty();
        assertThat(ExpositionParser.parse("").first("x")).isEmpty();
    }

    @Test
    void emptyPayloadHasNothing() {
        Exposition e = ExpositionParser.parse("");

        assertThat(e.samples()).isEmpty();
        assertThat(e.issues()).isEmpty();
        assertThat(e.types()).isEmpty();
    }

    @Test
    void resultIsUnmodifiable() {
        Exposition e = ExpositionParser.parse("x{a=\"1\"} 1\n");

        assertThat(e.samples()).isUnmodifiable();
        assertThat(e.samples().get(0).labels()).isUnmodifiable();
        assertThat(e.issues()).isEqualTo(List.of());
    }

    @Test
    void dcgmExporterPayloadSkipsOnlyItsTenErrorLines() {
        Exposition e = ExpositionParser.parse(DcgmFixture.a800x8Mig());

        assertThat(e.issues()).hasSize(10).allSatisfy(issue -> {
            assertThat(issue.reason()).isEqualTo("value \"ERROR\" is not a number");
            assertThat(issue.excerpt()).startsWith("DCGM_FI_DEV_VGPU_PER_PROCESS_UTILIZATION{gpu=\"");
        });
        assertThat(e.issues()).extracting(ParseIssue::line).containsExactly(210, 211, 212, 213, 214, 215, 216, 217, 218, 219);
        // 285 lines: 52 HELP/TYPE, 10 broken, 223 samples of 26 families, 5 of them counters.
        assertThat(e.samples()).hasSize(223);
        assertThat(e.types()).hasSize(26);
        assertThat(e.types().entrySet().stream().filter(t -> t.getValue() == MetricType.COUNTER).map(Map.Entry::getKey))
                .containsExactlyInAnyOrder("DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL",
                        "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
                        "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS");
        assertThat(e.help()).containsEntry("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).");
        assertThat(e.samples("DCGM_FI_DEV_VGPU_PER_PROCESS_UTILIZATION")).isEmpty();
        assertThat(e.first("DCGM_FI_DEV_SM_CLOCK").orElseThrow().labels()).containsEntry("GPU_I_PROFILE", "2g.20gb")
                .containsEntry("DCGM_FI_PROCESS_NAME", "/usr/bin/dcgm-exporter").hasSize(9);
    }

    @Test
    void realPrometheusMetricsParseWithoutIssues(@TempDir Path dir) throws IOException, InterruptedException {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 15s\n");
        String body;
        try (PrometheusProcess prometheus = PrometheusProcess.start(config)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(prometheus.uri().resolve("metrics")).timeout(Duration.ofSeconds(10))
                            .header("Accept", "text/plain;version=0.0.4").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            body = response.body();
        }

        Exposition e = ExpositionParser.parse(body);

        assertThat(e.issues()).isEmpty();
        assertThat(e.samples()).hasSizeGreaterThan(100);
        Sample build = e.first("prometheus_build_info").orElseThrow();
        assertThat(build.value()).isEqualTo(1);
        assertThat(build.label("version")).startsWith("3.");
        assertThat(build.labels()).containsKeys("branch", "goversion", "revision");
        assertThat(e.types()).containsEntry("prometheus_build_info", MetricType.GAUGE)
                .containsEntry("prometheus_http_requests_total", MetricType.COUNTER)
                .containsEntry("prometheus_http_request_duration_seconds", MetricType.HISTOGRAM)
                .containsEntry("go_gc_duration_seconds", MetricType.SUMMARY);
        assertThat(e.samples("prometheus_http_request_duration_seconds_bucket")).extracting(s -> s.label("le")).contains("+Inf");
        assertThat(e.first("prometheus_config_last_reload_successful")).map(Sample::value).contains(1.0);
        assertThat(e.help().get("prometheus_build_info")).contains("version");
    }
}
