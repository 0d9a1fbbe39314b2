package dev.lookout.load;

import dev.lookout.kind.KindDefinition;
import dev.lookout.registry.KindRegistry;
import dev.lookout.validation.Suggestions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides what a document is from its {@code apiVersion} and {@code kind}: one of Lookout's kinds, a
 * Secret, something else that a folder shared with {@code kubectl apply} may hold (ignored with a
 * warning), or a mistake (a near-miss kind name, or a lookout.dev version that does not exist).
 */
final class KindResolver {
    sealed interface Resolution {
    }

    record Lookout(KindDefinition<?> kind) implements Resolution {
    }

    record Secret() implements Resolution {
    }

    record Foreign(String description) implements Resolution {
    }

    record Invalid(String field, String message) implements Resolution {
    }

    private static final List<String> KINDS = KindRegistry.ALL.stream().map(KindDefinition::kind).toList();

    Resolution resolve(String apiVersion, String kind) {
        Optional<KindDefinition<?>> exact = KindRegistry.byKind(kind);
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        boolean ours = group.equals(KindDefinition.GROUP) || group.equals("lookout");
        if (exact.isPresent()) {
            if (apiVersion.equals(KindDefinition.API_VERSION)) {
                return new Lookout(exact.get());
            }
            if (kind.equals("NetworkPolicy") && group.equals("networking.k8s.io")) {
                return new Foreign(apiVersion + " " + kind);
            }
            return new Invalid("apiVersion", (ours ? "unknown version \"" : "unknown apiVersion \"") + apiVersion
                    + "\" for " + kind + " (allowed: " + KindDefinition.API_VERSION + ")");
        }
        if (kind.equals("Secret")) {
            return apiVersion.equals("v1") ? new Secret()
                    : new Invalid("apiVersion", "a Secret has apiVersion v1, not \"" + apiVersion + "\"");
        }
        Optional<String> nearMiss = nearMiss(kind);
        if (ours) {
            return new Invalid("kind", "unknown kind \"" + kind + "\" in " + KindDefinition.GROUP + " ("
                    + nearMiss.map(s -> "did you mean " + s + "? ").orElse("") + "known: " + String.join(", ", KINDS) + ")");
        }
        if (nearMiss.isPresent()) {
            return new Invalid("kind", "unknown kind \"" + kind + "\" (did you mean " + nearMiss.get()
                    + " with apiVersion " + KindDefinition.API_VERSION + "?)");
        }
        return new Foreign(apiVersion + " " + kind);
    }

    /** The Lookout kind a name was probably meant to be: plural, lower case, or a typo of one. */
    private static Optional<String> nearMiss(String kind) {
        String k = kind.toLowerCase(Locale.ROOT);
        for (KindDefinition<?> known : KindRegistry.ALL) {
            if (k.equals(known.plural()) || k.equals(known.kind().toLowerCase(Locale.ROOT))) {
                return Optional.of(known.kind());
            }
        }
        return Suggestions.closest(kind, KINDS);
    }
}
