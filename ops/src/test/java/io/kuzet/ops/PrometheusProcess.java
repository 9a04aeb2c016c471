package io.kuzet.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus (Debian package {@code prometheus}; {@code KUZET_PROMETHEUS} may name the binary) scraping one
 * Kuzet server every second, with a fast copy of the alert rules, and its HTTP API. Missing Prometheus fails the test.
 * Not thread-safe.
 */
final class PrometheusProcess implements AutoCloseable {
    /** Replaces every {@code for:} of the alert rules, so a condition made true fires within seconds. */
    static final String FAST_FOR = "3s";
    /** Replaces every range (and subquery range) of minutes or hours in the rule expressions. */
    static final String FAST_RANGE = "10s";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern RANGE = Pattern.compile("\\[\\d+[mhd](:\\d+[smhd])?]");
    private static final Pattern FOR = Pattern.compile("(?m)^(\\s+for:\\s*)\\S+\\s*$");

    private final ChildProcess process;
    private final String url;

    private PrometheusProcess(ChildProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts Prometheus on a free port scraping {@code target} (host:port) as job {@code kuzet}; waits until it is ready. */
    static PrometheusProcess start(String target) {
        return start(target, java.util.function.UnaryOperator.identity());
    }

    /** As {@link #start(String)}, with {@code edit} applied to the fast rules (e.g. thresholds a test crosses). */
    static PrometheusProcess start(String target, java.util.function.UnaryOperator<String> edit) {
        Path binary = binary();
        Path work = ChildProcess.LOG_DIR.resolve("prometheus");
        try {
            if (Files.exists(work)) {
                try (var paths = Files.walk(work)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(work);
            Files.writeString(work.resolve("kuzet-alerts.fast.yml"), edit.apply(fastRules(Files.readString(OpsFiles.ALERT_RULES))));
            YAML.writeValue(work.resolve("prometheus.yml").toFile(), config(target, "kuzet-alerts.fast.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = ChildProcess.freePort();
        ChildProcess process = ChildProcess.start("prometheus", List.of(binary.toString(),
                "--config.file=" + work.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port), Map.of(), work);
        PrometheusProcess prometheus = new PrometheusProcess(process, "http://127.0.0.1:" + port);
        try {
            await("Prometheus ready on port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                process.assertAlive();
                return ChildProcess.httpGetOrNull(prometheus.url + "/-/ready") != null;
            });
            return prometheus;
        } catch (RuntimeException | AssertionError e) {
            prometheus.close();
            throw e;
        }
    }

    /**
     * The alert rules with every {@code for:} set to {@link #FAST_FOR} and every range of minutes or hours to
     * {@link #FAST_RANGE}: same expressions and thresholds, on a time scale a test can wait for.
     */
    static String fastRules(String rules) {
        String fast = FOR.matcher(rules).replaceAll("$1" + FAST_FOR);
        Matcher range = RANGE.matcher(fast);
        return range.replaceAll(m -> m.group(1) == null ? "[" + FAST_RANGE + "]" : "[" + FAST_RANGE + ":1s]");
    }

    /** ops/prometheus/prometheus.yml with 1 s scrape and evaluation, {@code target} and the given rule file. */
    private static JsonNode config(String target, String ruleFile) throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(OpsFiles.SCRAPE_CONFIG.toFile());
        ((ObjectNode) config.path("global")).put("scrape_interval", "1s").put("evaluation_interval", "1s");
        config.putArray("rule_files").add(ruleFile);
        ArrayNode scrapes = (ArrayNode) config.path("scrape_configs");
        assertEquals(1, scrapes.size(), "ops/prometheus/prometheus.yml should have the one job 'kuzet'");
        ObjectNode kuzet = (ObjectNode) scrapes.get(0);
        assertEquals("kuzet", kuzet.path("job_name").asText());
        kuzet.put("scrape_timeout", "1s");
        ArrayNode targets = ((ObjectNode) kuzet.path("static_configs").get(0)).putArray("targets");
        targets.add(target);
        return config;
    }

    /** {@code GET /api/v1/<path>} and its {@code data}; fails the test on an error status. */
    JsonNode api(String path, Map<String, String> params) {
        process.assertAlive();
        StringBuilder query = new StringBuilder(url).append("/api/v1/").append(path);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            query.append(sep).append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        String body = ChildProcess.httpGetOrNull(query.toString());
        if (body == null) {
            return fail("Prometheus did not answer " + query);
        }
        try {
            JsonNode response = JSON.readTree(body);
            assertEquals("success", response.path("status").asText(), () -> query + " answered " + body);
            return response.path("data");
        } catch (IOException e) {
            return fail("Prometheus answered " + query + " with no JSON: " + body, e);
        }
    }

    /** An instant query's result vector. */
    JsonNode query(String promql) {
        return api("query", Map.of("query", promql)).path("result");
    }

    /** The value of an instant query that returns one sample, or NaN when it returns none. */
    double scalar(String promql) {
        JsonNode result = query(promql);
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** The state of alert {@code name} ("pending", "firing"), or "inactive" when Prometheus lists no such alert. */
    String alertState(String name) {
        for (JsonNode alert : api("alerts", Map.of()).path("alerts")) {
            if (alert.path("labels").path("alertname").asText().equals(name)) {
                return alert.path("state").asText();
            }
        }
        return "inactive";
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }

    private static Path binary() {
        String explicit = System.getenv("KUZET_PROMETHEUS");
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isExecutable(path)) {
                fail("KUZET_PROMETHEUS=" + explicit + " is not an executable file");
            }
            return path;
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "prometheus"))) {
                return Path.of(dir, "prometheus");
            }
        }
        return fail("prometheus not found on PATH (" + pathVariable + "). The live rules test needs a real Prometheus: "
                + "install the Debian package 'prometheus' (apt-get install -y prometheus), which .ci/run does, "
                + "or set KUZET_PROMETHEUS to the binary.");
    }
}
