package io.kuzet.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series names {@code docs/metrics.md} promises, and a light PromQL scanner that lists the series names a query
 * selects. The scanner is not a parser: it removes strings, label matchers, ranges and grouping clauses, then takes
 * every remaining identifier that is not a function call or a keyword. Malformed PromQL is caught separately by
 * promtool. Instances are immutable and thread-safe.
 */
final class MetricContract {
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*`([a-z_:][a-z0-9_:]*)`\\s*\\|\\s*(\\w+)\\s*\\|", Pattern.MULTILINE);
    /** The heading of docs/metrics.md's section for series a node serves only on the Kafka journal. */
    private static final Pattern KAFKA_ONLY_HEADING = Pattern.compile("^#+ .*`journal\\.kind: kafka`.*$", Pattern.MULTILINE);
    private static final Pattern ANY_HEADING = Pattern.compile("^#+ ", Pattern.MULTILINE);
    private static final Pattern RUNTIME_METRIC = Pattern.compile("`((?:jvm|process|netty)_[a-z0-9_]+)");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");

    /** Series Prometheus itself adds to every scrape. */
    private static final Set<String> SCRAPE_SERIES = Set.of("up");

    private final Set<String> documentedMetrics;
    private final Set<String> kuzetMetrics;
    private final Set<String> seriesNames;
    private final Set<String> kafkaOnly;

    private MetricContract(Set<String> documentedMetrics, Set<String> kuzetMetrics, Set<String> seriesNames, Set<String> kafkaOnly) {
        this.documentedMetrics = Set.copyOf(documentedMetrics);
        this.kuzetMetrics = Set.copyOf(kuzetMetrics);
        this.seriesNames = Set.copyOf(seriesNames);
        this.kafkaOnly = Set.copyOf(kafkaOnly);
    }

    static MetricContract load(Path metricsDoc) {
        String text;
        try {
            text = Files.readString(metricsDoc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> documented = new TreeSet<>();
        Set<String> kuzet = new TreeSet<>();
        Set<String> series = new TreeSet<>(SCRAPE_SERIES);
        Matcher row = TABLE_ROW.matcher(text);
        while (row.find()) {
            String name = row.group(1);
            documented.add(name);
            kuzet.add(name);
            series.add(name);
            if (row.group(2).equals("histogram")) {
                series.add(name + "_bucket");
                series.add(name + "_count");
                series.add(name + "_sum");
            }
        }
        Matcher runtime = RUNTIME_METRIC.matcher(text);
        while (runtime.find()) {
            String name = runtime.group(1);
            documented.add(name);
            series.add(name);
            if (name.endsWith("_seconds")) {
                // Micrometer timers without a published histogram (jvm_gc_pause_seconds) export these three.
                series.add(name + "_count");
                series.add(name + "_sum");
                series.add(name + "_max");
            }
        }
        Set<String> kafkaOnly = new TreeSet<>();
        Matcher kafka = KAFKA_ONLY_HEADING.matcher(text);
        if (kafka.find()) {
            Matcher next = ANY_HEADING.matcher(text);
            int end = next.find(kafka.end()) ? next.start() : text.length();
            Matcher kafkaRow = TABLE_ROW.matcher(text.substring(kafka.end(), end));
            while (kafkaRow.find()) {
                kafkaOnly.add(kafkaRow.group(1));
            }
        }
        return new MetricContract(documented, kuzet, series, kafkaOnly);
    }

    /**
     * The metrics of the section "Only with {@code journal.kind: kafka}": a single node on the embedded journal does
     * not serve them, so checks against such a running server leave them out (every other check still applies).
     */
    boolean servedOnlyOnKafka(String series) {
        return kafkaOnly.contains(baseMetric(series));
    }

    Set<String> kafkaOnlyMetrics() {
        return kafkaOnly;
    }

    /** Metric names as documented (histograms by their base name). */
    Set<String> documentedMetrics() {
        return documentedMetrics;
    }

    /** The documented {@code kuzet_*} metrics (the table), by base name. */
    Set<String> kuzetMetrics() {
        return kuzetMetrics;
    }

    /** Every series name a query may select: documented names plus histogram/timer suffixes, plus {@code up}. */
    boolean allowsSeries(String name) {
        return seriesNames.contains(name);
    }

    /** The documented base metric of a series name ({@code x_seconds_bucket} becomes {@code x_seconds}). */
    String baseMetric(String series) {
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_max"}) {
            if (series.endsWith(suffix)) {
                String base = series.substring(0, series.length() - suffix.length());
                if (documentedMetrics.contains(base)) {
                    return base;
                }
            }
        }
        return series;
    }

    /** The series names a PromQL query (possibly with Grafana variables) selects. */
    static Set<String> seriesNamesIn(String promql) {
        String s = promql;
        s = s.replaceAll("\\$\\{?\\w+(?::\\w+)?}?", "1");                       // Grafana variables: $__rate_interval, ${x}
        s = s.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", "\"\""); // string literals
        s = s.replaceAll("\\{[^}]*}", " ");                                     // label matchers
        s = s.replaceAll("\\[[^]]*]", " ");                                     // ranges and subqueries
        s = s.replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        s = s.replaceAll("label_values\\s*\\((.*),\\s*\\w+\\s*\\)", "$1");      // Grafana variable query: last arg is a label
        s = s.replaceAll("\\boffset\\s+-?\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w.:])([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?").matcher(s);
        while (m.find()) {
            String identifier = m.group(1);
            boolean functionCall = m.group(2) != null;
            if (!functionCall && !KEYWORDS.contains(identifier.toLowerCase())) {
                names.add(identifier);
            }
        }
        return names;
    }
}
