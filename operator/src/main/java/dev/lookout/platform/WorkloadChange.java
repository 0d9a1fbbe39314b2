package dev.lookout.platform;

/**
 * One step from what a host has to what Lookout wants there (a container on Docker): what {@code lookout plan} prints and what a
 * reconciler carries out.
 *
 * @param owner  {@code <kind>.<namespace>.<name>} of the resource the container belongs to
 * @param reason why, in words (e.g. "spec changed (hash 1a2b… → 3c4d…)")
 */
public record WorkloadChange(Action action, String host, String workload, String owner, String reason) {
    public enum Action {
        /** An image to build before its container can be created. */
        BUILD("*"),
        CREATE("+"), RECREATE("-/+"), START("~"), REMOVE("-"),
        /** Lookout cannot act: a container it does not own stands in the way. */
        BLOCKED("!");

        private final String symbol;

        Action(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }
}
