package dev.lookout.prometheus;

import java.util.function.UnaryOperator;

/** Test-only edits of a rendered tree: what a renderer bug would produce, below Lookout's own checks. */
public final class TreeSurgery {
    private TreeSurgery() {
    }

    /** The tree with the text of {@code path} (when present) replaced through {@code edit}. */
    public static OutputTree editText(OutputTree tree, String path, UnaryOperator<String> edit) {
        OutputTree copy = new OutputTree();
        for (RenderedFile f : tree.files()) {
            copy.add(f.path().equals(path) && !f.secret() ? RenderedFile.text(path, edit.apply(f.text())) : f);
        }
        return copy;
    }
}
