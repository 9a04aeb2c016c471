package io.kuzet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PromQL scanner and the metric contract the dashboard and rule checks rely on. */
class MetricContractTest {

    @Test
    void scannerFindsSeriesAndIgnoresFunctionsLabelsRangesAndGrouping() {
        assertEquals(Set.of("kuzet_ack_seconds_bucket"), MetricContract.seriesNamesIn(
                "histogram_quantile(0.99, sum by (protocol, le) (rate(kuzet_ack_seconds_bucket{job=\"kuzet\", instance=~\"$instance\"}[$__rate_interval])))"));
        assertEquals(Set.of("kuzet_core_lag_entries", "kuzet_journal_appends_total"), MetricContract.seriesNamesIn(
                "kuzet_core_lag_entries / on (job, instance) clamp_min(rate(kuzet_journal_appends_total[5m]), 1) > 60"));
        assertEquals(Set.of("kuzet_build_info"), MetricContract.seriesNamesIn("label_values(kuzet_build_info{job=\"kuzet\"}, instance)"));
        assertEquals(Set.of("jvm_memory_used_bytes"), MetricContract.seriesNamesIn(
                "min_over_time((sum without (id) (jvm_memory_used_bytes{area=\"heap\"}) offset 5m)[15m:1m]) > 0.9 and 1e3 > bool 2"));
    }

    @Test
    void contractHasTheTableAndTheRuntimeMetricsWithHistogramSeries() {
        MetricContract contract = MetricContract.load(OpsFiles.METRICS_DOC);
        assertTrue(contract.kuzetMetrics().contains("kuzet_devices_connected"), contract.kuzetMetrics().toString());
        assertTrue(contract.allowsSeries("kuzet_fix_to_alert_seconds_bucket"));
        assertTrue(contract.allowsSeries("kuzet_frames_received_total"));
        assertTrue(contract.allowsSeries("jvm_gc_pause_seconds_sum"));
        assertTrue(contract.allowsSeries("netty_allocator_memory_used"));
        assertTrue(contract.allowsSeries("up"));
        assertFalse(contract.allowsSeries("kuzet_devices_connected_bucket"), "a gauge has no buckets");
        assertFalse(contract.allowsSeries("kuzet_frames_total"), "not in the contract");
        assertEquals("kuzet_ack_seconds", contract.baseMetric("kuzet_ack_seconds_count"));
    }

    @Test
    void kafkaOnlySectionIsPartOfTheContractAndMarkedAsServedOnlyOnKafka() {
        MetricContract contract = MetricContract.load(OpsFiles.METRICS_DOC);
        assertTrue(contract.kuzetMetrics().contains("kuzet_kafka_consumer_lag_records"), "the dashboard must show it");
        assertTrue(contract.allowsSeries("kuzet_kafka_under_replicated_partitions"));
        assertTrue(contract.servedOnlyOnKafka("kuzet_kafka_consumer_lag_records"));
        assertTrue(contract.servedOnlyOnKafka("kuzet_kafka_under_replicated_partitions"));
        assertFalse(contract.servedOnlyOnKafka("kuzet_storage_lag_entries"), "served in both modes");
        assertFalse(contract.servedOnlyOnKafka("kuzet_build_info"), "the main table ends before the Kafka section");
    }
}
