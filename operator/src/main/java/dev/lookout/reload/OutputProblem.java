package dev.lookout.reload;

/**
 * A problem Lookout's own checks found in a rendered file, before anything is written for Prometheus.
 *
 * @param path    the file's path in the output tree ({@code prometheus/scrape/<kind>.<ns>.<name>.yml}),
 *                which names the resource it came from
 * @param message what is wrong, with the job or group it is in
 */
public record OutputProblem(String path, String message) implements Comparable<OutputProblem> {
    @Override
    public int compareTo(OutputProblem o) {
        int byPath = path.compareTo(o.path);
        return byPath != 0 ? byPath : message.compareTo(o.message);
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
