package dev.lookout.exposition;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@code /metrics} payload says.
 *
 * @param samples every well-formed sample line, in payload order
 * @param types   the {@code # TYPE} of each metric family that has one, by family name
 * @param help    the {@code # HELP} text of each family that has one, unescaped
 * @param issues  the lines that were skipped, in payload order
 */
public record Exposition(List<Sample> samples, Map<String, MetricType> types, Map<String, String> help,
                         List<ParseIssue> issues) {
    public Exposition {
        samples = List.copyOf(samples);
        types = Map.copyOf(types);
        help = Map.copyOf(help);
        issues = List.copyOf(issues);
    }

    /** The samples named exactly {@code name}, any labels, in payload order. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The first sample named exactly {@code name}: enough for an unlabelled gauge. */
    public Optional<Sample> first(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
