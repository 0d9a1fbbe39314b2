package dev.lookout.validation;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for field and kind names: the closest candidate within a small edit distance. */
public final class Suggestions {
    private Suggestions() {
    }

    public static Optional<String> closest(String given, Collection<String> candidates) {
        String g = given.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(3, g.length() / 3));
        return candidates.stream()
                .filter(c -> distance(g, c.toLowerCase(Locale.ROOT)) <= limit)
                .min(Comparator.comparingInt((String c) -> distance(g, c.toLowerCase(Locale.ROOT))).thenComparing(c -> c));
    }

    /** {@code unknown field "x" (did you mean y? known: a, b)}, the one wording for every unknown field. */
    public static String unknownField(String name, Collection<String> known) {
        if (known.isEmpty()) {
            return "unknown field \"" + name + "\" (this field takes no sub-fields)";
        }
        String hint = closest(name, known).map(s -> "did you mean " + s + "? ").orElse("");
        return "unknown field \"" + name + "\" (" + hint + "known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")";
    }

    /**
     * Edit distance counting a swap of two neighbours as one edit (optimal string alignment), since
     * {@code sepc} for {@code spec} is the typical typo. Inputs are short names: the table is fine.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
