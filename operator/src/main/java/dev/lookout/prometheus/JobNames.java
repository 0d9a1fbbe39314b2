package dev.lookout.prometheus;

import dev.lookout.api.ObjectKey;
import java.util.Locale;

/**
 * Names Lookout owns, derived from a resource's identity so they are stable and cannot collide:
 * kind, namespace and name are each DNS-1123, so '/' and '.' separate them unambiguously.
 */
public final class JobNames {
    private JobNames() {
    }

    /** The scrape job, and the {@code job} label every alert of the resource selects on. */
    /** The job that scrapes Lookout's own /metrics (restart counts), rendered when a resource's rules read them. */
    public static final String OPERATOR_JOB = "lookout/operator";

    public static String job(ObjectKey key) {
        return "lookout/" + key.kind().toLowerCase(Locale.ROOT) + "/" + key.namespace() + "/" + key.name();
    }

    /** File name stem for the resource's scrape, rule and target files. */
    public static String fileStem(ObjectKey key) {
        return key.kind().toLowerCase(Locale.ROOT) + "." + key.namespace() + "." + key.name();
    }

    /** The blackbox module of a ComfyProbe. */
    public static String blackboxModule(ObjectKey key) {
        return "lookout/" + key.namespace() + "/" + key.name();
    }

    /**
     * Container Lookout runs for a resource: {@code lookout-<role>-<ns>_<name>}. Namespaces and names never
     * contain {@code _}, so the separator keeps {@code a-b/c} and {@code a/b-c} apart.
     */
    public static String container(String role, ObjectKey key) {
        return "lookout-" + role + "-" + key.namespace() + "_" + key.name();
    }
}
