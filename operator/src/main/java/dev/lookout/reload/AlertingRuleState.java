package dev.lookout.reload;

/**
 * One alerting rule as Prometheus evaluates it.
 *
 * @param group     the rule group's name (Lookout names each resource's group after its job)
 * @param state     {@code inactive}, {@code pending} or {@code firing}
 * @param health    {@code ok}, {@code err} or {@code unknown} (not evaluated yet)
 * @param lastError the evaluation error, empty when none
 */
public record AlertingRuleState(String group, String alert, String state, String health, String lastError) {
}
