package io.kuzet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard: importable, bound to a Prometheus data-source variable, and written against docs/metrics.md
 * and against what a running server's /metrics really serves.
 */
@ExtendWith(FedKuzet.Resolver.class)
class GrafanaDashboardTest {
    /** Series Prometheus adds to every scrape; a server never serves them. */
    private static final Set<String> ADDED_BY_PROMETHEUS = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");
    /** Series only a node with {@code journal.kind: kafka} exports; the fed server runs the embedded journal. */
    private static final String DATASOURCE_REF = "${datasource}";
    private static JsonNode dashboard;
    private static MetricContract contract;

    @BeforeAll
    static void load() throws IOException {
        dashboard = new ObjectMapper().readTree(OpsFiles.DASHBOARD.toFile());
        contract = MetricContract.load(OpsFiles.METRICS_DOC);
    }

    @Test
    void dashboardHasAPrometheusDatasourceVariable() {
        JsonNode variable = variable("datasource");
        assertEquals("datasource", variable.path("type").asText(), "templating variable 'datasource' type");
        assertEquals("prometheus", variable.path("query").asText(), "templating variable 'datasource' plugin");
    }

    @Test
    void dashboardIsImportable() {
        assertTrue(dashboard.path("id").isNull(), "id must be null so that import creates the dashboard");
        assertFalse(dashboard.path("uid").asText("").isBlank(), "uid");
        assertFalse(dashboard.path("title").asText("").isBlank(), "title");
        assertTrue(dashboard.path("schemaVersion").asInt() > 0, "schemaVersion");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels()) {
            assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id " + panel.path("id"));
            assertFalse(panel.path("title").asText("").isBlank(), "panel " + panel.path("id") + " has no title");
            JsonNode grid = panel.path("gridPos");
            assertTrue(grid.has("x") && grid.has("y") && grid.has("w") && grid.has("h"), panel.path("title") + ": gridPos");
            assertTrue(grid.path("x").asInt() + grid.path("w").asInt() <= 24, panel.path("title") + ": wider than the grid");
        }
    }

    @Test
    void everyPanelQueriesThroughTheDatasourceVariable() {
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : panels()) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            if (!panel.path("targets").isArray() || panel.path("targets").isEmpty()) {
                problems.add(panel.path("title").asText() + ": no query");
            }
            if (!DATASOURCE_REF.equals(panel.path("datasource").path("uid").asText())) {
                problems.add(panel.path("title").asText() + ": panel datasource is not " + DATASOURCE_REF);
            }
            for (JsonNode target : panel.path("targets")) {
                if (!DATASOURCE_REF.equals(target.path("datasource").path("uid").asText())) {
                    problems.add(panel.path("title").asText() + " " + target.path("refId").asText() + ": datasource is not " + DATASOURCE_REF);
                }
                if (target.path("expr").asText("").isBlank()) {
                    problems.add(panel.path("title").asText() + " " + target.path("refId").asText() + ": empty expr");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyQueryNamesOnlyMetricsListedInTheMetricContract() {
        List<String> problems = new ArrayList<>();
        for (Query query : queries()) {
            for (String series : MetricContract.seriesNamesIn(query.expr)) {
                if (!contract.allowsSeries(series)) {
                    problems.add(query.where + ": '" + series + "' is not in docs/metrics.md");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyQueryNamesOnlySeriesARunningServerExports(FedKuzet kuzet) {
        Set<String> exported = kuzet.exportedSeries();
        List<String> problems = new ArrayList<>();
        for (Query query : queries()) {
            for (String series : MetricContract.seriesNamesIn(query.expr)) {
                if (!ADDED_BY_PROMETHEUS.contains(series) && !exported.contains(series) && !contract.servedOnlyOnKafka(series)) {
                    problems.add(query.where + ": '" + series + "' is not served by a running server's /metrics");
                }
            }
        }
        assertEquals(List.of(), problems, () -> "series served after a simulator feed: " + exported);
    }

    @Test
    void everyKuzetMetricHasAPanel() {
        Set<String> shown = new TreeSet<>();
        for (Query query : queries()) {
            for (String series : MetricContract.seriesNamesIn(query.expr)) {
                shown.add(contract.baseMetric(series));
            }
        }
        Set<String> missing = new TreeSet<>(contract.kuzetMetrics());
        missing.removeAll(shown);
        assertEquals(Set.of(), missing, "kuzet metrics of docs/metrics.md that no panel shows");
    }

    @Test
    void everyQueryIsValidPromql(@TempDir Path dir) throws IOException {
        // promtool parses recording rules, so each query becomes one (Grafana variables replaced by plain values).
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode file = yaml.createObjectNode();
        ObjectNode group = file.putArray("groups").addObject().put("name", "dashboard-queries");
        ArrayNode rules = group.putArray("rules");
        StringBuilder names = new StringBuilder();
        int i = 0;
        for (Query query : queries()) {
            names.append("\n  dashboard:query_").append(i).append(" = ").append(query.where);
            String expr = query.expr.replace("$__rate_interval", "1m").replace("$__interval", "1m")
                    .replace("$instance", ".*").replaceAll("label_values\\((.*),\\s*\\w+\\)", "$1");
            rules.addObject().put("record", "dashboard:query_" + i++).put("expr", expr);
        }
        yaml.writeValue(dir.resolve("queries.yml").toFile(), file);
        try {
            Promtool.runExpectingSuccess(dir, "check", "rules", "queries.yml");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nwhere" + names, e);
        }
    }

    private record Query(String where, String expr) {
    }

    private static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                queries.add(new Query("variable '" + variable.path("name").asText() + "'",
                        query.isTextual() ? query.asText() : query.path("query").asText()));
            }
        }
        return queries;
    }

    private static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add); // panels inside collapsed rows
        }
        return panels;
    }

    private static JsonNode variable(String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("dashboard has no templating variable '" + name + "'");
    }
}
