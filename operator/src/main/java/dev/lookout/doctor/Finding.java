package dev.lookout.doctor;

/**
 * One pitfall found, with what to do about it.
 *
 * @param where the host, file or endpoint it concerns ({@code Docker host local}, {@code examples/comfy.yaml:12})
 */
public record Finding(String where, String problem, String fix) implements Comparable<Finding> {
    @Override
    public int compareTo(Finding o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return where + ": " + problem + ". " + fix;
    }
}
