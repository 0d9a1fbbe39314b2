package dev.lookout.load;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.LoadedResource;
import dev.lookout.manifest.LoadedSecret;
import dev.lookout.validation.Problem;
import java.util.List;
import java.util.Map;

/**
 * Everything loaded from a set of manifest files: the resources and Secrets that passed every check
 * ({@code accepted}), and all problems, sorted. A rejected document never hides the others.
 *
 * @param rejected how many documents meant for Lookout had at least one error
 */
public record ManifestSet(List<LoadedResource> resources, Map<ObjectKey, LoadedSecret> secrets,
                          List<Problem> problems, int rejected) {
    public ManifestSet {
        resources = resources.stream().sorted(java.util.Comparator.comparing(LoadedResource::key)).toList();
        secrets = Map.copyOf(secrets);
        problems = problems.stream().sorted().toList();
    }

    public int accepted() {
        return resources.size() + secrets.size();
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    public boolean valid() {
        return errors().isEmpty();
    }
}
