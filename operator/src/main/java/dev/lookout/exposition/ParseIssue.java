package dev.lookout.exposition;

/**
 * A line the parser skipped, and why.
 *
 * @param line    1-based line number in the payload
 * @param excerpt the line, cut to {@link #MAX_EXCERPT} characters: it ends up in logs and status messages
 * @param reason  what is wrong with it, in words
 * @param prometheusAccepts whether Prometheus's scrape lets it pass (a repeated series, a second # HELP); a line it
 *                refuses fails the whole scrape
 */
public record ParseIssue(int line, String excerpt, String reason, boolean prometheusAccepts) {
    /** A line Prometheus refuses too. */
    public ParseIssue(int line, String excerpt, String reason) {
        this(line, excerpt, reason, false);
    }

    public static final int MAX_EXCERPT = 120;

    static ParseIssue of(int line, String text, String reason, boolean prometheusAccepts) {
        String excerpt = text.length() <= MAX_EXCERPT ? text : text.substring(0, MAX_EXCERPT) + "…";
        return new ParseIssue(line, excerpt, reason, prometheusAccepts);
    }

    @Override
    public String toString() {
        return "line " + line + ": " + reason + ": " + excerpt;
    }
}
