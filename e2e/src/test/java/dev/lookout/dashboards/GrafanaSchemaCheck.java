package dev.lookout.dashboards;

import dev.lookout.reload.ToolProcess;
import dev.lookout.testing.ClasspathText;
import dev.lookout.testing.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks dashboards against Grafana's schema, which {@code @grafana/schema} publishes as TypeScript types only: each
 * dashboard's JSON, unchanged, becomes an object literal assigned to a typed const, and {@code tsc --noEmit --strict}
 * judges it. An object literal gets TypeScript's excess-property check, so a field Grafana does not know is refused as
 * surely as a value of the wrong type. Two checks per dashboard:
 * <ul>
 *   <li>{@link Check#DASHBOARD}: Grafana's {@code Dashboard} type (through {@code Json<T>}, which only lets JSON strings
 *       stand for Grafana's string enums; see grafana-types.ts);</li>
 *   <li>{@link Check#PANEL_PLUGINS}: the same, with each panel's {@code options} and custom field config typed by its
 *       plugin's own schema, where Grafana's Dashboard type leaves them open.</li>
 * </ul>
 * Errors come back at the line and column of the JSON file, not of the generated TypeScript.
 */
final class GrafanaSchemaCheck {
    static final String TYPES = "grafana-types.ts";
    /** Lines before the JSON in a generated check: JSON line n is line n + HEADER_LINES there. */
    static final int HEADER_LINES = 4;
    private static final Pattern ERROR = Pattern.compile("^(.+?)\\((\\d+),(\\d+)\\): error (TS\\d+): (.*)$");

    /** What a dashboard is checked against: the type of the const, and where that type comes from. */
    enum Check {
        DASHBOARD("Json<Dashboard>", "import type { Dashboard } from '@grafana/schema';"),
        PANEL_PLUGINS("Json<LookoutDashboard>", "import type { LookoutDashboard } from './grafana-types';");

        final String type;
        final String importLine;

        Check(String type, String importLine) {
            this.type = type;
            this.importLine = importLine;
        }
    }

    /**
     * One of tsc's errors, placed in the JSON it is about.
     *
     * @param check null for an error outside the generated checks (in grafana-types.ts, say)
     */
    record TypeError(String dashboard, Check check, int line, int column, String code, String message) {
        @Override
        public String toString() {
            // tsc spells out the whole expected type; its start says what is wrong.
            String text = message.length() > 600 ? message.substring(0, 600) + " ..." : message;
            return dashboard + ":" + line + ":" + column + ": " + code + (check == null ? "" : " (against " + check.type + ")")
                    + ": " + text;
        }
    }

    private final GrafanaSchemaToolchain toolchain;
    private final Path workDir;

    GrafanaSchemaCheck(GrafanaSchemaToolchain toolchain, Path workDir) {
        this.toolchain = toolchain;
        this.workDir = workDir;
    }

    /** tsc's verdict on all {@code dashboards} at once (one compiler start); empty when Grafana's types accept them all. */
    List<TypeError> check(List<GrafanaDashboard> dashboards) {
        try {
            prepare();
            Map<String, Source> sources = new LinkedHashMap<>();
            for (int i = 0; i < dashboards.size(); i++) {
                for (Check check : Check.values()) {
                    String file = "dashboard" + i + "." + check.name().toLowerCase(Locale.ROOT) + ".ts";
                    Files.writeString(workDir.resolve(file), typed(dashboards.get(i), check));
                    sources.put(file, new Source(dashboards.get(i).label(), check));
                }
            }
            List<String> cmd = new ArrayList<>(List.of(toolchain.node().toString(), toolchain.tsc().toString(),
                    "--noEmit", "--strict", "--skipLibCheck", "--pretty", "false",
                    "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler"));
            sources.keySet().forEach(f -> cmd.add(workDir.resolve(f).toString()));
            ToolProcess.Result result = Tools.run(cmd, GrafanaSchemaToolchain.TIMEOUT);
            List<TypeError> errors = errors(result.output(), sources);
            if (result.exit() != 0 && errors.isEmpty()) {
                throw new AssertionError("tsc failed without a type error to show:\n" + result.output());
            }
            return errors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Source(String dashboard, Check check) {
    }

    /** The types file next to the checks, and node_modules pointing into the cache so tsc resolves @grafana/schema. */
    private void prepare() throws IOException {
        Files.writeString(workDir.resolve(TYPES), ClasspathText.read("/dashboards/" + TYPES));
        Path modules = workDir.resolve("node_modules");
        if (!Files.exists(modules, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(modules, toolchain.nodeModules());
        }
    }

    /** The dashboard as a typed const, its JSON unchanged from line {@link #HEADER_LINES} + 1 on. */
    static String typed(GrafanaDashboard dashboard, Check check) {
        return "// Generated by DashboardsTest from " + dashboard.label() + ": line n + 4 here is its line n.\n"
                + check.importLine + "\n"
                + "import type { Json } from './grafana-types';\n"
                + "export const dashboard: " + check.type + " =\n"
                + dashboard.text().stripTrailing() + ";\n";
    }

    private static List<TypeError> errors(String output, Map<String, Source> sources) {
        List<TypeError> errors = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = ERROR.matcher(line);
            if (m.matches()) {
                String file = Path.of(m.group(1)).getFileName().toString();
                Source source = sources.get(file);
                int tsLine = Integer.parseInt(m.group(2));
                errors.add(source == null
                        ? new TypeError(m.group(1), null, tsLine, Integer.parseInt(m.group(3)), m.group(4), m.group(5))
                        : new TypeError(source.dashboard(), source.check(), tsLine - HEADER_LINES, Integer.parseInt(m.group(3)),
                                m.group(4), m.group(5)));
            } else if (!errors.isEmpty() && line.startsWith(" ")) {
                TypeError last = errors.remove(errors.size() - 1);
                errors.add(new TypeError(last.dashboard(), last.check(), last.line(), last.column(), last.code(),
                        last.message() + " " + line.strip()));
            }
        }
        return errors;
    }
}
