package dev.lookout.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.platform.Workload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleImageTest {
    static final Map<String, byte[]> SOURCE = Map.of("config", "ngx_addon_name=x\n".getBytes(StandardCharsets.UTF_8),
            "src/x.c", "int x;\n".getBytes(StandardCharsets.UTF_8));

    @Test
    void theBuildCarriesTheModuleAndATwoStageDockerfileAgainstTheBase() {
        Workload.ImageBuild b = ModuleImage.build("lookout/nginx-vts", "nginx:1.27", NginxConf.VTS_MODULE, SOURCE, "vts-0.2.4",
                ModuleImage.NGINX_SOURCE_URL);
        assertThat(b.context()).containsOnlyKeys("Dockerfile", "module/config", "module/src/x.c");
        String dockerfile = new String(b.context().get("Dockerfile"), StandardCharsets.UTF_8);
        assertThat(dockerfile).contains("FROM nginx:1.27 AS build\n", "./configure --with-compat --add-dynamic-module=/build/module",
                "make modules", "apt-get source", "ARG NGINX_SOURCE_URL=https://nginx.org/download/nginx-%s.tar.gz",
                "\nFROM nginx:1.27\nCOPY --from=build /build/out/ngx_http_vhost_traffic_status_module.so "
                        + "/usr/lib/nginx/lookout-modules/ngx_http_vhost_traffic_status_module.so\n");
    }

    @Test
    void theDigestFollowsEveryInput() {
        String one = ModuleImage.build("r", "nginx:1.27", "m", SOURCE, "l", ModuleImage.NGINX_SOURCE_URL).inputs();
        assertThat(ModuleImage.build("r", "nginx:1.27", "m", SOURCE, "l", ModuleImage.NGINX_SOURCE_URL).inputs()).isEqualTo(one);
        assertThat(ModuleImage.build("r", "nginx:1.28", "m", SOURCE, "l", ModuleImage.NGINX_SOURCE_URL).inputs()).isNotEqualTo(one);
        assertThat(ModuleImage.build("r", "nginx:1.27", "m", Map.of("config", new byte[] {1}), "l", ModuleImage.NGINX_SOURCE_URL)
                .inputs()).isNotEqualTo(one);
        assertThat(ModuleImage.build("r", "nginx:1.27", "m", SOURCE, "l", "http://mirror/nginx-%s.tgz").inputs()).isNotEqualTo(one);
    }

    @Test
    void aReleaseTarballLosesItsTopFolderAndAFolderIsReadAsIs(@TempDir Path tmp) throws IOException {
        Path tarball = tmp.resolve("nginx-module-vts-0.2.4.tar.gz");
        Files.write(tarball, tarGz(Map.of("nginx-module-vts-0.2.4/config", "c", "nginx-module-vts-0.2.4/src/a.c", "a")));
        assertThat(ModuleSource.read(tarball)).containsOnlyKeys("config", "src/a.c");
        Path folder = Files.createDirectories(tmp.resolve("vts/src"));
        Files.writeString(tmp.resolve("vts/config"), "c");
        Files.writeString(folder.resolve("a.c"), "a");
        assertThat(ModuleSource.read(tmp.resolve("vts"))).containsOnlyKeys("config", "src/a.c");
    }

    @Test
    void somethingThatIsNoModuleIsSaidSo(@TempDir Path tmp) throws IOException {
        Path tarball = tmp.resolve("x.tar.gz");
        Files.write(tarball, tarGz(Map.of("README", "r")));
        assertThatThrownBy(() -> ModuleSource.read(tarball)).hasMessageContaining("holds no nginx module: there is no config file");
    }

    static byte[] tarGz(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void theNginxVersionIsReadFromWhatNginxVSays() {
        assertThat(ModuleImage.nginxVersion("nginx version: nginx/1.22.1")).isEqualTo("1.22.1");
        assertThat(ModuleImage.nginxVersion("nginx version: openresty/1.25.3.2\n")).isEqualTo("1.25.3.2");
        assertThat(ModuleImage.nginxVersion("sh: 1: nginx: not found")).isNull();
        assertThat(ModuleImage.nginxVersion(null)).isNull();
    }
}
