package dev.lookout.engine;

import dev.lookout.api.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** metav1.Condition bookkeeping: {@code lastTransitionTime} moves only when a condition's status changes. */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {
    }

    /** The list with condition {@code type} set, keeping its transition time when only reason or message changed. */
    public static List<Condition> set(List<Condition> current, String type, String status, String reason, String message, Instant now) {
        List<Condition> next = new ArrayList<>(current.size() + 1);
        boolean found = false;
        for (Condition c : current) {
            if (c.type().equals(type)) {
                found = true;
                String since = status.equals(c.status()) && c.lastTransitionTime() != null
                        ? c.lastTransitionTime() : now.truncatedTo(ChronoUnit.SECONDS).toString();
                next.add(new Condition(type, status, reason, message, since));
            } else {
                next.add(c);
            }
        }
        if (!found) {
            next.add(new Condition(type, status, reason, message, now.truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        return List.copyOf(next);
    }

    public static Condition find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
    }
}
