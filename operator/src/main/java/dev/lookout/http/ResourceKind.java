package dev.lookout.http;

import dev.lookout.kind.KindDefinition;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A kind as its CRD names it: what kubectl accepts for it on the command line, and its printer columns.
 *
 * @param name the kind name, e.g. {@code ComfyProbe} (the {@code kind} field of its objects)
 */
public record ResourceKind(KindDefinition<?> kind, String name, String plural, String singular, List<String> shortNames,
                           List<PrinterColumn> columns) {
    public ResourceKind {
        shortNames = List.copyOf(shortNames);
        columns = List.copyOf(columns);
    }

    /**
     * Whether {@code given} names this kind as kubectl would take it: the kind, plural, singular or a
     * short name, case-insensitively, optionally qualified by the group ({@code networkpolicies.lookout.dev},
     * the way to tell it from networking.k8s.io's NetworkPolicy).
     */
    public boolean isNamedBy(String given) {
        String g = given.toLowerCase(Locale.ROOT);
        String suffix = "." + KindDefinition.GROUP;
        String unqualified = g.endsWith(suffix) ? g.substring(0, g.length() - suffix.length()) : g;
        return names().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(unqualified));
    }

    /** Every name {@link #isNamedBy} accepts, unqualified. */
    Stream<String> names() {
        return Stream.concat(Stream.of(name, plural, singular), shortNames.stream());
    }
}
