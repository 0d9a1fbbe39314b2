package dev.lookout.nginx;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.List;

public record NginxVtsTargetSpec(
        @JsonPropertyDescription("Docker host name from the operator configuration.") @Default("local") String host,
        NginxImage image,
        NginxListen listen,
        @JsonPropertyDescription("The user's own server/location config files, relative to this file, mounted read-only.") List<String> includes,
        VtsStatusPage status,
        VtsExporter exporter,
        NginxScrape scrape,
        NginxAlerts alerts) {
    public NginxVtsTargetSpec {
        host = host == null ? "local" : host;
        image = image == null ? NginxImage.defaults() : image;
        listen = listen == null ? NginxListen.defaults() : listen;
        includes = includes == null ? List.of() : List.copyOf(includes);
        status = status == null ? VtsStatusPage.defaults() : status;
        exporter = exporter == null ? new VtsExporter(null) : exporter;
        scrape = scrape == null ? new NginxScrape(null, null) : scrape;
        alerts = alerts == null ? new NginxAlerts(null, null) : alerts;
    }
}
