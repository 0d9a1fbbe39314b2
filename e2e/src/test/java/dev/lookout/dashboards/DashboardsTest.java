package dev.lookout.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lookout.dashboards.GrafanaSchemaCheck.TypeError;
import dev.lookout.dashboards.PanelQueries.Query;
import dev.lookout.dashboards.PrometheusApi.Answer;
import dev.lookout.testing.Tools;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookout's Grafana dashboards (compose/grafana/dashboards) load in Grafana and show what Lookout's jobs and rules
 * make true. No Grafana runs here (no registry to pull grafana/grafana from), so the proof has two halves: Grafana's
 * own schema types accept every dashboard (tsc on the JSON as a typed object literal, a check shown to refuse what
 * Grafana would not load), and every panel query, its variables filled in as Grafana would, is valid PromQL that a
 * real Prometheus 3 answers with numbers once it scrapes Lookout's rendered jobs on stand-ins of their targets.
 */
class DashboardsTest {
    static final Path REPO = Path.of(System.getProperty("lookout.repoRoot", "..")).toAbsolutePath().normalize();
    static final Path DASHBOARDS = REPO.resolve("compose/grafana/dashboards");
    static final Path PROVISIONING = REPO.resolve("compose/grafana/provisioning");
    static final List<String> UIDS = List.of("lookout-gpu", "lookout-nginx-vts", "lookout-probes");
    static final String DATASOURCE_UID = "prometheus";
    static final Map<String, String> DATASOURCE_REF = Map.of("type", "prometheus", "uid", "${datasource}");
    /** Jobs up to every query answered: startup, two scrapes for a rate, alert rules evaluated. Seconds on a good day. */
    static final Duration WAIT = Duration.ofSeconds(90);
    /** A metric selector's braces in PromQL. */
    static final Pattern SELECTOR = Pattern.compile("\\{([^{}]*)}");
    /** A matcher on a job Lookout renders: its kinds' jobs and its own. */
    static final Pattern LOOKOUT_JOB = Pattern.compile(
            "job\\s*=~\\s*\"lookout/(comfyprobe|nginxvtstarget|gpunode)/[^\"]*\"|job\\s*=\\s*\"lookout/operator\"");

    static List<GrafanaDashboard> dashboards() {
        return GrafanaDashboard.inFolder(REPO, DASHBOARDS);
    }

    @Test
    void everyDashboardPassesGrafanasSchema(@TempDir Path work) {
        GrafanaSchemaToolchain toolchain = GrafanaSchemaToolchain.locate(REPO);
        List<GrafanaDashboard> dashboards = dashboards();
        assertThat(dashboards).extracting(GrafanaDashboard::uid).containsExactlyElementsOf(UIDS);

        long start = System.nanoTime();
        List<TypeError> errors = new GrafanaSchemaCheck(toolchain, work).check(dashboards);
        System.out.printf("DashboardsTest: tsc checked %d dashboards in %d ms%n", dashboards.size(), (System.nanoTime() - start) / 1_000_000);

        assertThat(errors).as("Grafana's schema (@grafana/schema in %s) refuses:", toolchain.folder()).isEmpty();
        int schemaVersion = toolchain.schemaVersion();
        for (GrafanaDashboard d : dashboards) {
            assertThat(d.json().path("schemaVersion").asInt()).as("%s schemaVersion (the pinned Grafana's is %d)", d.label(), schemaVersion)
                    .isEqualTo(schemaVersion);
        }
    }

    @Test
    void theSchemaCheckRefusesWhatGrafanasSchemaDoesNotAllow(@TempDir Path work) {
        GrafanaSchemaToolchain toolchain = GrafanaSchemaToolchain.locate(REPO);
        List<GrafanaDashboard> dashboards = dashboards();
        List<GrafanaDashboard> mutants = SchemaMutation.ALL.stream().map(m -> m.applyTo(dashboards)).toList();

        List<TypeError> errors = new GrafanaSchemaCheck(toolchain, work).check(mutants);

        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < SchemaMutation.ALL.size(); i++) {
            SchemaMutation mutation = SchemaMutation.ALL.get(i);
            String label = mutants.get(i).label();
            List<TypeError> refusals = errors.stream().filter(e -> e.dashboard().equals(label) && e.check() == mutation.refusedBy()).toList();
            softly.assertThat(refusals).as("%s: refused by %s", label, mutation.refusedBy().type)
                    .anySatisfy(e -> assertThat(e.message()).contains(mutation.expected()));
        }
        softly.assertAll();
    }

    @Test
    void everyDashboardFollowsLookoutsConventions() {
        List<GrafanaDashboard> dashboards = dashboards();
        assertThat(dashboards).extracting(GrafanaDashboard::uid).containsExactlyElementsOf(UIDS);
        SoftAssertions softly = new SoftAssertions();
        for (GrafanaDashboard d : dashboards) {
            softly.assertThat(d.uid()).as("%s: the uid is the file name, so links to it never change", d.label()).isEqualTo(d.stem());
            softly.assertThat(d.variables()).as("%s: first variable: datasource, of type prometheus, opening on the provisioned one",
                            d.label()).first()
                    .extracting(TemplateVariable::name, TemplateVariable::type, TemplateVariable::query, TemplateVariable::current)
                    .containsExactly("datasource", "datasource", "prometheus", DATASOURCE_UID);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : d.panels()) {
                String where = d.label() + " panel " + panel.path("id") + " \"" + panel.path("title").asText() + "\"";
                softly.assertThat(ids.add(panel.path("id").asInt())).as("%s: panel id unique", where).isTrue();
                softly.assertThat(ref(panel.path("datasource"))).as("%s: datasource", where).isEqualTo(DATASOURCE_REF);
                softly.assertThat(panel.path("targets").size()).as("%s: has queries", where).isPositive();
                Set<String> refIds = new HashSet<>();
                for (PanelTarget t : d.targets().stream().filter(t -> t.panelId() == panel.path("id").asInt()).toList()) {
                    softly.assertThat(refIds.add(t.refId())).as("%s: refId unique and set", t.where()).isTrue();
                    softly.assertThat(ref(t.datasource())).as("%s: datasource", t.where()).isEqualTo(DATASOURCE_REF);
                    softly.assertThat(t.expr()).as("%s: expr", t.where()).isNotBlank();
                    softly.assertThat(unnarrowedSelectors(t.expr())).as("%s: selectors without a Lookout job matcher in %s", t.where(), t.expr())
                            .isEmpty();
                }
            }
            for (TemplateVariable v : d.variables().stream().skip(1).toList()) {
                String where = d.label() + " variable " + v.name();
                softly.assertThat(v.labelValues()).as("%s: a label_values(selector, label) query: %s", where, v.query()).isPresent();
                softly.assertThat(unnarrowedSelectors(v.query())).as("%s: selectors without a Lookout job matcher", where).isEmpty();
            }
        }
        softly.assertAll();
    }

    /** The {...} of {@code promql} that do not select one of Lookout's jobs. */
    static List<String> unnarrowedSelectors(String promql) {
        List<String> unnarrowed = new ArrayList<>();
        Matcher m = SELECTOR.matcher(promql);
        while (m.find()) {
            if (!LOOKOUT_JOB.matcher(m.group(1)).find()) {
                unnarrowed.add(m.group());
            }
        }
        return unnarrowed;
    }

    private static Map<String, String> ref(JsonNode datasource) {
        return Map.of("type", datasource.path("type").asText(), "uid", datasource.path("uid").asText());
    }

    @Test
    void provisioningGivesGrafanaLookoutsPrometheusAndTheDashboardsFolder() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode datasources = yaml.readTree(PROVISIONING.resolve("datasources/prometheus.yml").toFile());
        assertThat(datasources.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(datasources.path("datasources")).hasSize(1);
        JsonNode prometheus = datasources.path("datasources").get(0);
        assertThat(List.of(prometheus.path("uid").asText(), prometheus.path("type").asText(), prometheus.path("access").asText(),
                prometheus.path("url").asText()))
                .as("the datasource every dashboard opens on").containsExactly(DATASOURCE_UID, "prometheus", "proxy", "http://prometheus:9090");

        JsonNode providers = yaml.readTree(PROVISIONING.resolve("dashboards/lookout.yml").toFile());
        assertThat(providers.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(providers.path("providers")).hasSize(1);
        JsonNode provider = providers.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText())
                .as("where compose mounts ./grafana/dashboards").isEqualTo("/var/lib/grafana/dashboards");
    }

    @Test
    void everyPanelQueryIsValidPromQLThatLookoutsJobsAnswer(@TempDir Path tmp) throws IOException {
        Tools.require(Tools.prometheus(), "prometheus");
        Tools.require(Tools.blackbox(), "blackbox_exporter");
        List<GrafanaDashboard> dashboards = dashboards();
        assertThat(dashboards).extracting(GrafanaDashboard::uid).containsExactlyElementsOf(UIDS);
        try (LookoutJobsOnStandIns lookout = LookoutJobsOnStandIns.start(tmp)) {
            long start = System.nanoTime();
            lookout.awaitEveryJobUp(WAIT);
            long up = System.nanoTime();
            PrometheusApi api = new PrometheusApi(lookout.prometheus().uri());
            List<Query> queries = new ArrayList<>();
            dashboards.forEach(d -> queries.addAll(PanelQueries.of(d, api, WAIT)));

            Map<Query, Answer> answers = PanelQueries.awaitAnswers(api, queries, WAIT);
            System.out.printf("DashboardsTest: jobs %s up in %d ms; %d panel queries answered %d ms later%n", lookout.jobs(),
                    (up - start) / 1_000_000, queries.size(), (System.nanoTime() - up) / 1_000_000);
            List<String> unanswered = answers.entrySet().stream().filter(e -> !e.getValue().answered())
                    .map(e -> e.getKey().target().where() + ": " + e.getValue() + "\n    " + e.getKey().expr()).toList();
            assertThat(unanswered).as("panel queries Prometheus refused, or left without a number within %s of Lookout's jobs %s"
                    + " being up", WAIT, lookout.jobs()).isEmpty();

            // Both of Lookout's ComfyProbe rules make the alerts table true: comfy-missing-node's failing probe holds
            // ComfyUIDown pending (for: 1h), the counted restarts fire ComfyUIRestarting.
            Query alerts = queries.stream().filter(q -> q.target().dashboard().endsWith("/lookout-probes.json")
                    && q.target().panelTitle().equals("ComfyUI alerts")).findFirst()
                    .orElseThrow(() -> new AssertionError("lookout-probes.json has no panel \"ComfyUI alerts\""));
            assertThat(api.labelValuesIn(alerts.expr(), "alertname")).as("alerts shown by %s", alerts.target().where())
                    .containsExactly("ComfyUIDown", "ComfyUIRestarting");
        }
    }
}
