package dev.lookout.validation;

import com.google.re2j.PatternSyntaxException;
import dev.lookout.api.BasicAuth;
import dev.lookout.api.Patterns;
import dev.lookout.api.SecretKeyRef;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules shared by several kinds. Each reports through the reporter and never stops the others. */
public final class CommonRules {
    private static final Pattern LABEL_NAME = Pattern.compile(Patterns.LABEL_NAME);
    private static final Pattern SAFE_TEXT = Pattern.compile(Patterns.SAFE_TEXT);
    private static final Pattern USERNAME = Pattern.compile(Patterns.USERNAME);
    private static final Pattern HOST_NAME = Pattern.compile(Patterns.DNS1123_SUBDOMAIN);
    private static final Pattern COMPOSE_PROJECT = Pattern.compile("^[a-z0-9][a-z0-9_-]*$");
    /** Labels Lookout sets itself; overriding them would break the alerts' selectors. */
    private static final Set<String> LOOKOUT_LABELS = Set.of("job", "instance");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0");

    private CommonRules() {
    }

    /** Reports a missing value; true when it is present. */
    public static boolean required(ProblemReporter r, FieldPath p, Object value, String allowed) {
        if (value == null || (value instanceof String s && s.isEmpty()) || (value instanceof List<?> l && l.isEmpty())) {
            r.error(p, "required (" + allowed + ")");
            return false;
        }
        return true;
    }

    /** A Prometheus duration greater than zero; returns it when valid. */
    public static Optional<Duration> positiveDuration(ProblemReporter r, FieldPath p, String value) {
        if (value == null) {
            return Optional.empty();
        }
        Optional<Duration> d = PromDuration.parse(value);
        if (d.isEmpty()) {
            r.error(p, "\"" + printable(value) + "\" is not a Prometheus duration (such as 30s, 2m, 1h30m, 500ms; units y w d h m s ms)");
        } else if (d.get().isZero()) {
            r.error(p, "must be greater than zero");
            return Optional.empty();
        }
        return d;
    }

    /** Text that will be written inside a rendered YAML or nginx file. */
    public static void safeText(ProblemReporter r, FieldPath p, String value) {
        if (value != null && !SAFE_TEXT.matcher(value).matches()) {
            r.error(p, "contains a character that could inject into a rendered file (no newlines, quotes, braces, ';', '\\', '`' or '$')");
        }
    }

    /**
     * A value written through a YAML emitter that quotes it, such as a regex: any character is safe there
     * except line breaks and control characters, which no single-line value needs.
     */
    public static void singleLine(ProblemReporter r, FieldPath p, String value) {
        if (value != null && value.chars().anyMatch(Character::isISOControl)) {
            r.error(p, "contains a line break or control character that could inject into a rendered file"
                    + " (in a regex, write \\n for a newline)");
        }
    }

    public static void nonEmptySafeText(ProblemReporter r, FieldPath p, String value) {
        if (value != null && value.isBlank()) {
            r.error(p, "must not be empty");
        }
        safeText(r, p, value);
    }

    /** Prometheus label names and values attached to a target's series. */
    public static void labels(ProblemReporter r, FieldPath p, Map<String, String> labels) {
        labels.forEach((name, value) -> {
            FieldPath child = p.child(name);
            if (!LABEL_NAME.matcher(name).matches()) {
                r.error(child, "\"" + printable(name) + "\" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            } else if (name.startsWith("__")) {
                r.error(child, "label names starting with __ are reserved for Prometheus' internal use");
            } else if (LOOKOUT_LABELS.contains(name)) {
                r.error(child, "\"" + name + "\" is set by Lookout so that alerts match their scrape job (choose another name)");
            }
            if (value == null) {
                r.error(child, "must be a string");
            } else {
                safeText(r, child, value);
            }
        });
    }

    public static void port(ProblemReporter r, FieldPath p, Integer port) {
        if (port != null && (port < 1 || port > 65535)) {
            r.error(p, port + " is not a port (1-65535)");
        }
    }

    public static void range(ProblemReporter r, FieldPath p, Number value, double min, double max, String allowed) {
        if (value != null && (Double.isNaN(value.doubleValue()) || value.doubleValue() < min || value.doubleValue() > max)) {
            r.error(p, value + " is out of range (" + allowed + ")");
        }
    }

    /** A share such as an error ratio: greater than 0, at most 1. */
    public static void ratio(ProblemReporter r, FieldPath p, Double value) {
        if (value != null && !(value > 0 && value <= 1)) {
            r.error(p, value + " is not a ratio in (0, 1] (0.05 means 5%)");
        }
    }

    /**
     * Absolute http(s) URL without credentials, safe to write into a rendered file; loopback is warned of, as
     * Prometheus and blackbox in containers would reach themselves there.
     */
    public static void httpUrl(ProblemReporter r, FieldPath p, String url) {
        Optional<Authority> authority = absoluteHttpUrl(r, p, url);
        if (authority.isPresent() && LOOPBACK_HOSTS.contains(authority.get().host().toLowerCase(Locale.ROOT))) {
            r.warning(p, "points at loopback: from Prometheus' container this is Prometheus itself"
                    + " (use container-name:port on the shared network)");
        }
    }

    /** Absolute http(s) URL without credentials that Lookout itself calls: loopback is as good as any host. */
    public static void serviceUrl(ProblemReporter r, FieldPath p, String url) {
        absoluteHttpUrl(r, p, url);
    }

    /** Absolute http(s) URL without credentials that a person's browser opens: loopback is as good as any host. */
    public static void browserUrl(ProblemReporter r, FieldPath p, String url) {
        absoluteHttpUrl(r, p, url);
    }

    /** The URL's host and port when it is a valid absolute http(s) URL; each problem reported otherwise. */
    private static Optional<Authority> absoluteHttpUrl(ProblemReporter r, FieldPath p, String url) {
        if (url == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            r.error(p, "not a valid URL: " + e.getReason() + " (an absolute http:// or https:// URL)");
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            r.error(p, "must be an absolute http:// or https:// URL");
            return Optional.empty();
        }
        Optional<Authority> authority = Authority.of(uri);
        if (authority.isEmpty()) {
            r.error(p, "has no valid host (an absolute http:// or https:// URL such as http://comfy-1:8188)");
        } else if (authority.get().userInfo()) {
            r.error(p, "must not carry credentials; use basicAuth with a Secret");
        } else if (authority.get().port() == 0 || authority.get().port() > 65535) {
            r.error(p, "port " + authority.get().port() + " is not a port (1-65535)");
        } else {
            safeText(r, p, url);
            return authority;
        }
        return Optional.empty();
    }

    /**
     * Host and port of a URL. {@link URI} only parses RFC 2396 host names, so a Docker container name with
     * an underscore ({@code flux_comfy_1}) leaves {@code getHost()} empty; the raw authority is read then.
     */
    private record Authority(String host, int port, boolean userInfo) {
        private static final Pattern HOST = Pattern.compile("^(?:[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?\\.?)+$|^\\[[0-9A-Fa-f:.]+]$");
        private static final Pattern HOST_PORT = Pattern.compile("^(\\[[^]]*]|[^:]*)(?::([0-9]{1,9}))?$");

        static Optional<Authority> of(URI uri) {
            String raw = uri.getRawAuthority();
            if (raw == null || raw.isEmpty()) {
                return Optional.empty();
            }
            boolean userInfo = raw.contains("@");
            java.util.regex.Matcher m = HOST_PORT.matcher(raw.substring(raw.lastIndexOf('@') + 1));
            if (!m.matches() || m.group(1).isEmpty() || !HOST.matcher(m.group(1)).matches()) {
                return Optional.empty();
            }
            int port = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
            return Optional.of(new Authority(m.group(1), port, userInfo));
        }
    }

    /** A regex blackbox will run: Go's RE2, which has no look-around and no back-references. */
    public static void re2(ProblemReporter r, FieldPath p, String regex) {
        if (regex == null) {
            return;
        }
        try {
            com.google.re2j.Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            r.error(p, "not an RE2 regex: " + e.getDescription()
                    + " (blackbox-exporter uses Go's RE2: no look-behind, look-ahead or back-references)");
        }
    }

    /** Basic auth needs a user without a colon and a Secret reference for the password. */
    public static void basicAuth(ProblemReporter r, FieldPath p, BasicAuth auth) {
        if (auth == null) {
            return;
        }
        FieldPath user = p.child("username");
        if (required(r, user, auth.username(), "the user name")) {
            if (auth.username().contains(":")) {
                r.error(user, "must not contain ':' (it separates user and password in basic auth)");
            } else if (!USERNAME.matcher(auth.username()).matches()) {
                r.error(user, "contains whitespace, a quote, brace, ';' or '\\' (not allowed in a user name)");
            }
        }
        secretKeyRef(r, p.child("passwordSecretRef"), auth.passwordSecretRef());
    }

    public static void secretKeyRef(ProblemReporter r, FieldPath p, SecretKeyRef ref) {
        if (ref == null) {
            r.error(p, "required ({name, key} of a Secret holding the password)");
            return;
        }
        required(r, p.child("name"), ref.name(), "the Secret's name");
        required(r, p.child("key"), ref.key(), "the key inside the Secret");
    }

    /** The name of a Docker host from the operator configuration. */
    public static void hostName(ProblemReporter r, FieldPath p, String host) {
        if (host != null && (host.length() > 253 || !HOST_NAME.matcher(host).matches())) {
            r.error(p, "\"" + printable(host) + "\" is not a host name (DNS-1123: lower-case letters, digits, '-' and '.',"
                    + " each part starting and ending alphanumeric)");
        }
    }

    public static void composeProjects(ProblemReporter r, FieldPath p, List<String> projects) {
        for (int i = 0; i < projects.size(); i++) {
            if (!COMPOSE_PROJECT.matcher(projects.get(i)).matches()) {
                r.error(p.index(i), "\"" + printable(projects.get(i)) + "\" is not a compose project name"
                        + " (lower-case letters, digits, '-' and '_', starting with a letter or digit)");
            }
        }
    }

    /** Docker label selectors: keys and values end up in API filters and rendered files. */
    public static void labelSelector(ProblemReporter r, FieldPath p, Map<String, String> selector) {
        selector.forEach((key, value) -> {
            if (key.isBlank()) {
                r.error(p.child(key), "label key must not be empty");
            }
            safeText(r, p.child(key), key);
            safeText(r, p.child(key), value);
        });
    }

    /** Quotes user text inside a message without letting control characters through. */
    public static String printable(String text) {
        String t = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
