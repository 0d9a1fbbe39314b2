package dev.lookout.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** What {@code lookout doctor} found, and what it could not look at (a host that does not answer, say). */
public final class Examination {
    private final TreeSet<Finding> findings = new TreeSet<>();
    private final List<String> couldNotLook = new ArrayList<>();

    void found(String where, String problem, String fix) {
        findings.add(new Finding(where, problem, fix));
    }

    void couldNotLook(String what) {
        couldNotLook.add(what);
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    public List<String> couldNotLook() {
        return List.copyOf(couldNotLook);
    }

    /** 1 when something was found, else 2 when something could not be looked at, else 0. */
    public int exitCode() {
        return !findings.isEmpty() ? 1 : !couldNotLook.isEmpty() ? 2 : 0;
    }
}
