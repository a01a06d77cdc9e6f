package dev.syscope.kernel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The /metrics of a syscope process (serve, trace --listen): where it serves them, and their samples. */
final class Metrics {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Metrics() {}

    /** The URL that {@code p} printed ("syscope: serving http://…/metrics"), waiting up to 30 s for it. */
    static String url(SyscopeProcess p) throws InterruptedException {
        p.awaitErr(l -> l.startsWith("syscope: serving http://"), 30);
        String line = p.err().stream().filter(l -> l.startsWith("syscope: serving ")).findFirst().orElseThrow();
        return line.substring("syscope: serving ".length());
    }

    /** Scrapes and parses the text format: {@link #series} → value. */
    static Map<String, Double> scrape(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                Map<String, String> labels = new TreeMap<>();
                Matcher l = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
                samples.put(m.group(1) + labels, Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    /** A series' key in {@link #scrape}'s map: the metric name and its labels, sorted ({@code name, value, ...}). */
    static String series(String name, String... labels) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return name + m;
    }
}
