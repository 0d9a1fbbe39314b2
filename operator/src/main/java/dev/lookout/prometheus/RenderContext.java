package dev.lookout.prometheus;

import dev.lookout.api.ObjectKey;
import dev.lookout.api.SecretKeyRef;
import dev.lookout.config.OperatorConfig;
import dev.lookout.manifest.LoadedSecret;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a kind's renderer may know besides its resource: the operator configuration, and a way to turn a
 * Secret reference into the path of a 0600 file (so that no rendered config ever holds the value).
 */
public final class RenderContext {
    private final OperatorConfig config;
    private final Map<ObjectKey, LoadedSecret> secrets;
    private final Consumer<RenderedFile> output;
    private final Map<ObjectKey, List<DiscoveredTarget>> discovered;

    public RenderContext(OperatorConfig config, Map<ObjectKey, LoadedSecret> secrets, Consumer<RenderedFile> output,
                  Map<ObjectKey, List<DiscoveredTarget>> discovered) {
        this.config = config;
        this.secrets = secrets;
        this.output = output;
        this.discovered = discovered;
    }

    /** What a platform found for {@code key}, sorted by target (so the render stays deterministic). */
    public List<DiscoveredTarget> discovered(ObjectKey key) {
        return discovered.getOrDefault(key, List.of()).stream().sorted().toList();
    }

    public OperatorConfig config() {
        return config;
    }

    /** Path, as Prometheus sees it, of a file under the output directory. */
    public String prometheusPath(String relative) {
        return config.prometheus().outputDir() + "/" + relative;
    }

    /** A secret for Prometheus to read (scrape basic auth): written under the output directory. */
    public String prometheusSecretFile(String namespace, SecretKeyRef ref) {
        String relative = "secrets/" + secretFileName(namespace, ref);
        output.accept(RenderedFile.secret(OutputTree.PROMETHEUS + relative, value(namespace, ref)));
        return prometheusPath(relative);
    }

    /** A secret for blackbox-exporter to read (probe basic auth): written where blackbox reads them (secretsDir). */
    public String blackboxSecretFile(String namespace, SecretKeyRef ref) {
        String name = secretFileName(namespace, ref);
        output.accept(RenderedFile.secret(OutputTree.BLACKBOX_SECRETS + name, value(namespace, ref)));
        return config.blackbox().secretsDir() + "/" + name;
    }

    private byte[] value(String namespace, SecretKeyRef ref) {
        LoadedSecret secret = secrets.get(new ObjectKey("Secret", namespace, ref.name()));
        if (secret == null || secret.value(ref.key()) == null) {
            // Validation reports missing Secrets; a renderer reached without one is a programming error.
            throw new IllegalStateException("Secret " + namespace + "/" + ref.name() + " key " + ref.key() + " not loaded");
        }
        return secret.value(ref.key());
    }

    private static String secretFileName(String namespace, SecretKeyRef ref) {
        return namespace + "." + ref.name() + "." + ref.key();
    }
}
