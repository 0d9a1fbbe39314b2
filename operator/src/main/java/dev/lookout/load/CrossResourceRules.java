package dev.lookout.load;

import dev.lookout.api.ObjectKey;
import dev.lookout.kind.LoadedResource;
import dev.lookout.manifest.LoadedSecret;
import dev.lookout.manifest.YamlDocument;
import dev.lookout.validation.FieldPath;
import dev.lookout.validation.KindValidator;
import dev.lookout.validation.ProblemReporter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Rules that need the whole set: duplicate identities, Secret references, claims only one resource may make. */
final class CrossResourceRules {

    void check(List<ManifestDecoder.Resource> resources, List<ManifestDecoder.Secret> secrets) {
        Map<ObjectKey, ManifestDecoder.Decoded> first = new HashMap<>();
        Map<ObjectKey, LoadedSecret> secretsByKey = new HashMap<>();
        for (ManifestDecoder.Secret s : secrets) {
            reportDuplicate(first, s.secret().key(), s, s.secret().source());
            secretsByKey.putIfAbsent(s.secret().key(), s.secret());
        }
        Map<String, ManifestDecoder.Resource> claims = new HashMap<>();
        for (ManifestDecoder.Resource r : resources) {
            LoadedResource resource = r.resource();
            reportDuplicate(first, resource.key(), r, resource.source());
            for (KindValidator.SecretUse use : resource.secretUses()) {
                checkSecretUse(resource.key().namespace(), use, secretsByKey, r.report());
            }
            resource.exclusive().ifPresent(claim -> {
                String field = claim.field().segments().get(claim.field().segments().size() - 1).toString();
                ManifestDecoder.Resource other = claims.putIfAbsent(resource.kind().kind() + "/" + field + "=" + claim.value(), r);
                if (other != null) {
                    r.report().error(claim.field(), field + " " + claim.value() + " already has " + other.resource().key()
                            + " at " + where(other.resource().source()) + " (" + claim.why() + ")");
                }
            });
        }
    }

    private static void reportDuplicate(Map<ObjectKey, ManifestDecoder.Decoded> first, ObjectKey key,
                                        ManifestDecoder.Decoded current, YamlDocument source) {
        if (current.report().hasErrorsAt(FieldPath.of("metadata", "name"))) {
            return; // a missing or invalid name is already reported; it identifies nothing to compare
        }
        ManifestDecoder.Decoded earlier = first.putIfAbsent(key, current);
        if (earlier != null) {
            YamlDocument firstSource = earlier instanceof ManifestDecoder.Resource r ? r.resource().source()
                    : ((ManifestDecoder.Secret) earlier).secret().source();
            current.report().error(FieldPath.of("metadata", "name"), "defined twice: first at " + where(firstSource)
                    + ", again at " + where(source) + " (names are unique per kind and namespace)");
        }
    }

    private static void checkSecretUse(String namespace, KindValidator.SecretUse use,
                                       Map<ObjectKey, LoadedSecret> secrets, ProblemReporter report) {
        ObjectKey key = new ObjectKey("Secret", namespace, use.ref().name());
        LoadedSecret secret = secrets.get(key);
        if (secret == null) {
            report.error(use.field().child("name"), "names no Secret " + namespace + "/" + use.ref().name()
                    + " in the loaded files (add a v1 Secret with that name)");
            return;
        }
        for (String required : use.requiredKeys()) {
            if (!secret.keys().contains(required)) {
                FieldPath at = use.ref().key() != null ? use.field().child("key") : use.field().child("name");
                report.error(at, "Secret " + namespace + "/" + use.ref().name() + " has no key \"" + required
                        + "\" (its keys: " + String.join(", ", secret.keys()) + ")");
            }
        }
    }

    private static String where(YamlDocument doc) {
        return doc.file() + ":" + doc.line();
    }
}
