package dev.lookout.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.validation.Problem;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads a multi-document YAML file into {@link YamlDocument}s. Documents before a syntax error are
 * kept; the error is reported with its line and ends the file (YAML cannot resynchronise after it).
 */
public final class YamlDocumentReader {
    /** Manifest files are hand-written; anything this big is a mistake or an attack. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    static final int MAX_ALIASES = 100;
    static final int MAX_NODES_PER_DOCUMENT = 50_000;
    static final int MAX_DEPTH = 64;

    public record Result(List<YamlDocument> documents, List<Problem> problems) {
    }

    public Result read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                return failed(file, 1, "file is " + size + " bytes; manifests are limited to " + MAX_FILE_BYTES);
            }
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return read(file, text);
        } catch (CharacterCodingException e) {
            return failed(file, 1, "file is not valid UTF-8");
        } catch (IOException e) {
            return failed(file, 1, "cannot read: " + e.getMessage());
        }
    }

    public Result read(Path file, String text) {
        List<YamlDocument> documents = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Iterator<Node> nodes = newYaml().composeAll(new StringReader(text)).iterator();
        int index = 0;
        int lastLine = 1;
        try {
            while (nodes.hasNext()) {
                Node node = nodes.next();
                if (node == null) {
                    continue;
                }
                lastLine = node.getStartMark().getLine() + 1;
                int nextLine = node.getEndMark() == null ? lastLine : node.getEndMark().getLine() + 1;
                YamlTreeBuilder builder = new YamlTreeBuilder(MAX_NODES_PER_DOCUMENT, MAX_DEPTH);
                try {
                    JsonNode root = builder.build(node);
                    if (!root.isNull()) {
                        documents.add(new YamlDocument(file, index, root, new LineIndex(lastLine, builder.lines())));
                    }
                } catch (YamlSyntaxException e) {
                    problems.add(Problem.error(file, e.line(), e.getMessage()));
                }
                index++;
                lastLine = nextLine; // an error without a position belongs to what follows this document
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? lastLine : mark.getLine() + 1;
            problems.add(Problem.error(file, line, "invalid YAML: " + describe(e)));
        } catch (YAMLException e) {
            problems.add(Problem.error(file, lastLine, "invalid YAML: " + e.getMessage()));
        }
        return new Result(documents, problems);
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext() + ": ";
        return (context + problem).replaceAll("\\s+", " ").trim();
    }

    private static Result failed(Path file, int line, String message) {
        return new Result(List.of(), List.of(Problem.error(file, line, message)));
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_FILE_BYTES);
        options.setProcessComments(false);
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new ManifestResolver());
    }
}
