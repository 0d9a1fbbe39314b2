package dev.lookout.engine;

import dev.lookout.api.ObjectKey;
import java.util.Optional;

/** Reads back the {@code Kind namespace/name} a {@link dev.lookout.validation.Problem} names. */
final class ProblemKeys {
    private ProblemKeys() {
    }

    static Optional<ObjectKey> parse(String resource) {
        if (resource == null) {
            return Optional.empty();
        }
        int space = resource.indexOf(' ');
        int slash = resource.indexOf('/', space + 1);
        if (space <= 0 || slash < 0) {
            return Optional.empty();
        }
        return Optional.of(new ObjectKey(resource.substring(0, space), resource.substring(space + 1, slash),
                resource.substring(slash + 1)));
    }
}
