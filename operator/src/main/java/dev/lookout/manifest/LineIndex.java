package dev.lookout.manifest;

import dev.lookout.validation.FieldPath;
import java.util.Map;

/** Where each field of one YAML document was written: JSON pointer to 1-based line. */
public record LineIndex(int documentLine, Map<String, Integer> lines) {
    public LineIndex {
        lines = Map.copyOf(lines);
    }

    /** The field's line, or its nearest written ancestor's when the field itself is absent (a missing field). */
    public int lineOf(FieldPath path) {
        for (FieldPath p = path; ; p = p.parent()) {
            Integer line = lines.get(p.pointer());
            if (line != null) {
                return line;
            }
            if (p.isRoot()) {
                return documentLine;
            }
        }
    }
}
