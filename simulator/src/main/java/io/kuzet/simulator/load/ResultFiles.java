package io.kuzet.simulator.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes run results: pretty JSON for any result record, and for load runs a self-contained HTML page with an inline
 * SVG chart of positions/s and ack p99 per second (no scripts, no external resources). Stateless.
 */
public final class ResultFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFiles() {
    }

    public static void writeJson(Path file, Object result) throws IOException {
        createParent(file);
        JSON.writeValue(file.toFile(), result);
    }

    public static String toJson(Object result) throws IOException {
        return JSON.writeValueAsString(result);
    }

    public static void writeChart(Path file, LoadResult result) throws IOException {
        createParent(file);
        List<SeriesPoint> s = result.series();
        int w = 900;
        int h = 300;
        double maxRate = Math.max(1, s.stream().mapToDouble(SeriesPoint::positionsPerSecond).max().orElse(1));
        double maxP99 = Math.max(0.1, s.stream().mapToDouble(SeriesPoint::ackP99Ms).max().orElse(0.1));
        double maxT = Math.max(1, s.size());
        StringBuilder rate = new StringBuilder();
        StringBuilder p99 = new StringBuilder();
        for (SeriesPoint p : s) {
            double x = 50 + (w - 100) * p.elapsedS() / maxT;
            rate.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, h - 30 - (h - 60) * p.positionsPerSecond() / maxRate));
            p99.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, h - 30 - (h - 60) * p.ackP99Ms() / maxP99));
        }
        String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Kuzet load run</title>"
                + "<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 10px;text-align:right}</style></head><body>"
                + "<h1>Kuzet load run</h1><p>" + escape(result.options().toString()) + " against " + escape(result.target()) + "</p>"
                + String.format(Locale.ROOT, "<table><tr><th>positions/s</th><td>%,.0f</td></tr><tr><th>ack p50 / p99 / max</th>"
                        + "<td>%.2f / %.2f / %.2f ms</td></tr><tr><th>fix-to-alert p50 / p99 (n)</th><td>%.2f / %.2f ms (%d of %d)</td></tr></table>",
                        result.positionsPerSecond(), result.ackLatency().p50Ms(), result.ackLatency().p99Ms(), result.ackLatency().maxMs(),
                        result.fixToAlert().p50Ms(), result.fixToAlert().p99Ms(), result.fixToAlert().count(), result.alertsExpected())
                + "<svg width=\"" + w + "\" height=\"" + h + "\" style=\"border:1px solid #ccc\">"
                + "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"" + rate + "\"/>"
                + "<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\" points=\"" + p99 + "\"/>"
                + String.format(Locale.ROOT, "<text x=\"55\" y=\"20\" fill=\"#1f77b4\">positions/s (max %,.0f)</text>"
                        + "<text x=\"350\" y=\"20\" fill=\"#d62728\">ack p99 ms (max %.2f)</text>"
                        + "<text x=\"%d\" y=\"%d\">%d s</text>", maxRate, maxP99, w - 80, h - 8, s.size())
                + "</svg></body></html>";
        Files.writeString(file, html);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
