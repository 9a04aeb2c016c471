package io.kuzet.simulator.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The /proc readings behind the load run's CPU per stored fix, and the /metrics values it divides by. */
class ProcessCpuTest {
    @Test
    void statLineIsReadAfterTheCommandNameWhateverItHolds() {
        String stat = "4242 (postgres: walwriter ) x) S 17 4242 4242 0 -1 4194368 95 0 0 0 123 45 6 7 20 0 1 0 1000 "
                + "220000000 1200 18446744073709551615 0 0 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0";
        assertArrayEquals(new long[] {17, 123, 45, 6, 7}, ProcessCpu.parse(stat), "ppid, utime, stime, cutime, cstime");
    }

    @Test
    void procReadingAgreesWithTheJvmsOwnProcessCpuTime() {
        assumeTrue(ProcessCpu.available(), "no /proc here");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long pid = ProcessHandle.current().pid();
        long procBefore = ProcessCpu.nanos(pid, false);
        long jvmBefore = os.getProcessCpuTime();
        long x = 0;
        while (os.getProcessCpuTime() - jvmBefore < 300_000_000L) { // spin until the JVM itself counts 0.3 s of CPU
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        long procSpent = ProcessCpu.nanos(pid, false) - procBefore;
        long jvmSpent = os.getProcessCpuTime() - jvmBefore;
        // both read the same kernel counters; /proc/<pid>/stat rounds to 10 ms ticks
        assertEquals(jvmSpent, procSpent, 50_000_000L, "CPU of this process (" + x + ")");
        long root = ProcessCpu.nanos(pid, true);
        assertTrue(ProcessCpu.treeNanos(pid) >= root, "the tree includes the root");
    }

    @Test
    void metricValuesAreFoundByNameAndLabel() {
        String scrape = """
                # HELP kuzet_storage_lag_entries journal entries not yet stored
                kuzet_storage_lag_entries{journal="alerts"} 3.0
                kuzet_storage_lag_entries{journal="positions"} 1234.0
                kuzet_storage_rows_written_total{table="device_events"} 5.0
                kuzet_storage_rows_written_total{table="positions"} 987654.0
                """;
        assertEquals(1234.0, ServerProbe.metric(scrape, "kuzet_storage_lag_entries{", "journal=\"positions\""));
        assertEquals(987654.0, ServerProbe.metric(scrape, "kuzet_storage_rows_written_total{", "table=\"positions\""));
        assertTrue(Double.isNaN(ServerProbe.metric(scrape, "kuzet_storage_lag_seconds{", "journal=\"positions\"")));
    }
}
