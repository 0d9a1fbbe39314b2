package dev.lookout.api;

/**
 * Regular expressions shared by the CRD schema (so the API server enforces them) and the validator
 * (so directory mode enforces them too). Written in the common subset of ECMA-262 and java.util.regex.
 */
public final class Patterns {
    /** Prometheus duration: units in descending order, at least one, e.g. {@code 1h30m}, {@code 500ms}. */
    public static final String DURATION = "^([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$";
    /** Prometheus label name; names starting with {@code __} are reserved (checked separately). */
    public static final String LABEL_NAME = "^[a-zA-Z_][a-zA-Z0-9_]*$";
    /** HTTP basic auth user: printable, no colon, no whitespace. */
    public static final String USERNAME = "^[^:\\s\"'{};\\\\]+$";
    /** Text that ends up inside rendered YAML or nginx config: no newline, quote, brace, semicolon or backslash. */
    public static final String SAFE_TEXT = "^[^\\r\\n\"'{};\\\\`$]*$";
    /** Absolute URL path from a conservative character set. */
    public static final String URL_PATH = "^/[A-Za-z0-9._~!&()*+,=:@%/-]*$";
    /** Semantic-ish version: 1.2 or 1.2.3, optional -suffix. */
    public static final String VERSION = "^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?(-[0-9A-Za-z.]+)?$";
    /** DNS-1123 label, as Kubernetes requires of namespaces. */
    public static final String DNS1123_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** DNS-1123 subdomain, as Kubernetes requires of most object names. */
    public static final String DNS1123_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private Patterns() {
    }
}
