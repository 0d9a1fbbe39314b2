package dev.lookout.load;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.LoadedResource;
import dev.lookout.manifest.LoadedSecret;
import dev.lookout.manifest.YamlDocument;
import dev.lookout.manifest.YamlDocumentReader;
import dev.lookout.validation.Problem;
import dev.lookout.validation.ProblemReporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads and validates manifests: files → YAML documents → typed resources → each kind's rules →
 * rules across resources. Every problem is collected; a bad document is rejected on its own.
 */
public final class ManifestLoader {
    private final YamlDocumentReader reader = new YamlDocumentReader();
    private final ManifestDecoder decoder = new ManifestDecoder();

    public ManifestSet load(List<Path> paths) {
        ManifestFiles.Found found = ManifestFiles.find(paths);
        List<Problem> problems = new ArrayList<>(found.problems());
        List<YamlDocument> documents = new ArrayList<>();
        // Parsing dominates and each file is independent: read them in parallel, keep their order.
        for (YamlDocumentReader.Result read : found.files().parallelStream().map(reader::read).toList()) {
            documents.addAll(read.documents());
            problems.addAll(read.problems());
        }
        return validate(documents, problems);
    }

    /** Validates documents already read (the directory source reads files itself as they change). */
    public ManifestSet validate(List<YamlDocument> documents, List<Problem> problems) {
        return validate(documents, problems, true);
    }

    /**
     * Validates documents on their own, without the rules that span resources (a Secret in another file):
     * enough to tell whether a file being written is complete yet.
     */
    public boolean validAlone(List<YamlDocument> documents) {
        return validate(documents, new ArrayList<>(), false).valid();
    }

    private ManifestSet validate(List<YamlDocument> documents, List<Problem> problems, boolean acrossResources) {
        List<ManifestDecoder.Decoded> decoded = new ArrayList<>();
        for (YamlDocument doc : documents) {
            decoded.add(decoder.decode(doc, problems));
        }
        List<ManifestDecoder.Resource> resources = new ArrayList<>();
        List<ManifestDecoder.Secret> secrets = new ArrayList<>();
        for (ManifestDecoder.Decoded d : decoded) {
            if (d instanceof ManifestDecoder.Resource r) {
                r.resource().validate(r.report());
                resources.add(r);
            } else if (d instanceof ManifestDecoder.Secret s) {
                secrets.add(s);
            }
        }
        if (acrossResources) {
            new CrossResourceRules().check(resources, secrets);
        }
        return collect(decoded, problems);
    }

    private static ManifestSet collect(List<ManifestDecoder.Decoded> decoded, List<Problem> problems) {
        List<LoadedResource> accepted = new ArrayList<>();
        Map<ObjectKey, LoadedSecret> secrets = new TreeMap<>();
        int rejected = 0;
        Map<ObjectKey, Boolean> seen = new HashMap<>();
        for (ManifestDecoder.Decoded d : decoded) {
            ProblemReporter report = d.report();
            if (report.hasErrors()) {
                rejected++;
                continue;
            }
            if (d instanceof ManifestDecoder.Resource r && seen.putIfAbsent(r.resource().key(), true) == null) {
                accepted.add(r.resource());
            } else if (d instanceof ManifestDecoder.Secret s) {
                secrets.putIfAbsent(s.secret().key(), s.secret());
            }
        }
        return new ManifestSet(accepted, secrets, problems, rejected);
    }
}
