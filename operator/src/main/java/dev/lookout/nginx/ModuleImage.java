package dev.lookout.nginx;

import dev.lookout.platform.Workload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An nginx image with one third-party module compiled against exactly its base's nginx, as a two-stage build the
 * platform runs (pure: the same inputs give the same Dockerfile and digest).
 *
 * <p>Stage 1 starts from the base, reads its nginx version ({@code nginx -v}) and configure arguments ({@code nginx -V},
 * printed into the build log), gets that version's source (a Debian nginx: {@code apt-get source} of the very
 * package version installed; any other, such as nginx.org's official images: the release tarball, from a URL an
 * air-gapped site can point elsewhere), and compiles the module with {@code ./configure --with-compat
 * --add-dynamic-module} and {@code make modules}: {@code --with-compat} is what both Debian's and nginx.org's builds
 * use, so the module loads into their binary without repeating their every flag (and the libraries those need).
 * Stage 2 is the base plus the {@code .so} in {@link NginxConf#MODULES}.
 */
public final class ModuleImage {
    /** lookout.yaml's {@code images} key that replaces {@link #NGINX_SOURCE_URL} (an air-gapped site's mirror). */
    public static final String NGINX_SOURCE_ROLE = "nginx-source";
    /** nginx.org's release tarballs; {@code %s} is the version. */
    public static final String NGINX_SOURCE_URL = "https://nginx.org/download/nginx-%s.tar.gz";
    /** Run in the base before a build: the built image keeps what it prints, and the status reports the version. */
    static final List<String> DESCRIBE = List.of("sh", "-c", "nginx -v 2>&1");

    /** Where the module's source goes in the build context. */
    static final String MODULE_DIR = "module/";

    private ModuleImage() {
    }

    /**
     * @param module      the module's name, as its {@code .so} is called ({@code ngx_http_vhost_traffic_status_module})
     * @param source      the module's source files by path relative to its top folder (its {@code config} among them)
     * @param label       what the tag starts with ({@code vts-0.2.4})
     * @param nginxSource where a non-Debian nginx's source is fetched from ({@code %s}: the version)
     */
    public static Workload.ImageBuild build(String repository, String baseImage, String module, Map<String, byte[]> source,
                                            String label, String nginxSource) {
        Map<String, byte[]> context = new TreeMap<>();
        source.forEach((path, bytes) -> context.put(MODULE_DIR + path, bytes));
        String dockerfile = dockerfile(baseImage, module, nginxSource);
        context.put("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8));
        return new Workload.ImageBuild(repository, baseImage, context, digest(context), label, DESCRIBE);
    }

    /** {@code 1.22.1} from {@code nginx version: nginx/1.22.1}; null when the text says no version. */
    public static String nginxVersion(String description) {
        if (description == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("nginx version: [^/\\s]+/(\\S+)").matcher(description);
        return m.find() ? m.group(1) : null;
    }

    static String dockerfile(String baseImage, String module, String nginxSource) {
        return """
                # Written by Lookout: %2$s compiled against exactly this base image's nginx.
                FROM %1$s AS build
                ARG NGINX_SOURCE_URL=%3$s
                COPY module/ /build/module/
                RUN set -eu; \\
                    version="$(nginx -v 2>&1 | sed -n 's|^nginx version: nginx/||p' | cut -d' ' -f1)"; \\
                    [ -n "$version" ] || { echo "no nginx in this image: nginx -v says $(nginx -v 2>&1)" >&2; exit 1; }; \\
                    tarball() { \\
                      rm -f /etc/apt/sources.list.d/lookout-src.list; \\
                      apt-get update -q; apt-get install -y -q --no-install-recommends curl ca-certificates $packages; \\
                      curl -fsSL "$(echo "$NGINX_SOURCE_URL" | sed "s|%%s|$version|")" | tar -xz; \\
                      src="/build/src/nginx-$version"; \\
                    }; \\
                    echo "nginx $version, configured with: $(nginx -V 2>&1 | sed -n 's/^configure arguments: //p')"; \\
                    export DEBIAN_FRONTEND=noninteractive; \\
                    . /etc/os-release; \\
                    packages="gcc make libc6-dev libpcre2-dev zlib1g-dev libssl-dev"; \\
                    pkg="$(dpkg -S "$(readlink -f "$(command -v nginx)")" 2>/dev/null | cut -d: -f1 | head -n1 || true)"; \\
                    mkdir -p /build/src; cd /build/src; \\
                    if [ -n "$pkg" ] && ! dpkg-query -W -f='${Version}' "$pkg" | grep -q '~'; then \\
                      srcver="$(dpkg-query -W -f='${source:Version}' "$pkg")"; \\
                      srcpkg="$(dpkg-query -W -f='${source:Package}' "$pkg")"; \\
                      { echo "deb-src http://deb.debian.org/debian $VERSION_CODENAME main"; \\
                        echo "deb-src http://deb.debian.org/debian $VERSION_CODENAME-updates main"; \\
                        echo "deb-src http://deb.debian.org/debian-security $VERSION_CODENAME-security main"; \\
                      } > /etc/apt/sources.list.d/lookout-src.list; \\
                      apt-get update -q || true; apt-get install -y -q --no-install-recommends dpkg-dev $packages; \\
                      if apt-get source -q "$srcpkg=$srcver"; then \\
                        src="$(find /build/src -mindepth 1 -maxdepth 1 -type d -name 'nginx-*' | head -n1)"; \\
                      else \\
                        echo "$srcpkg $srcver is no longer in the archive: building against nginx.org's $version instead"; \\
                        tarball; \\
                      fi; \\
                    else \\
                      tarball; \\
                    fi; \\
                    cd "$src"; \\
                    ./configure --with-compat --add-dynamic-module=/build/module; \\
                    make modules; \\
                    mkdir -p /build/out; cp objs/%2$s.so /build/out/

                FROM %1$s
                COPY --from=build /build/out/%2$s.so %4$s%2$s.so
                """.formatted(baseImage, module, nginxSource, NginxConf.MODULES);
    }

    /** SHA-256 over every path and file of the context, in path order. */
    static String digest(Map<String, byte[]> context) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(context).forEach((path, bytes) -> {
                sha.update(path.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Long.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(bytes);
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
