package dev.lookout.nginx;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.lookout.api.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/**
 * The image Lookout builds: VTS compiled as a dynamic module against exactly {@code baseImage}'s nginx.
 * Kubernetes mode cannot build and uses {@code prebuilt} instead.
 */
public record NginxImage(
        @JsonPropertyDescription("Repository the built image is tagged into.") @Default(DEFAULT_REPOSITORY) String repository,
        @JsonPropertyDescription("Official nginx image the module is built against.") @Default(DEFAULT_BASE_IMAGE) String baseImage,
        @JsonPropertyDescription("nginx-module-vts version.") @Pattern(Patterns.VERSION) @Default(DEFAULT_VTS_VERSION) String vtsVersion,
        @JsonPropertyDescription("URL or local path of the module's source tarball.") String vtsSource,
        @JsonPropertyDescription("An image built elsewhere, used as is (Kubernetes mode).") String prebuilt) {

    public static final String DEFAULT_REPOSITORY = "lookout/nginx-vts";
    public static final String DEFAULT_BASE_IMAGE = "nginx:1.27";
    public static final String DEFAULT_VTS_VERSION = "0.2.4";

    public NginxImage {
        repository = repository == null ? DEFAULT_REPOSITORY : repository;
        baseImage = baseImage == null ? DEFAULT_BASE_IMAGE : baseImage;
        vtsVersion = vtsVersion == null ? DEFAULT_VTS_VERSION : vtsVersion;
    }

    static NginxImage defaults() {
        return new NginxImage(null, null, null, null, null);
    }
}
