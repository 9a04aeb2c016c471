package io.kuzet.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The alert rules in a real Prometheus scraping a real Kuzet fed by the simulator. The rules are a fast copy
 * ({@link PrometheusProcess#fastRules}: {@code for} 3 s, ranges 10 s). One scenario in order: the key series arrive
 * while the simulator feeds; freezing the simulator (SIGSTOP: its devices stay connected, no frame arrives) fires
 * KuzetIngestionStalled; stopping the server fires KuzetDown. The journal-disk and core-lag rules get thresholds this
 * server crosses ({@link #CROSSED_THRESHOLDS}), so they fire as long as their gauges read numbers (they read NaN once,
 * and a NaN never compares true). About a minute, most of it the server's start.
 */
@ExtendWith(FedKuzet.Resolver.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LivePrometheusTest {
    private static final Duration ALERT_LIMIT = Duration.ofSeconds(45);
    private static final Duration POLL = Duration.ofMillis(500);

    /**
     * KuzetJournalDiskSpaceLow with a free-space threshold above any disk, KuzetCoreLagHigh with a backlog threshold
     * below zero: same expressions otherwise.
     */
    static final java.util.function.UnaryOperator<String> CROSSED_THRESHOLDS = rules -> {
        String disk = "kuzet_journal_disk_free_bytes{job=\"kuzet\"} < 5 * 1024 * 1024 * 1024";
        String lag = "clamp_min(rate(kuzet_journal_appends_total{job=\"kuzet\"}[" + PrometheusProcess.FAST_RANGE + "]), 1) > 60";
        if (!rules.contains(disk) || !rules.contains(lag)) {
            throw new AssertionError("kuzet-alerts.yml changed: update CROSSED_THRESHOLDS");
        }
        return rules.replace(disk, "kuzet_journal_disk_free_bytes{job=\"kuzet\"} < 1e18")
                .replace(lag, lag.replace("> 60", "> -1"));
    };

    private static FedKuzet kuzet;
    private static ChildProcess simulator;
    private static PrometheusProcess prometheus;

    @BeforeAll
    static void startSimulatorAndPrometheus(FedKuzet fedKuzet) {
        kuzet = fedKuzet;
        simulator = kuzet.simulator("simulator-live", "--duration", "600", "--warmup", "0", "--rate", "50", "--violators", "0.3");
        prometheus = PrometheusProcess.start("127.0.0.1:" + kuzet.httpPort(), CROSSED_THRESHOLDS);
    }

    @AfterAll
    static void stopEverything() {
        if (simulator != null) {
            simulator.kill(); // frozen by the stall test: only SIGKILL ends it
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    @Order(1)
    void prometheusLoadsEveryAlertRuleAndHasEverySeriesTheRulesSelect() throws IOException {
        Set<String> alerts = PrometheusRulesTest.alerts().keySet();
        await("Prometheus has loaded the rules").atMost(Duration.ofSeconds(10)).pollInterval(POLL)
                .until(() -> loadedAlertRules().containsAll(alerts));
        assertEquals(new TreeSet<>(alerts), loadedAlertRules(), "alert rules loaded by Prometheus");

        Set<String> selected = new TreeSet<>();
        PrometheusRulesTest.alerts().values().forEach(rule -> selected.addAll(MetricContract.seriesNamesIn(rule.path("expr").asText())));
        MetricContract contract = MetricContract.load(OpsFiles.METRICS_DOC);
        selected.removeIf(contract::servedOnlyOnKafka); // this server runs on the embedded journal
        await("every series the rules select is in Prometheus").atMost(ALERT_LIMIT).pollInterval(POLL).untilAsserted(() -> {
            simulator.assertAlive();
            List<String> missing = new ArrayList<>();
            for (String series : selected) {
                JsonNode found = prometheus.api("series", Map.of("match[]", series + "{job=\"kuzet\"}",
                        "start", Long.toString(System.currentTimeMillis() / 1000 - 60)));
                if (found.isEmpty()) {
                    missing.add(series);
                }
            }
            assertEquals(List.of(), missing, "series selected by kuzet-alerts.yml that Prometheus did not scrape from Kuzet");
        });
    }

    @Test
    @Order(2)
    void keySeriesCarryTheSimulatorsTraffic() {
        await("Prometheus sees the simulator's devices and traffic").atMost(ALERT_LIMIT).pollInterval(POLL).untilAsserted(() -> {
            simulator.assertAlive();
            assertEquals(1.0, prometheus.scalar("up{job=\"kuzet\"}"), "up");
            assertEquals(FedKuzet.DEVICES, prometheus.scalar("sum(kuzet_devices_connected{job=\"kuzet\"})"), "devices connected");
            assertPositive("sum(rate(kuzet_positions_received_total{job=\"kuzet\", protocol=\"kuzet\"}[5s]))");
            assertPositive("sum(rate(kuzet_frames_received_total{job=\"kuzet\", type=\"position_batch\"}[5s]))");
            assertPositive("sum(rate(kuzet_journal_appends_total{job=\"kuzet\"}[5s]))");
            assertPositive("sum(rate(kuzet_ack_seconds_count{job=\"kuzet\", protocol=\"kuzet\"}[5s]))");
            assertPositive("sum(kuzet_alerts_raised_total{job=\"kuzet\", type=\"EXCLUSION_VIOLATION\"})");
            assertPositive("sum(kuzet_fix_to_alert_seconds_count{job=\"kuzet\"})");
            assertPositive("sum(kuzet_storage_rows_written_total{job=\"kuzet\"})");
            assertPositive("sum(jvm_memory_used_bytes{job=\"kuzet\", area=\"heap\"})");
        });
        assertEquals("inactive", prometheus.alertState("KuzetIngestionStalled"), "while the simulator feeds");
        assertEquals("inactive", prometheus.alertState("KuzetDown"), "while the server runs");
    }

    @Test
    @Order(3)
    void journalDiskAndCoreLagRulesFireOnCrossedThresholds() {
        await("KuzetJournalDiskSpaceLow and KuzetCoreLagHigh firing").atMost(ALERT_LIMIT).pollInterval(POLL).until(() ->
                prometheus.alertState("KuzetJournalDiskSpaceLow").equals("firing")
                        && prometheus.alertState("KuzetCoreLagHigh").equals("firing"));
        assertPositive("kuzet_journal_disk_free_bytes{job=\"kuzet\"}");
        assertPositive("kuzet_journal_disk_used_bytes{job=\"kuzet\"}");
        double lag = prometheus.scalar("kuzet_core_lag_entries{job=\"kuzet\"}");
        if (!(lag >= 0)) {
            throw new AssertionError("kuzet_core_lag_entries = " + lag + ", expected a number >= 0");
        }
    }

    @Test
    @Order(4)
    void frozenSimulatorWithDevicesStillConnectedFiresIngestionStalled() {
        simulator.freeze();
        await("KuzetIngestionStalled firing").atMost(ALERT_LIMIT).pollInterval(POLL)
                .until(() -> prometheus.alertState("KuzetIngestionStalled").equals("firing"));
        assertEquals(FedKuzet.DEVICES, prometheus.scalar("sum(kuzet_devices_connected{job=\"kuzet\"})"), "the frozen devices stay connected");
        assertEquals("inactive", prometheus.alertState("KuzetDown"));
    }

    @Test
    @Order(5)
    void stoppedServerFiresKuzetDown() {
        kuzet.stop();
        await("KuzetDown firing").atMost(ALERT_LIMIT).pollInterval(POLL)
                .until(() -> prometheus.alertState("KuzetDown").equals("firing"));
        assertEquals(0.0, prometheus.scalar("up{job=\"kuzet\"}"), "up");
    }

    private static Set<String> loadedAlertRules() {
        Set<String> names = new TreeSet<>();
        for (JsonNode group : prometheus.api("rules", Map.of("type", "alert")).path("groups")) {
            group.path("rules").forEach(rule -> names.add(rule.path("name").asText()));
        }
        return names;
    }

    private static void assertPositive(String promql) {
        double value = prometheus.scalar(promql);
        if (!(value > 0)) {
            throw new AssertionError(promql + " = " + value + ", expected > 0");
        }
    }
}
