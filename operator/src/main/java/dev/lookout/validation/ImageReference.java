package dev.lookout.validation;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker image references, checked with the grammar of distribution/reference (what {@code docker pull}
 * accepts): {@code [registry[:port]/]path[:tag][@digest]}, path components lower case.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String DOMAIN = "(?:localhost|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
            + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
    private static final Pattern REFERENCE = Pattern.compile(
            "^(?:(" + DOMAIN + ")/)?(" + COMPONENT + "(?:/" + COMPONENT + ")*)(?::([\\w][\\w.-]{0,127}))?"
                    + "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$");

    /** The parsed reference, or empty; a registry is only recognised when the first part looks like one. */
    public static Optional<ImageReference> parse(String text) {
        if (text == null || text.length() > 255) {
            return Optional.empty();
        }
        Matcher m = REFERENCE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String registry = m.group(1);
        if (registry != null && !(registry.contains(".") || registry.contains(":") || registry.equals("localhost")
                || registry.startsWith("["))) {
            // "lookout/nginx-vts": the first part is a Docker Hub namespace, not a registry.
            return Optional.of(new ImageReference(null, registry + "/" + m.group(2), m.group(3), m.group(4)));
        }
        return Optional.of(new ImageReference(registry, m.group(2), m.group(3), m.group(4)));
    }

    public boolean pinned() {
        return digest != null || (tag != null && !tag.equals("latest"));
    }

    /** Checks {@code text} as an image; {@code mustBePinned} makes a missing tag or {@code :latest} an error. */
    public static Optional<ImageReference> check(ProblemReporter r, FieldPath p, String text, boolean mustBePinned) {
        Optional<ImageReference> ref = parseOrReport(r, p, text);
        if (ref.isPresent() && !ref.get().pinned()) {
            if (mustBePinned) {
                String repo = ref.get().registry() == null ? ref.get().repository() : ref.get().registry() + "/" + ref.get().repository();
                r.error(p, "needs a tag or digest other than latest (" + repo + ":<version>)");
            } else {
                r.warning(p, "is not pinned: a tag other than latest, or a digest, keeps the host reproducible");
            }
        }
        return ref;
    }

    /** A repository without tag or digest, such as the name a built image is tagged into. */
    public static void checkRepository(ProblemReporter r, FieldPath p, String text) {
        Optional<ImageReference> ref = parseOrReport(r, p, text);
        if (ref.isPresent() && (ref.get().tag() != null || ref.get().digest() != null)) {
            r.error(p, "must be a repository without tag or digest (Lookout tags what it builds)");
        }
    }

    private static Optional<ImageReference> parseOrReport(ProblemReporter r, FieldPath p, String text) {
        if (text == null) {
            return Optional.empty();
        }
        Optional<ImageReference> ref = parse(text);
        if (ref.isEmpty()) {
            String hint = !text.equals(text.toLowerCase(java.util.Locale.ROOT)) && parse(lowerPath(text)).isPresent()
                    ? "repository names must be lower case" : "[registry/]repository[:tag][@digest]";
            r.error(p, "\"" + CommonRules.printable(text) + "\" is not a valid image reference (" + hint + ")");
        }
        return ref;
    }

    private static String lowerPath(String text) {
        int slash = text.indexOf('/');
        String head = slash < 0 ? "" : text.substring(0, slash + 1);
        return head + text.substring(head.length()).toLowerCase(java.util.Locale.ROOT);
    }
}
