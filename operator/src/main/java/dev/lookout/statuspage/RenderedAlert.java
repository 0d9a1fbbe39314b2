package dev.lookout.statuspage;

/**
 * One alerting rule as Lookout wrote it, read back from its rule file.
 *
 * @param group    the rule group, named after the resource's job
 * @param duration the rule's {@code for}, empty when it fires at once
 * @param severity the {@code severity} label, empty when none
 */
record RenderedAlert(String group, String alert, String expr, String duration, String severity) {
}
