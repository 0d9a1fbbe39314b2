package dev.lookout.nginx;

import dev.lookout.api.ObjectKey;
import java.util.List;
import java.util.Locale;

/**
 * nginx.conf of an NginxVtsTarget, rendered purely from its spec (the same spec gives the same bytes): the VTS module
 * loaded, its zone and histogram buckets, one server on the listen port (TLS when asked), the user's includes in it,
 * and the status location behind basic auth, where {@code <path>/format/prometheus} serves VTS's own Prometheus
 * format. Paths are inside the container, where Lookout puts the files ({@link #FOLDER}).
 */
public final class NginxConf {
    /** Lookout's folder in the container: nginx.conf, htpasswd, tls/, includes/. */
    public static final String FOLDER = "/etc/nginx/lookout";
    public static final String CONF = FOLDER + "/nginx.conf";
    public static final String HTPASSWD = FOLDER + "/htpasswd";
    public static final String CERTIFICATE = FOLDER + "/tls/tls.crt";
    public static final String KEY = FOLDER + "/tls/tls.key";
    public static final String INCLUDES = FOLDER + "/includes/";
    /** Where the built image keeps the module, whatever the base's own modules folder is. */
    public static final String MODULES = "/usr/lib/nginx/lookout-modules/";
    public static final String VTS_MODULE = "ngx_http_vhost_traffic_status_module";
    /**
     * exporter.mode sidecar: the port of the status server on 127.0.0.1 only, which nginx-vts-exporter (in nginx's
     * network) reads without a password, so that no password is given to it (its image takes the URI from an
     * environment variable, which {@code docker inspect} shows).
     */
    public static final int LOOPBACK_STATUS_PORT = 9912;
    /** The JSON page nginx-vts-exporter reads, on {@link #LOOPBACK_STATUS_PORT}. */
    public static final String LOOPBACK_STATUS_URI = "http://127.0.0.1:" + LOOPBACK_STATUS_PORT + "/status/format/json";

    private NginxConf() {
    }

    /** The file name an include is put in the container under ({@code nginx-vts/proxy_common.conf} → {@code proxy_common.conf}). */
    public static String includeName(String include) {
        return include.substring(include.lastIndexOf('/') + 1);
    }

    public static String render(NginxVtsTargetSpec spec, ObjectKey key) {
        StringBuilder c = new StringBuilder();
        c.append("# Written by Lookout for ").append(key).append(": edits are replaced on the next reconcile.\n");
        c.append("load_module ").append(MODULES).append(VTS_MODULE).append(".so;\n");
        c.append("worker_processes auto;\n");
        c.append("pid /tmp/nginx.pid;\n");
        c.append("error_log stderr notice;\n\n");
        c.append("events {\n    worker_connections 1024;\n}\n\n");
        c.append("http {\n");
        c.append("    include /etc/nginx/mime.types;\n");
        c.append("    default_type application/octet-stream;\n");
        c.append("    access_log /dev/stdout;\n");
        c.append("    server_tokens off;\n");
        c.append("    vhost_traffic_status_zone shared:vhost_traffic_status:32m;\n");
        List<Double> buckets = spec.status().histogramBuckets();
        if (!buckets.isEmpty()) {
            c.append("    vhost_traffic_status_histogram_buckets");
            buckets.forEach(b -> c.append(' ').append(number(b)));
            c.append(";\n");
        }
        c.append("\n    server {\n");
        int port = spec.listen().effectivePort();
        boolean tls = spec.listen().tls() != null;
        c.append("        listen ").append(port).append(tls ? " ssl" : "").append(";\n");
        c.append("        server_name _;\n");
        if (tls) {
            c.append("        ssl_certificate ").append(CERTIFICATE).append(";\n");
            c.append("        ssl_certificate_key ").append(KEY).append(";\n");
        }
        for (String include : spec.includes()) {
            c.append("        include ").append(INCLUDES).append(includeName(include)).append(";\n");
        }
        c.append("\n        # VTS's page; ").append(spec.status().path()).append("/format/prometheus is what Prometheus scrapes.\n");
        c.append("        location ").append(spec.status().path()).append(" {\n");
        c.append("            vhost_traffic_status_display;\n");
        c.append("            vhost_traffic_status_display_format html;\n");
        if (spec.status().basicAuth() != null) {
            c.append("            auth_basic \"VTS status\";\n");
            c.append("            auth_basic_user_file ").append(HTPASSWD).append(";\n");
        }
        c.append("        }\n");
        c.append("    }\n");
        if (spec.exporter().mode() == ExporterMode.SIDECAR) {
            c.append("\n    # For nginx-vts-exporter, which runs in this container's network: on loopback only, so it needs no password.\n");
            c.append("    server {\n");
            c.append("        listen 127.0.0.1:").append(LOOPBACK_STATUS_PORT).append(";\n");
            c.append("        access_log off;\n");
            c.append("        allow 127.0.0.1;\n");
            c.append("        deny all;\n");
            c.append("        location /status {\n");
            c.append("            vhost_traffic_status_bypass_stats on;\n");
            c.append("            vhost_traffic_status_display;\n");
            c.append("            vhost_traffic_status_display_format json;\n");
            c.append("        }\n");
            c.append("    }\n");
        }
        c.append("}\n");
        return c.toString();
    }

    /** A bucket as nginx reads it: {@code 0.005}, {@code 1}, never {@code 1.0E-4}. */
    static String number(double value) {
        String plain = new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        return plain.toLowerCase(Locale.ROOT);
    }
}
