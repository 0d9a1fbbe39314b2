package dev.lookout.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.config.OperatorConfig;
import dev.lookout.prometheus.OutputTree;
import dev.lookout.prometheus.Rendering;
import dev.lookout.prometheus.RenderedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each check fails on a crafted tree (default config: /etc/prometheus/lookout, /etc/blackbox) and passes on examples/. */
class OutputChecksTest {
    private static final OutputChecks CHECKS = new OutputChecks(OperatorConfig.defaults());
    private static final String A = "prometheus/scrape/comfyprobe.default.a.yml";
    private static final String B = "prometheus/scrape/comfyprobe.default.b.yml";

    @TempDir
    Path dir;

    private static String job(String name, String body) {
        return "scrape_configs:\n  - job_name: " + name + "\n" + body;
    }

    /** A tree of (path, text) pairs. */
    private static OutputTree tree(String... pathsAndTexts) {
        List<RenderedFile> files = new ArrayList<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            files.add(RenderedFile.text(pathsAndTexts[i], pathsAndTexts[i + 1]));
        }
        return OutputTree.of(files);
    }

    static Stream<Arguments> brokenTrees() {
        return Stream.of(
                Arguments.of("yaml that does not parse", tree(A, "scrape_configs: [\n"),
                        List.of(A + ": not valid YAML: ")),
                Arguments.of("a duplicate key", tree(A, job("lookout/a", "    scrape_interval: 1m\n    scrape_interval: 2m\n")),
                        List.of(A + ": not valid YAML: duplicate key \"scrape_interval\" (line 4)")),
                Arguments.of("json that does not parse", tree("prometheus/targets/comfyprobe.default.a.json", "[{\"targets\": [}]"),
                        List.of("prometheus/targets/comfyprobe.default.a.json: not valid JSON: ")),
                Arguments.of("a job name in two files", tree(A, job("lookout/x", ""), B, job("lookout/x", "")),
                        List.of(B + ": job \"lookout/x\": job_name is also used in " + A)),
                Arguments.of("a job name twice in prometheus.yml", tree("prometheus/prometheus.yml",
                                job("node", "  - job_name: node\n")),
                        List.of("prometheus/prometheus.yml: job \"node\": job_name is also used earlier in this file")),
                Arguments.of("a scrape config without job_name", tree(A, "scrape_configs:\n  - metrics_path: /m\n"),
                        List.of(A + ": a scrape config has no job_name")),
                Arguments.of("a timeout longer than the interval", tree(A, job("lookout/a", "    scrape_interval: 10s\n    scrape_timeout: 1m\n")),
                        List.of(A + ": job \"lookout/a\": scrape_timeout 1m is longer than scrape_interval 10s")),
                Arguments.of("a duration Prometheus cannot read", tree(A, job("lookout/a", "    scrape_interval: 5x\n")),
                        List.of(A + ": job \"lookout/a\": scrape_interval \"5x\" is not a Prometheus duration")),
                Arguments.of("a password file the tree lacks", tree(A, job("lookout/a",
                                "    basic_auth:\n      username: u\n      password_file: /etc/prometheus/lookout/secrets/default.p.password\n")),
                        List.of(A + ": job \"lookout/a\": password_file /etc/prometheus/lookout/secrets/default.p.password is in"
                                + " Lookout's folder, but nothing renders prometheus/secrets/default.p.password")),
                Arguments.of("a file_sd file the tree lacks", tree(A, job("lookout/a",
                                "    file_sd_configs:\n      - files: [/etc/prometheus/lookout/targets/comfyprobe.default.a.json]\n")),
                        List.of(A + ": job \"lookout/a\": file_sd file /etc/prometheus/lookout/targets/comfyprobe.default.a.json is in"
                                + " Lookout's folder, but nothing renders prometheus/targets/comfyprobe.default.a.json")),
                Arguments.of("a probe password file the tree lacks", tree("blackbox/blackbox.yml", "modules:\n  lookout/default/a:\n"
                                + "    prober: http\n    http:\n      basic_auth: {username: u, password_file: /etc/blackbox/lookout-secrets/default.p.k}\n"),
                        List.of("blackbox/blackbox.yml: module \"lookout/default/a\": password_file /etc/blackbox/lookout-secrets/default.p.k"
                                + " is in Lookout's folder, but nothing renders blackbox/lookout-secrets/default.p.k")),
                Arguments.of("a target label name", tree(A, job("lookout/a", "    static_configs:\n      - targets: [x:1]\n"
                                + "        labels: {team-name: a}\n")),
                        List.of(A + ": job \"lookout/a\": label name \"team-name\" is not valid (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)")),
                Arguments.of("a file_sd label name", tree("prometheus/targets/t.json", "[{\"targets\": [\"x:1\"], \"labels\": {\"1st\": \"a\"}}]"),
                        List.of("prometheus/targets/t.json: target group 1: label name \"1st\" is not valid (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)")),
                Arguments.of("rule label and annotation names", tree("prometheus/rules/r.yml", "groups:\n  - name: g\n    rules:\n"
                                + "      - alert: Down\n        expr: up == 0\n        labels: {sev.erity: x}\n        annotations: {summ ary: y}\n"),
                        List.of("prometheus/rules/r.yml: group \"g\", alert \"Down\": annotation name \"summ ary\" is not valid (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)",
                                "prometheus/rules/r.yml: group \"g\", alert \"Down\": label name \"sev.erity\" is not valid (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenTrees")
    void findsTheProblem(String what, OutputTree tree, List<String> expected) {
        List<String> found = CHECKS.check(tree).stream().map(OutputProblem::toString).toList();

        assertThat(found).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(found.get(i)).startsWith(expected.get(i));
        }
    }

    @Test
    void filesOutsideLookoutsFoldersAndRenderedSecretsAreFine() {
        OutputTree tree = OutputTree.of(List.of(
                RenderedFile.text(A, job("lookout/a", "    scrape_interval: 10s\n    scrape_timeout: 10s\n"
                        + "    basic_auth: {username: u, password_file: /etc/prometheus/lookout/secrets/default.p.password}\n"
                        + "    tls_config: {ca_file: /etc/ssl/ca.pem}\n"
                        + "    file_sd_configs: [{files: [/etc/prometheus/lookout/targets/*.json]}]\n")),
                RenderedFile.secret("prometheus/secrets/default.p.password", "pw".getBytes(StandardCharsets.UTF_8)),
                RenderedFile.text("blackbox/blackbox.yml", "modules:\n  mine:\n    prober: http\n"
                        + "    http: {basic_auth: {username: u, password_file: /etc/blackbox/own-secret}}\n")));

        assertThat(CHECKS.check(tree)).isEmpty();
    }

    @Test
    void renderedExamplesPassInIncludeMode() throws IOException {
        assertThat(CHECKS.check(Rendering.renderExamples().tree())).isEmpty();
        OperatorConfig config = Rendering.configInto(dir, OperatorConfig.Mode.INCLUDE);
        assertThat(new OutputChecks(config).check(Rendering.renderExamples(config, null))).isEmpty();
    }

    @Test
    void renderedExamplesPassInFullMode() {
        OperatorConfig config = Rendering.configInto(dir, OperatorConfig.Mode.FULL);
        OutputTree tree = Rendering.renderExamples(config, "scrape_configs:\n  - job_name: node\n"
                + "    static_configs: [{targets: ['node:9100']}]\n");

        assertThat(tree.get("prometheus/prometheus.yml")).isNotNull();
        assertThat(new OutputChecks(config).check(tree)).isEmpty();
    }

    @Test
    void aUsersJobNamedLikeLookoutsIsCaughtInFullMode() {
        OperatorConfig config = Rendering.configInto(dir, OperatorConfig.Mode.FULL);
        // The renderer drops the user's lookout/* jobs, so a clash can only come from a name Lookout does not own.
        OutputTree tree = Rendering.renderExamples(config, "scrape_configs:\n  - job_name: node\n  - job_name: node\n");

        assertThat(new OutputChecks(config).check(tree)).extracting(OutputProblem::toString)
                .containsExactly("prometheus/prometheus.yml: job \"node\": job_name is also used earlier in this file");
    }

    @Test
    void aSecondCheckSeesWhatChangedAndWhatWasRemoved() {
        OutputChecks checks = new OutputChecks(OperatorConfig.defaults());
        String secret = "prometheus/secrets/default.p.password";
        String usesSecret = job("lookout/a", "    basic_auth: {username: u, password_file: /etc/prometheus/lookout/" + secret.substring(11) + "}\n");
        RenderedFile secretFile = RenderedFile.secret(secret, "pw".getBytes(StandardCharsets.UTF_8));
        assertThat(checks.check(OutputTree.of(List.of(RenderedFile.text(A, usesSecret), secretFile)))).isEmpty();

        List<OutputProblem> changed = checks.check(OutputTree.of(List.of(
                RenderedFile.text(A, usesSecret.replace("lookout/a", "lookout/b")), RenderedFile.text(B, job("lookout/b", "")))));
        List<OutputProblem> fixed = checks.check(OutputTree.of(List.of(RenderedFile.text(A, usesSecret), secretFile)));

        assertThat(changed).extracting(OutputProblem::toString).containsExactly(
                A + ": job \"lookout/b\": password_file /etc/prometheus/lookout/secrets/default.p.password is in Lookout's folder,"
                        + " but nothing renders " + secret,
                B + ": job \"lookout/b\": job_name is also used in " + A);
        assertThat(fixed).isEmpty();
    }
}
