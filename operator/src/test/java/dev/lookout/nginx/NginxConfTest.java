package dev.lookout.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.kind.LoadedResource;
import dev.lookout.testing.Manifests;
import org.junit.jupiter.api.Test;

class NginxConfTest {
    static LoadedResource edge() {
        return Manifests.load(Manifests.EXAMPLES).resources().stream()
                .filter(r -> r.resource() instanceof NginxVtsTarget).findFirst().orElseThrow();
    }

    @Test
    void theExamplesEdgeGetsVtsItsTlsItsIncludeAndTheStatusPageBehindAuth() {
        LoadedResource edge = edge();
        String conf = NginxConf.render(((NginxVtsTarget) edge.resource()).getSpec(), edge.key());
        assertThat(conf).startsWith("# Written by Lookout for NginxVtsTarget default/edge")
                .contains("load_module /usr/lib/nginx/lookout-modules/ngx_http_vhost_traffic_status_module.so;\n",
                        "    vhost_traffic_status_zone shared:vhost_traffic_status:32m;\n",
                        "    vhost_traffic_status_histogram_buckets 0.005 0.01 0.05 0.1 0.25 0.5 1 2.5 5;\n",
                        "        listen 443 ssl;\n",
                        "        ssl_certificate /etc/nginx/lookout/tls/tls.crt;\n",
                        "        ssl_certificate_key /etc/nginx/lookout/tls/tls.key;\n",
                        "        include /etc/nginx/lookout/includes/proxy_common.conf;\n",
                        "        location /status {\n",
                        "            vhost_traffic_status_display;\n",
                        "            auth_basic_user_file /etc/nginx/lookout/htpasswd;\n");
        assertThat(conf).as("the same spec, the same bytes").isEqualTo(NginxConf.render(((NginxVtsTarget) edge.resource()).getSpec(),
                edge.key()));
        assertThat(conf.chars().filter(c -> c == '{').count()).isEqualTo(conf.chars().filter(c -> c == '}').count());
    }

    @Test
    void bucketsAreWrittenAsNginxReadsThem() {
        assertThat(NginxConf.number(0.0001)).isEqualTo("0.0001");
        assertThat(NginxConf.number(1.0)).isEqualTo("1");
        assertThat(NginxConf.number(2.5)).isEqualTo("2.5");
    }
}
