package io.kuzet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules: promtool accepts them and their unit tests pass, and each rule meets the operators' contract. */
class PrometheusRulesTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SEVERITIES = Set.of("critical", "warning");
    private static final Pattern RUNBOOK = Pattern.compile("docs/operations\\.md#([a-z0-9-]+)");

    @Test
    void promtoolAcceptsTheAlertRules() {
        String output = Promtool.runExpectingSuccess(OpsFiles.PROMETHEUS, "check", "rules", "kuzet-alerts.yml");
        assertTrue(output.contains("SUCCESS"), output);
    }

    @Test
    void promtoolUnitTestsOfEveryRulePass() {
        String output = Promtool.runExpectingSuccess(OpsFiles.PROMETHEUS, "test", "rules", "kuzet-alerts.test.yml");
        assertTrue(output.contains("SUCCESS"), output);
    }

    @Test
    void promtoolAcceptsTheScrapeConfigAndTheRulesItLoads() {
        String output = Promtool.runExpectingSuccess(OpsFiles.PROMETHEUS, "check", "config", "prometheus.yml");
        assertTrue(output.contains("rule files found"), output);
    }

    @Test
    void promtoolAcceptsTheComposeScrapeConfigWithTheRulesMountedBesideIt(@TempDir Path etcPrometheus) throws IOException {
        // compose.yaml mounts deploy/prometheus.yml and prometheus/kuzet-alerts.yml side by side in /etc/prometheus.
        Files.copy(OpsFiles.COMPOSE_SCRAPE_CONFIG, etcPrometheus.resolve("prometheus.yml"));
        Files.copy(OpsFiles.ALERT_RULES, etcPrometheus.resolve("kuzet-alerts.yml"));
        String output = Promtool.runExpectingSuccess(etcPrometheus, "check", "config", "prometheus.yml");
        assertTrue(output.contains("1 rule files found"), output);
    }

    @Test
    void everyAlertHasSeveritySummaryDescriptionAndARunbookSectionThatExists() throws IOException {
        String operations = Files.readString(OpsFiles.OPERATIONS_DOC);
        Set<String> anchors = markdownAnchors(operations);
        Map<String, JsonNode> alerts = alerts();
        assertFalse(alerts.isEmpty(), "no alert rules in " + OpsFiles.ALERT_RULES);
        List<String> problems = new ArrayList<>();
        alerts.forEach((name, rule) -> {
            String severity = rule.path("labels").path("severity").asText("");
            if (!SEVERITIES.contains(severity)) {
                problems.add(name + ": severity '" + severity + "' is not one of " + SEVERITIES);
            }
            JsonNode annotations = rule.path("annotations");
            for (String key : List.of("summary", "description", "runbook_url")) {
                if (annotations.path(key).asText("").isBlank()) {
                    problems.add(name + ": no " + key + " annotation");
                }
            }
            Matcher runbook = RUNBOOK.matcher(annotations.path("runbook_url").asText(""));
            if (!runbook.matches()) {
                problems.add(name + ": runbook_url is not docs/operations.md#anchor");
            } else if (!runbook.group(1).equals(name.toLowerCase())) {
                problems.add(name + ": runbook anchor should be #" + name.toLowerCase() + " (a '### " + name + "' heading)");
            } else if (!anchors.contains(runbook.group(1))) {
                problems.add(name + ": docs/operations.md has no heading for #" + runbook.group(1));
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItDoesNot() throws IOException {
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode group : YAML.readTree(OpsFiles.ALERT_TESTS.toFile()).path("tests")) {
            for (JsonNode test : group.path("alert_rule_test")) {
                String name = test.path("alertname").asText();
                (test.path("exp_alerts").isEmpty() ? silent : firing).add(name);
            }
        }
        Set<String> names = alerts().keySet();
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            if (!firing.contains(name)) {
                problems.add(name + ": no test case where it fires");
            }
            if (!silent.contains(name)) {
                problems.add(name + ": no test case where it stays silent");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void alertExpressionsSelectOnlyDocumentedMetrics() throws IOException {
        MetricContract contract = MetricContract.load(OpsFiles.METRICS_DOC);
        List<String> problems = new ArrayList<>();
        alerts().forEach((name, rule) -> {
            for (String series : MetricContract.seriesNamesIn(rule.path("expr").asText())) {
                if (!contract.allowsSeries(series)) {
                    problems.add(name + ": '" + series + "' is not in docs/metrics.md");
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void fastCopyForTheLiveTestShortensEveryForAndRangeAndStillPassesPromtool(@TempDir Path dir) throws IOException {
        String fast = PrometheusProcess.fastRules(Files.readString(OpsFiles.ALERT_RULES));
        Files.writeString(dir.resolve("fast.yml"), fast);
        assertTrue(Promtool.runExpectingSuccess(dir, "check", "rules", "fast.yml").contains("SUCCESS"));
        List<String> slow = new ArrayList<>();
        Matcher m = Pattern.compile("for:\\s*(\\S+)|\\[(\\w+)(?::\\w+)?]").matcher(fast);
        while (m.find()) {
            String duration = m.group(1) != null ? m.group(1) : m.group(2);
            if (!duration.equals(PrometheusProcess.FAST_FOR) && !duration.equals(PrometheusProcess.FAST_RANGE)) {
                slow.add(m.group());
            }
        }
        assertEquals(List.of(), slow, "durations left unshortened in the live test's rules");
        assertEquals(alerts().keySet(), alerts(YAML.readTree(fast)).keySet());
    }

    static Map<String, JsonNode> alerts() throws IOException {
        return alerts(YAML.readTree(OpsFiles.ALERT_RULES.toFile()));
    }

    private static Map<String, JsonNode> alerts(JsonNode rulesFile) {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode group : rulesFile.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    JsonNode previous = alerts.put(rule.path("alert").asText(), rule);
                    assertEquals(null, previous, "alert defined twice: " + rule.path("alert").asText());
                }
            }
        }
        return alerts;
    }

    /** GitHub-style anchors of the markdown headings: lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> markdownAnchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        Matcher heading = Pattern.compile("^#{1,6}\\s+(.+?)\\s*$", Pattern.MULTILINE).matcher(markdown);
        while (heading.find()) {
            anchors.add(heading.group(1).toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return anchors;
    }
}
