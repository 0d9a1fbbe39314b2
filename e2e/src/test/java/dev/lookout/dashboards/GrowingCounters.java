package dev.lookout.dashboards;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A Prometheus text payload whose counters grow as a busy server's do: the n-th request gets every sample of a
 * {@code counter} or {@code histogram} family multiplied by n (as if the template's traffic happened again between
 * two scrapes), gauges as they are. Without growth every rate is 0 and every quantile NaN, which would prove nothing
 * about the queries that read them.
 */
final class GrowingCounters implements UnaryOperator<String> {
    private final String template;
    private final AtomicLong served = new AtomicLong();

    GrowingCounters(String template) {
        this.template = template;
    }

    @Override
    public String apply(String requestPath) {
        return scaled(template, served.incrementAndGet());
    }

    /** The payload with counter and histogram samples times {@code factor}, each in its own number format. */
    static String scaled(String payload, long factor) {
        Map<String, String> types = new HashMap<>();
        StringBuilder out = new StringBuilder();
        for (String line : payload.split("\n", -1)) {
            if (line.startsWith("# TYPE ")) {
                String[] words = line.split(" ");
                types.put(words[2], words[3]);
            }
            out.append(line.startsWith("#") || line.isBlank() ? line : scaledSample(line, types, factor)).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static String scaledSample(String line, Map<String, String> types, long factor) {
        String name = line.split("[{ ]", 2)[0];
        if (!grows(name, types)) {
            return line;
        }
        int space = line.lastIndexOf(' ');
        String value = line.substring(space + 1);
        BigDecimal scaled = new BigDecimal(value).multiply(BigDecimal.valueOf(factor));
        int decimals = value.contains(".") ? value.length() - value.indexOf('.') - 1 : 0;
        return line.substring(0, space + 1) + scaled.setScale(decimals).toPlainString();
    }

    private static boolean grows(String sample, Map<String, String> types) {
        if ("counter".equals(types.get(sample))) {
            return true;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (sample.endsWith(suffix) && "histogram".equals(types.get(sample.substring(0, sample.length() - suffix.length())))) {
                return true;
            }
        }
        return false;
    }
}
