package dev.lookout.kubernetes.platform;

import dev.lookout.platform.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A workload's files (its own and its live configuration's, which on Kubernetes are the same thing) as a ConfigMap,
 * a Secret, and the projected volumes that put each file at its path.
 *
 * <p>Which file is secret: one the owner alone may read (no group or other read bit, e.g. a TLS key at 0600), an
 * htpasswd (a password hash, readable by nginx's workers and still nobody else's business), or a {@code *.key}.
 * Everything else is configuration, which {@code kubectl get configmap -o yaml} may show.
 *
 * <p>No subPath: a subPath mount is never updated by the kubelet, and a mount per file would be one volume per file.
 * Files are grouped under the highest folders that hold them, and each such folder is one projected volume (ConfigMap
 * and Secret items side by side, each with its mode). That folder is then the volume's alone, hiding what the image
 * had there: the kinds put their files in folders of their own ({@code /etc/nginx/lookout}).
 */
final class WorkloadFiles {
    private final List<Workload.WorkloadFile> files;

    /** @param workload its files, then its live files (a path in both: the live one wins, as it is what reloads) */
    WorkloadFiles(Workload workload) {
        Map<String, Workload.WorkloadFile> byPath = new TreeMap<>();
        workload.files().forEach(f -> byPath.put(f.path(), f));
        if (workload.live() != null) {
            workload.live().files().forEach(f -> byPath.put(f.path(), f));
        }
        this.files = List.copyOf(byPath.values());
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    static boolean secret(Workload.WorkloadFile file) {
        String name = file.path().substring(file.path().lastIndexOf('/') + 1);
        return (file.mode() & 0044) == 0 || name.equals("htpasswd") || name.endsWith(".htpasswd") || name.endsWith(".key");
    }

    static String configMapName(String objectName) {
        return objectName + "-files";
    }

    static String secretName(String objectName) {
        return objectName + "-secret";
    }

    /** The ConfigMap with the non-secret files; empty when there are none. UTF-8 text as data, anything else binary. */
    Optional<ConfigMap> configMap(ObjectMeta meta) {
        List<Workload.WorkloadFile> plain = files.stream().filter(f -> !secret(f)).toList();
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> data = new TreeMap<>();
        Map<String, String> binary = new TreeMap<>();
        for (Workload.WorkloadFile f : plain) {
            Optional<String> text = utf8(f.content());
            if (text.isPresent()) {
                data.put(key(f.path()), text.get());
            } else {
                binary.put(key(f.path()), Base64.getEncoder().encodeToString(f.content()));
            }
        }
        return Optional.of(new ConfigMapBuilder().withMetadata(meta).withData(data).withBinaryData(binary.isEmpty() ? null : binary).build());
    }

    /** The Secret with the secret files; empty when there are none. */
    Optional<Secret> secret(ObjectMeta meta) {
        Map<String, String> data = new TreeMap<>();
        files.stream().filter(WorkloadFiles::secret)
                .forEach(f -> data.put(key(f.path()), Base64.getEncoder().encodeToString(f.content())));
        return data.isEmpty() ? Optional.empty()
                : Optional.of(new SecretBuilder().withMetadata(meta).withType("Opaque").withData(data).build());
    }

    /** One projected volume per top folder, named {@code files-0}, {@code files-1}… in the folders' order. */
    List<Volume> volumes(String objectName) {
        List<Volume> volumes = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<Workload.WorkloadFile>> folder : byTopFolder().entrySet()) {
            List<KeyToPath> plain = new ArrayList<>();
            List<KeyToPath> secret = new ArrayList<>();
            for (Workload.WorkloadFile f : folder.getValue()) {
                KeyToPath item = new KeyToPath(key(f.path()), f.mode() & 0777, relative(folder.getKey(), f.path()));
                (secret(f) ? secret : plain).add(item);
            }
            ProjectedVolumeSource projected = new ProjectedVolumeSource();
            if (!plain.isEmpty()) {
                projected.getSources().add(new VolumeProjectionBuilder().withNewConfigMap()
                        .withName(configMapName(objectName)).withItems(plain).endConfigMap().build());
            }
            if (!secret.isEmpty()) {
                projected.getSources().add(new VolumeProjectionBuilder().withNewSecret()
                        .withName(secretName(objectName)).withItems(secret).endSecret().build());
            }
            volumes.add(new VolumeBuilder().withName("files-" + i++).withProjected(projected).build());
        }
        return volumes;
    }

    /** The mounts of {@link #volumes}, read-only: the workload reads its files, Lookout writes them. */
    List<VolumeMount> mounts() {
        List<VolumeMount> mounts = new ArrayList<>();
        int i = 0;
        for (String folder : byTopFolder().keySet()) {
            mounts.add(new VolumeMountBuilder().withName("files-" + i++).withMountPath(folder).withReadOnly(true).build());
        }
        return mounts;
    }

    /** A digest of every path, mode and content: what the pod template carries so that a change rolls the pod. */
    String digest() {
        StringBuilder all = new StringBuilder();
        for (Workload.WorkloadFile f : files) {
            all.append(f.path()).append(' ').append(Integer.toOctalString(f.mode())).append(' ')
                    .append(ObjectNames.digest(f.content())).append('\n');
        }
        return ObjectNames.digest(all.toString()).substring(0, 16);
    }

    /**
     * The files by the highest folder that holds files directly: {@code /etc/nginx/lookout/tls/tls.key} goes with
     * {@code /etc/nginx/lookout/nginx.conf} into {@code /etc/nginx/lookout}, as a mount inside a mount would hide
     * nothing but order the kubelet's work.
     */
    private Map<String, List<Workload.WorkloadFile>> byTopFolder() {
        TreeSet<String> folders = new TreeSet<>();
        files.forEach(f -> folders.add(parent(f.path())));
        List<String> tops = folders.stream().filter(d -> folders.stream().noneMatch(o -> !o.equals(d) && within(o, d))).toList();
        Map<String, List<Workload.WorkloadFile>> grouped = new LinkedHashMap<>();
        for (String top : tops) {
            grouped.put(top, files.stream().filter(f -> within(top, parent(f.path()))).toList());
        }
        return grouped;
    }

    private static boolean within(String folder, String path) {
        return path.equals(folder) || path.startsWith(folder.endsWith("/") ? folder : folder + "/");
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String relative(String folder, String path) {
        return path.substring(folder.endsWith("/") ? folder.length() : folder.length() + 1);
    }

    /**
     * A ConfigMap or Secret key from a path (keys allow letters, digits, '-', '_' and '.'): {@code
     * etc_nginx_lookout_nginx.conf}. '/' becomes '_' and any other character a key cannot hold '-', so two paths could
     * meet in one key ({@code a_b/c} and {@code a/b_c}); a path with '_' or such a character therefore ends in 8 hex
     * digits of its own digest, which keeps the keys of two paths apart.
     */
    static String key(String path) {
        String plain = path.replaceAll("^/+", "");
        String key = plain.replace('/', '_').replaceAll("[^A-Za-z0-9._-]", "-");
        boolean lossy = plain.indexOf('_') >= 0 || !plain.matches("[A-Za-z0-9./-]*");
        return lossy ? key + "-" + ObjectNames.digest(path).substring(0, 8) : key;
    }

    private static Optional<String> utf8(byte[] content) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
